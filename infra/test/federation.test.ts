import { describe, expect, it } from 'vitest';
import type { FederationParams } from '../lib/federation-params.ts';
import { readParams } from '../lib/params.ts';
import { type CfnResource, logicalId, only, synth } from './support.ts';

const SAML_METADATA = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.globex.example/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.globex.example/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;

/** The three providers, as a deployment would switch them on. */
const ALL = {
  google: {
    clientId: '1234-cubby.apps.googleusercontent.com',
    clientSecret: { kind: 'secretsmanager', secretId: 'cubby/google', jsonField: 'client_secret' },
  },
  oidc: {
    name: 'Acme',
    issuer: 'https://login.acme.example/oauth2',
    clientId: 'cubby',
    clientSecret: { kind: 'ssm', parameterName: '/cubby/acme/client-secret' },
    scopes: ['openid', 'email', 'profile'],
    attributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name', picture: 'picture' },
    identifiers: ['acme.example', 'acme-corp.example'],
    attributesRequestMethod: 'GET',
  },
  saml: {
    name: 'Globex',
    metadata: { kind: 'url', url: 'https://idp.globex.example/saml/metadata' },
    attributeMapping: { email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress' },
    identifiers: ['globex.example'],
  },
} satisfies Required<FederationParams>;

function providers(federation: FederationParams) {
  const { stack, template } = synth({ federation });
  const found = template.findResources('AWS::Cognito::UserPoolIdentityProvider') as Record<string, CfnResource>;
  const byName = Object.fromEntries(
    Object.entries(found).map(([id, resource]) => [String(resource.Properties.ProviderName), { id, ...resource }]),
  );
  return { stack, template, byName };
}

describe('identity providers', () => {
  it('are off unless switched on: Cognito users only', () => {
    const { template, byName } = providers({});
    expect(byName).toEqual({});
    const client = only(template, 'AWS::Cognito::UserPoolClient');
    expect(client.resource.Properties.SupportedIdentityProviders).toEqual(['COGNITO']);
  });

  it('Google: the client id, the secret as a Secrets Manager reference, openid email profile, the standard claims mapped', () => {
    const { stack, byName } = providers({ google: ALL.google });
    expect(byName.Google?.Properties).toEqual({
      UserPoolId: { Ref: logicalId(stack, stack.auth.userPool) },
      ProviderName: 'Google',
      ProviderType: 'Google',
      ProviderDetails: {
        client_id: '1234-cubby.apps.googleusercontent.com',
        client_secret: '{{resolve:secretsmanager:cubby/google:SecretString:client_secret::}}',
        authorize_scopes: 'openid email profile',
      },
      AttributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name', picture: 'picture' },
    });
  });

  it('OIDC: issuer, client, the secret as an SSM reference, scopes, mapping, email domains, request method', () => {
    const { byName } = providers({ oidc: ALL.oidc });
    expect(byName.Acme?.Properties).toMatchObject({
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: 'cubby',
        client_secret: '{{resolve:ssm:/cubby/acme/client-secret}}',
        authorize_scopes: 'openid email profile',
        oidc_issuer: 'https://login.acme.example/oauth2',
        attributes_request_method: 'GET',
      },
      AttributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name', picture: 'picture' },
      IdpIdentifiers: ['acme.example', 'acme-corp.example'],
    });
  });

  it('SAML: from a metadata URL or the metadata file itself, with its mapping and email domains', () => {
    const fromUrl = providers({ saml: ALL.saml }).byName.Globex?.Properties;
    expect(fromUrl).toMatchObject({
      ProviderType: 'SAML',
      ProviderDetails: { MetadataURL: 'https://idp.globex.example/saml/metadata' },
      AttributeMapping: { email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress' },
      IdpIdentifiers: ['globex.example'],
    });
    const fromFile = providers({ saml: { ...ALL.saml, metadata: { kind: 'file', content: SAML_METADATA }, identifiers: [] } })
      .byName.Globex?.Properties;
    expect(fromFile?.ProviderDetails).toEqual({ MetadataFile: SAML_METADATA });
    expect(fromFile?.IdpIdentifiers).toBeUndefined();
  });

  it("make the client's supported providers COGNITO plus each one, and the client waits for them", () => {
    const { template, byName } = providers(ALL);
    const client = only(template, 'AWS::Cognito::UserPoolClient');
    expect(client.resource.Properties.SupportedIdentityProviders).toEqual(['COGNITO', 'Google', 'Acme', 'Globex']);
    const dependsOn = (template.toJSON().Resources[client.id] as { DependsOn?: string[] }).DependsOn ?? [];
    for (const name of ['Google', 'Acme', 'Globex']) expect(dependsOn).toContain(byName[name]?.id);
  });

  it('follow what is switched on: only SAML', () => {
    const { template } = providers({ saml: ALL.saml });
    expect(only(template, 'AWS::Cognito::UserPoolClient').resource.Properties.SupportedIdentityProviders).toEqual([
      'COGNITO',
      'Globex',
    ]);
  });
});

describe('client secrets', () => {
  const GOOGLE_SECRET = 'GOCSPX-test-google-secret-value';
  const OIDC_SECRET = 'acme-test-oidc-secret-value';

  it('never reach the template, whatever else the environment holds', () => {
    // A deployer's shell with the secrets at hand; the parameters only name where they are stored.
    const env = {
      CUBBY_APP_URLS: 'https://cubby.example.org',
      CUBBY_DOMAIN_PREFIX: 'cubby-test',
      CUBBY_REGION: 'eu-west-1',
      CUBBY_GOOGLE_CLIENT_ID: '1234-cubby.apps.googleusercontent.com',
      CUBBY_GOOGLE_CLIENT_SECRET: 'secretsmanager:cubby/google#client_secret',
      CUBBY_OIDC_NAME: 'Acme',
      CUBBY_OIDC_ISSUER: 'https://login.acme.example',
      CUBBY_OIDC_CLIENT_ID: 'cubby',
      CUBBY_OIDC_CLIENT_SECRET: 'ssm:/cubby/acme/client-secret',
      GOOGLE_CLIENT_SECRET: GOOGLE_SECRET,
      ACME_CLIENT_SECRET: OIDC_SECRET,
    };
    const { params } = readParams({ context: () => undefined, env });
    const json = JSON.stringify(synth(params).template.toJSON());
    expect(json).not.toContain(GOOGLE_SECRET);
    expect(json).not.toContain(OIDC_SECRET);
    expect(json).toContain('{{resolve:secretsmanager:cubby/google:SecretString:client_secret::}}');
    expect(json).toContain('{{resolve:ssm:/cubby/acme/client-secret}}');
  });

  it('are refused when pasted in place of a reference, and the message does not repeat them', () => {
    const env = {
      CUBBY_APP_URLS: 'https://cubby.example.org',
      CUBBY_DOMAIN_PREFIX: 'cubby-test',
      CUBBY_REGION: 'eu-west-1',
      CUBBY_GOOGLE_CLIENT_ID: '1234-cubby.apps.googleusercontent.com',
      CUBBY_GOOGLE_CLIENT_SECRET: GOOGLE_SECRET,
    };
    let message = '';
    try {
      readParams({ context: () => undefined, env });
    } catch (error) {
      message = String(error);
    }
    expect(message).toContain('googleClientSecret (CUBBY_GOOGLE_CLIENT_SECRET): must name where the secret is stored');
    expect(message).not.toContain(GOOGLE_SECRET);
  });
});
