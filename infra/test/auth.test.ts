import { describe, expect, it } from 'vitest';
import { passwordPolicyError } from '../../emulator/cognito/password.ts';
import { DEFAULT_SETTINGS } from '../../emulator/context.ts';
import { parseEnv } from '../../lib/env.ts';
import { logicalId, only, synth } from './support.ts';

describe('user pool', () => {
  const { resource, id } = only(synth().template, 'AWS::Cognito::UserPool');
  const properties = resource.Properties;

  it('signs people in by email, lets them sign up and verifies the address', () => {
    expect(properties.UsernameAttributes).toEqual(['email']);
    expect(properties.AliasAttributes).toBeUndefined();
    expect(properties.AutoVerifiedAttributes).toEqual(['email']);
    expect(properties.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: false });
    expect(properties.UsernameConfiguration).toEqual({ CaseSensitive: false });
  });

  it('is protected from deletion, and CloudFormation keeps it if the stack goes', () => {
    expect(properties.DeletionProtection).toBe('ACTIVE');
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(id).toBeTruthy();
  });

  it.each([
    'Abcdefg1',
    'abcdefg1',
    'ABCDEFG1',
    'Abcdefgh',
    'Abc1',
    'Abcdef1',
    'Abcdefg1!',
    'ÀBCDEFG1a',
    '12345678',
    'Correct Horse Battery 9',
  ])('accepts or refuses %j exactly as the emulator does', (password) => {
    const policy = (properties.Policies as { PasswordPolicy: Record<string, number | boolean> }).PasswordPolicy;
    const accepted =
      password.length >= Number(policy.MinimumLength) &&
      (!policy.RequireLowercase || /[a-z]/.test(password)) &&
      (!policy.RequireUppercase || /[A-Z]/.test(password)) &&
      (!policy.RequireNumbers || /[0-9]/.test(password)) &&
      (!policy.RequireSymbols || /[^A-Za-z0-9]/.test(password));
    expect(accepted).toBe(passwordPolicyError(password) === null);
  });

  it('offers optional TOTP MFA only (no SMS, no email), as the emulator does', () => {
    expect(properties.MfaConfiguration).toBe('OPTIONAL');
    expect(properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(properties.SmsConfiguration).toBeUndefined();
  });

  it('has no MFA at all when switched off', () => {
    const off = only(synth({ mfa: 'off' }).template, 'AWS::Cognito::UserPool').resource.Properties;
    expect(off.MfaConfiguration).toBe('OFF');
    expect(off.EnabledMfas).toBeUndefined();
  });
});

