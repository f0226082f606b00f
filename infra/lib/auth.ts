import { Duration, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AccountRecovery,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  PasskeyUserVerification,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolEmail,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { managedLoginBranding } from './branding.ts';
import { identityProviders } from './federation.ts';
import type { CubbyParams } from './params.ts';

/**
 * Token lives of the app client. The app's defaults assume these (lib/env.ts:
 * COGNITO_REFRESH_TOKEN_VALIDITY_SECONDS defaults to 30 days); change both together.
 */
export const TOKEN_VALIDITY = {
  idToken: Duration.hours(1),
  accessToken: Duration.hours(1),
  refreshToken: Duration.days(30),
} as const;

/** With rotation on, a retired refresh token still works this long, so two servers refreshing at once both succeed. */
export const ROTATION_GRACE_PERIOD = Duration.seconds(10);

/**
 * The user pool (email as username, self sign-up with a verified email, the emulator's password
 * policy; sign-in with a password, a passkey or an emailed code), its managed-login domain, the
 * external identity providers switched on, and Cubby's confidential app client.
 */
export class CubbyAuth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  /** The app client's SupportedIdentityProviders: COGNITO, then each provider switched on. */
  readonly supportedIdentityProviders: string[];
  /** The managed-login origin with its scheme, the app's COGNITO_DOMAIN. */
  readonly loginOrigin: string;

  constructor(scope: Construct, id: string, params: CubbyParams) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: params.stackName,
      featurePlan: FeaturePlan.ESSENTIALS,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed email stays unverified, and the old one the sign-in name, until the code sent to the new one is
      // confirmed (AttributesRequireVerificationBeforeUpdate); /account says so, and the emulator does the same.
      keepOriginal: { email: true },
      selfSignUpEnabled: true,
      standardAttributes: { email: { required: true, mutable: true } },
      // The emulator enforces the same (emulator/cognito/password.ts): 8+ characters, upper, lower, digit.
      passwordPolicy: {
        minLength: 8,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: false,
      },
      mfa: params.mfa === 'optional' ? Mfa.OPTIONAL : Mfa.OFF,
      // Email MFA needs the pool to send through Amazon SES; without a sender only TOTP is offered.
      mfaSecondFactor: params.mfa === 'optional' ? { otp: true, sms: false, email: params.emailSender !== undefined } : undefined,
      email: params.emailSender
        ? UserPoolEmail.withSES({
            fromEmail: params.emailSender.fromEmail,
            fromName: 'Cubby',
            sesRegion: params.emailSender.sesRegion,
          })
        : undefined,
      // Choice-based sign-in (managed login v2): a password, a passkey or a code sent by email.
      signInPolicy: { allowedFirstAuthFactors: { password: true, passkey: true, emailOtp: true } },
      passkeyRelyingPartyId: params.passkeyRelyingPartyId,
      passkeyUserVerification: PasskeyUserVerification.PREFERRED,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
    });

    this.domain = this.userPool.addDomain('Domain', {
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
      ...(params.domain.kind === 'prefix'
        ? { cognitoDomain: { domainPrefix: params.domain.prefix } }
        : {
            customDomain: {
              domainName: params.domain.domainName,
              certificate: Certificate.fromCertificateArn(this, 'Certificate', params.domain.certificateArn),
            },
          }),
    });

    this.loginOrigin = params.domain.kind === 'custom' ? `https://${params.domain.domainName}` : this.domain.baseUrl();

    const providers = identityProviders(this, this.userPool.userPoolId, params.federation);
    this.supportedIdentityProviders = ['COGNITO', ...providers.map((provider) => provider.providerName)];

    this.client = this.userPool.addClient('WebClient', {
      userPoolClientName: 'cubby-web',
      generateSecret: true,
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        // aws.cognito.signin.user.admin: the app calls the user APIs (/account) with the access token.
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE, OAuthScope.COGNITO_ADMIN],
        callbackUrls: params.appUrls.map((origin) => `${origin}/auth/callback`),
        logoutUrls: params.appUrls.map((origin) => `${origin}/`),
      },
      // Managed login signs people in with SRP, and with USER_AUTH for the choice of a password, a
      // passkey or an emailed code; with rotation off CDK adds ALLOW_REFRESH_TOKEN_AUTH.
      authFlows: { userSrp: true, user: true },
      supportedIdentityProviders: this.supportedIdentityProviders.map((name) =>
        name === 'COGNITO' ? UserPoolClientIdentityProvider.COGNITO : UserPoolClientIdentityProvider.custom(name),
      ),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: TOKEN_VALIDITY.idToken,
      accessTokenValidity: TOKEN_VALIDITY.accessToken,
      refreshTokenValidity: TOKEN_VALIDITY.refreshToken,
      refreshTokenRotationGracePeriod: params.refreshTokenRotation ? ROTATION_GRACE_PERIOD : undefined,
    });
    // CloudFormation must create the providers before a client that names them.
    for (const provider of providers) this.client.node.addDependency(provider);

    // Managed login (version 2) shows an error page to clients without a style; give the client Cubby's.
    managedLoginBranding(this, 'Branding', this.userPool.userPoolId, this.client.userPoolClientId);
  }

  /** `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`, the app's COGNITO_ISSUER. */
  get issuer(): string {
    const stack = Stack.of(this);
    return `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`;
  }

  /** The Identity Pool's name for this client: `<provider name>:<client id>`. */
  get identityProvider(): string {
    return `${this.userPool.userPoolProviderName}:${this.client.userPoolClientId}`;
  }
}
