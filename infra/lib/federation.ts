import { CfnDynamicReference, CfnDynamicReferenceService, SecretValue } from 'aws-cdk-lib';
import { CfnUserPoolIdentityProvider } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { DEFAULT_OIDC_SCOPES, type FederationParams, OIDC_ATTRIBUTE_MAPPING, type SecretRef } from './federation-params.ts';

/** Cognito's fixed provider name (and `identity_provider` value) for Google. */
export const GOOGLE_PROVIDER_NAME = 'Google';

/**
 * A CloudFormation dynamic reference to a client secret: CloudFormation resolves it when it
 * creates the provider, so the template holds where the secret is, never the secret.
 */
export function secretReference(ref: SecretRef): string {
  if (ref.kind === 'secretsmanager') {
    // unsafeUnwrap only hands the token on; it renders as {{resolve:secretsmanager:…}}.
    return SecretValue.secretsManager(ref.secretId, ref.jsonField ? { jsonField: ref.jsonField } : {}).unsafeUnwrap();
  }
  return new CfnDynamicReference(CfnDynamicReferenceService.SSM, ref.parameterName).toString();
}

/**
 * The pool's external identity providers that `federation` switches on, as L1 resources (their
 * ProviderDetails and mappings are written exactly as Cognito's API takes them). Returns them in
 * the order the app client lists them.
 */
export function identityProviders(
  scope: Construct,
  userPoolId: string,
  federation: FederationParams,
): CfnUserPoolIdentityProvider[] {
  const providers: CfnUserPoolIdentityProvider[] = [];
  const { google, oidc, saml } = federation;
  if (google) {
    providers.push(
      new CfnUserPoolIdentityProvider(scope, 'Google', {
        userPoolId,
        providerName: GOOGLE_PROVIDER_NAME,
        providerType: 'Google',
        providerDetails: {
          client_id: google.clientId,
          client_secret: secretReference(google.clientSecret),
          authorize_scopes: DEFAULT_OIDC_SCOPES.join(' '),
        },
        attributeMapping: { ...OIDC_ATTRIBUTE_MAPPING },
      }),
    );
  }
  if (oidc) {
    providers.push(
      new CfnUserPoolIdentityProvider(scope, 'Oidc', {
        userPoolId,
        providerName: oidc.name,
        providerType: 'OIDC',
        providerDetails: {
          client_id: oidc.clientId,
          client_secret: secretReference(oidc.clientSecret),
          authorize_scopes: oidc.scopes.join(' '),
          oidc_issuer: oidc.issuer,
          attributes_request_method: oidc.attributesRequestMethod,
        },
        attributeMapping: { ...oidc.attributeMapping },
        idpIdentifiers: oidc.identifiers.length > 0 ? oidc.identifiers : undefined,
      }),
    );
  }
  if (saml) {
    providers.push(
      new CfnUserPoolIdentityProvider(scope, 'Saml', {
        userPoolId,
        providerName: saml.name,
        providerType: 'SAML',
        providerDetails:
          saml.metadata.kind === 'url' ? { MetadataURL: saml.metadata.url } : { MetadataFile: saml.metadata.content },
        attributeMapping: { ...saml.attributeMapping },
        idpIdentifiers: saml.identifiers.length > 0 ? saml.identifiers : undefined,
      }),
    );
  }
  return providers;
}