describe('sign-in choices (issue 15)', () => {
  const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
  const pool = (overrides: Parameters<typeof synth>[0] = {}) =>
    only(synth(overrides).template, 'AWS::Cognito::UserPool').resource.Properties;

  it('is on the Essentials feature plan, which choice-based sign-in, passkeys and email codes need', () => {
    expect(pool().UserPoolTier).toBe('ESSENTIALS');
  });

  it('keeps the old email as the sign-in name until a new one is verified', () => {
    expect(pool().UserAttributeUpdateSettings).toEqual({ AttributesRequireVerificationBeforeUpdate: ['email'] });
  });

  it('lets people start with a password, a passkey or a code sent by email', () => {
    const policy = (pool().Policies as { SignInPolicy: { AllowedFirstAuthFactors: string[] } }).SignInPolicy;
    expect([...policy.AllowedFirstAuthFactors].sort()).toEqual(['EMAIL_OTP', 'PASSWORD', 'WEB_AUTHN']);
  });

  it('binds passkeys to the managed-login host, preferring user verification', () => {
    const properties = pool();
    expect(properties.WebAuthnRelyingPartyID).toBe('cubby-test.auth.eu-west-1.amazoncognito.com');
    expect(properties.WebAuthnUserVerification).toBe('preferred');
  });

  it('binds passkeys to the relying party id chosen for a custom domain', () => {
    const properties = pool({
      domain: { kind: 'custom', domainName: 'auth.example.org', certificateArn: CERTIFICATE },
      passkeyRelyingPartyId: 'example.org',
    });
    expect(properties.WebAuthnRelyingPartyID).toBe('example.org');
  });

  it('lets the app client sign in with USER_AUTH (the choice) besides SRP, never with a plain password flow', () => {
    const client = only(synth().template, 'AWS::Cognito::UserPoolClient').resource.Properties;
    expect(client.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH']));
    expect(client.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
  });

  it('adds email MFA beside TOTP when the pool sends mail through Amazon SES', () => {
    const properties = pool({ emailSender: { fromEmail: 'no-reply@example.org', sesRegion: 'eu-west-1' } });
    expect(properties.MfaConfiguration).toBe('OPTIONAL');
    expect([...(properties.EnabledMfas as string[])].sort()).toEqual(['EMAIL_OTP', 'SOFTWARE_TOKEN_MFA']);
    expect(properties.EmailConfiguration).toMatchObject({
      EmailSendingAccount: 'DEVELOPER',
      From: 'Cubby <no-reply@example.org>',
    });
    expect(JSON.stringify(properties.EmailConfiguration)).toContain(':ses:eu-west-1:');
  });

  it("keeps Cognito's default sender, and TOTP as the only MFA, without SES", () => {
    const properties = pool();
    expect(properties.EmailConfiguration).toBeUndefined();
    expect(properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
  });
});

describe('managed-login domain', () => {
  it("uses the prefix with managed login (version 2) and gives the client Cubby's style", () => {
    const { stack, template } = synth();
    expect(only(template, 'AWS::Cognito::UserPoolDomain').resource.Properties).toEqual({
      Domain: 'cubby-test',
      ManagedLoginVersion: 2,
      UserPoolId: { Ref: logicalId(stack, stack.auth.userPool) },
    });
    expect(only(template, 'AWS::Cognito::ManagedLoginBranding').resource.Properties).toMatchObject({
      UserPoolId: { Ref: logicalId(stack, stack.auth.userPool) },
      ClientId: { Ref: logicalId(stack, stack.auth.client) },
      UseCognitoProvidedValues: false,
    });
  });

  it('uses a custom domain with its certificate', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
    const { template } = synth({ domain: { kind: 'custom', domainName: 'auth.cubby.example.org', certificateArn } });
    expect(only(template, 'AWS::Cognito::UserPoolDomain').resource.Properties).toMatchObject({
      Domain: 'auth.cubby.example.org',
      CustomDomainConfig: { CertificateArn: certificateArn },
      ManagedLoginVersion: 2,
    });
  });
});

describe('app client', () => {
  const { resource } = only(synth().template, 'AWS::Cognito::UserPoolClient');
  const client = resource.Properties;

  it('is confidential: Cognito generates a secret', () => {
    expect(client.GenerateSecret).toBe(true);
  });

  it('does the authorization code grant only, with openid, email, profile and the user APIs, against Cognito users only', () => {
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    // aws.cognito.signin.user.admin lets the app call the user APIs (/account) with the access token.
    expect([...(client.AllowedOAuthScopes as string[])].sort()).toEqual([
      'aws.cognito.signin.user.admin',
      'email',
      'openid',
      'profile',
    ]);
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(client.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    expect(client.ExplicitAuthFlows).not.toContain('ALLOW_ADMIN_USER_PASSWORD_AUTH');
    // The emulator's client starts the same way (tests switch the password flows on through /_local/settings).
    expect(DEFAULT_SETTINGS.userPasswordAuth).toBe(false);
    expect(DEFAULT_SETTINGS.adminUserPasswordAuth).toBe(false);
  });

  it('registers exactly the callback and sign-out URL of every app URL', () => {
    expect(client.CallbackURLs).toEqual([
      'https://cubby.example.org/auth/callback',
      'https://staging.cubby.example.org/auth/callback',
    ]);
    expect(client.LogoutURLs).toEqual(['https://cubby.example.org/', 'https://staging.cubby.example.org/']);
    expect(client.DefaultRedirectURI).toBeUndefined();
  });

  it('revokes tokens and hides whether an account exists', () => {
    expect(client.EnableTokenRevocation).toBe(true);
    expect(client.PreventUserExistenceErrors).toBe('ENABLED');
  });

  it("matches the app's token lives: 1 h ID and access tokens, the refresh token the app assumes by default", () => {
    const units = client.TokenValidityUnits as Record<string, string>;
    const seconds = (value: unknown, unit: string | undefined) =>
      Number(value) * ({ seconds: 1, minutes: 60, hours: 3600, days: 86_400 }[unit ?? ''] ?? Number.NaN);
    expect(seconds(client.IdTokenValidity, units.IdToken)).toBe(3600);
    expect(seconds(client.AccessTokenValidity, units.AccessToken)).toBe(3600);
    const appDefault = parseEnv({ NODE_ENV: 'development' }).COGNITO_REFRESH_TOKEN_VALIDITY_SECONDS;
    expect(seconds(client.RefreshTokenValidity, units.RefreshToken)).toBe(appDefault);
    // The emulator the tests run against hands out the same lives.
    expect(seconds(client.IdTokenValidity, units.IdToken)).toBe(DEFAULT_SETTINGS.idTokenValiditySeconds);
    expect(seconds(client.AccessTokenValidity, units.AccessToken)).toBe(DEFAULT_SETTINGS.accessTokenValiditySeconds);
    expect(seconds(client.RefreshTokenValidity, units.RefreshToken)).toBe(DEFAULT_SETTINGS.refreshTokenValiditySeconds);
  });

  it('has no refresh-token rotation by default, and ALLOW_REFRESH_TOKEN_AUTH as Cognito then requires', () => {
    expect(client.RefreshTokenRotation).toBeUndefined();
    expect(client.ExplicitAuthFlows).toContain('ALLOW_REFRESH_TOKEN_AUTH');
  });

  it('rotates refresh tokens when switched on, with a short grace period and no REFRESH_TOKEN_AUTH', () => {
    const rotating = only(synth({ refreshTokenRotation: true }).template, 'AWS::Cognito::UserPoolClient').resource.Properties;
    expect(rotating.RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: 10 });
    expect(rotating.ExplicitAuthFlows).not.toContain('ALLOW_REFRESH_TOKEN_AUTH');
  });
});
