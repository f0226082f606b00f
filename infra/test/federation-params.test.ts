import { describe, expect, it } from 'vitest';
import { OIDC_ATTRIBUTE_MAPPING, SAML_ATTRIBUTE_MAPPING } from '../lib/federation-params.ts';
import { ParamsError, readParams } from '../lib/params.ts';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
const MINIMAL = { CUBBY_APP_URLS: 'https://cubby.example.org', CUBBY_DOMAIN_PREFIX: 'cubby-prod', CUBBY_REGION: 'eu-west-1' };
const GOOGLE = {
  CUBBY_GOOGLE_CLIENT_ID: '1234-cubby.apps.googleusercontent.com',
  CUBBY_GOOGLE_CLIENT_SECRET: 'secretsmanager:cubby/google',
};
const OIDC = {
  CUBBY_OIDC_NAME: 'Acme',
  CUBBY_OIDC_ISSUER: 'https://login.acme.example',
  CUBBY_OIDC_CLIENT_ID: 'cubby',
  CUBBY_OIDC_CLIENT_SECRET: 'ssm:/cubby/acme',
};
const SAML = { CUBBY_SAML_NAME: 'Globex', CUBBY_SAML_METADATA_URL: 'https://idp.globex.example/metadata' };
const METADATA = '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"></md:EntityDescriptor>';

type Env = Record<string, string | undefined>;

function read(env: Env, context: Record<string, unknown> = {}, files: Record<string, string> = {}) {
  return readParams({ context: (key) => context[key], env: { ...MINIMAL, ...env }, readFile: (path) => files[path] }).params;
}

function problemsOf(env: Env, context: Record<string, unknown> = {}): readonly string[] {
  try {
    read(env, context);
  } catch (error) {
    if (error instanceof ParamsError) return error.problems;
    throw error;
  }
  throw new Error('expected a ParamsError');
}

describe('identity provider parameters', () => {
  it('switch nothing on by default', () => {
    expect(read({}).federation).toEqual({});
  });

  it('take Google with a Secrets Manager secret, whole or one JSON key of it', () => {
    expect(read(GOOGLE).federation.google).toEqual({
      clientId: '1234-cubby.apps.googleusercontent.com',
      clientSecret: { kind: 'secretsmanager', secretId: 'cubby/google' },
    });
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cubby/google-AbCdEf';
    expect(
      read({ ...GOOGLE, CUBBY_GOOGLE_CLIENT_SECRET: `secretsmanager:${arn}#client_secret` }).federation.google?.clientSecret,
    ).toEqual({
      kind: 'secretsmanager',
      secretId: arn,
      jsonField: 'client_secret',
    });
  });

  it('take an OIDC provider with defaults for scopes, mapping and request method', () => {
    expect(read({ ...OIDC, CUBBY_OIDC_IDENTIFIERS: 'Acme.example, acme-corp.example' }).federation.oidc).toEqual({
      name: 'Acme',
      issuer: 'https://login.acme.example',
      clientId: 'cubby',
      clientSecret: { kind: 'ssm', parameterName: '/cubby/acme' },
      scopes: ['openid', 'email', 'profile'],
      attributeMapping: OIDC_ATTRIBUTE_MAPPING,
      identifiers: ['acme.example', 'acme-corp.example'],
      attributesRequestMethod: 'GET',
    });
  });

  it('take an attribute mapping as text or, from cdk.json, as an object; it replaces the default', () => {
    const fromText = read({ ...OIDC, CUBBY_OIDC_ATTRIBUTE_MAPPING: 'email=mail, name=displayName, custom:team=team' });
    expect(fromText.federation.oidc?.attributeMapping).toEqual({ email: 'mail', name: 'displayName', 'custom:team': 'team' });
    const fromContext = read(OIDC, { oidcAttributeMapping: { email: 'upn', given_name: 'given_name' } });
    expect(fromContext.federation.oidc?.attributeMapping).toEqual({ email: 'upn', given_name: 'given_name' });
  });

  it('take SAML from a metadata URL, or a metadata file read at synth', () => {
    expect(read({ ...SAML, CUBBY_SAML_IDENTIFIERS: 'globex.example' }).federation.saml).toEqual({
      name: 'Globex',
      metadata: { kind: 'url', url: 'https://idp.globex.example/metadata' },
      attributeMapping: SAML_ATTRIBUTE_MAPPING,
      identifiers: ['globex.example'],
    });
    const fromFile = read({ CUBBY_SAML_NAME: 'Globex', CUBBY_SAML_METADATA_FILE: 'globex.xml' }, {}, { 'globex.xml': METADATA })
      .federation.saml;
    expect(fromFile?.metadata).toEqual({ kind: 'file', content: METADATA });
  });

  it.each([
    ['Google without its secret', { CUBBY_GOOGLE_CLIENT_ID: GOOGLE.CUBBY_GOOGLE_CLIENT_ID }, 'googleClientSecret', 'is required'],
    [
      'a Google client id of another kind',
      { ...GOOGLE, CUBBY_GOOGLE_CLIENT_ID: 'cubby' },
      'googleClientId',
      'apps.googleusercontent.com',
    ],
    [
      'a plaintext secret',
      { ...GOOGLE, CUBBY_GOOGLE_CLIENT_SECRET: 'GOCSPX-abc' },
      'googleClientSecret',
      'never the secret itself',
    ],
    [
      'an SSM SecureString dynamic reference typed in',
      { ...OIDC, CUBBY_OIDC_CLIENT_SECRET: '{{resolve:ssm-secure:/x}}' },
      'oidcClientSecret',
      'secretsmanager:',
    ],
    ['an OIDC provider without issuer', { ...OIDC, CUBBY_OIDC_ISSUER: undefined }, 'oidcIssuer', 'is required'],
    ['an http issuer', { ...OIDC, CUBBY_OIDC_ISSUER: 'http://login.acme.example' }, 'oidcIssuer', 'https'],
    ['a provider name with an underscore', { ...OIDC, CUBBY_OIDC_NAME: 'Acme_Corp' }, 'oidcName', 'no underscores'],
    ['a provider named like a social one', { ...OIDC, CUBBY_OIDC_NAME: 'Google' }, 'oidcName', 'keeps for its own'],
    ['scopes without openid', { ...OIDC, CUBBY_OIDC_SCOPES: 'email profile' }, 'oidcScopes', 'openid'],
    [
      'a request method other than GET or POST',
      { ...OIDC, CUBBY_OIDC_ATTRIBUTES_REQUEST_METHOD: 'PUT' },
      'oidcAttributesRequestMethod',
      'GET or POST',
    ],
    ['a mapping without email', { ...OIDC, CUBBY_OIDC_ATTRIBUTE_MAPPING: 'name=name' }, 'oidcAttributeMapping', 'must map email'],
    [
      'a mapping to no pool attribute',
      { ...OIDC, CUBBY_OIDC_ATTRIBUTE_MAPPING: 'email=email,mail=mail' },
      'oidcAttributeMapping',
      'not a user pool attribute',
    ],
    ['an identifier that is no domain', { ...OIDC, CUBBY_OIDC_IDENTIFIERS: 'acme' }, 'oidcIdentifiers', 'email domain'],
    ['SAML without metadata', { CUBBY_SAML_NAME: 'Globex' }, 'samlMetadataUrl', 'one is required'],
    ['SAML with both kinds of metadata', { ...SAML, CUBBY_SAML_METADATA_FILE: 'x.xml' }, 'samlMetadataFile', 'set one, not both'],
    [
      'an unreadable metadata file',
      { CUBBY_SAML_NAME: 'Globex', CUBBY_SAML_METADATA_FILE: 'missing.xml' },
      'samlMetadataFile',
      'cannot read',
    ],
    ['two providers of one name', { ...OIDC, ...SAML, CUBBY_SAML_NAME: 'acme' }, 'samlName', 'different names'],
    [
      'one domain for two providers',
      { ...OIDC, ...SAML, CUBBY_OIDC_IDENTIFIERS: 'x.example', CUBBY_SAML_IDENTIFIERS: 'x.example' },
      'samlIdentifiers',
      'named by both',
    ],
  ])('refuse %s', (_what, env, parameter, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(parameter);
    expect(problems[0]).toContain(message);
  });

  it('read the metadata file only through the file reader given', () => {
    const problems = (() => {
      try {
        readParams({
          context: () => undefined,
          env: { ...MINIMAL, CUBBY_SAML_NAME: 'Globex', CUBBY_SAML_METADATA_FILE: '/etc/hostname' },
        });
      } catch (error) {
        return error instanceof ParamsError ? error.problems : [];
      }
      return [];
    })();
    expect(problems[0]).toContain('cannot read');
  });
});

describe('passkey relying party id', () => {
  const custom = { CUBBY_DOMAIN_PREFIX: undefined, CUBBY_CUSTOM_DOMAIN: 'auth.example.org', CUBBY_CERTIFICATE_ARN: CERTIFICATE };

  it('is the prefix domain host with a prefix domain', () => {
    expect(read({}).passkeyRelyingPartyId).toBe('cubby-prod.auth.eu-west-1.amazoncognito.com');
  });

  it('is the custom domain by default, or a parent domain of it when chosen', () => {
    expect(read(custom).passkeyRelyingPartyId).toBe('auth.example.org');
    expect(read({ ...custom, CUBBY_PASSKEY_RELYING_PARTY_ID: 'Example.org' }).passkeyRelyingPartyId).toBe('example.org');
  });

  it.each([
    ['another domain', { ...custom, CUBBY_PASSKEY_RELYING_PARTY_ID: 'example.net' }, 'a parent domain of it'],
    ['a sibling host', { ...custom, CUBBY_PASSKEY_RELYING_PARTY_ID: 'app.example.org' }, 'a parent domain of it'],
    ['a suffix that is not a parent', { ...custom, CUBBY_PASSKEY_RELYING_PARTY_ID: 'le.org' }, 'a parent domain of it'],
    ['any choice with a prefix domain', { CUBBY_PASSKEY_RELYING_PARTY_ID: 'example.org' }, 'only with customDomain'],
  ])('refuses %s', (_what, env, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('passkeyRelyingPartyId (CUBBY_PASSKEY_RELYING_PARTY_ID)');
    expect(problems[0]).toContain(message);
  });
});

describe('email sender', () => {
  it("is Cognito's default unless an SES address is given; SES's region defaults to the pool's", () => {
    expect(read({}).emailSender).toBeUndefined();
    expect(read({ CUBBY_SES_FROM_EMAIL: 'no-reply@example.org' }).emailSender).toEqual({
      fromEmail: 'no-reply@example.org',
      sesRegion: 'eu-west-1',
    });
    expect(read({ CUBBY_SES_FROM_EMAIL: 'no-reply@example.org', CUBBY_SES_REGION: 'us-east-1' }).emailSender?.sesRegion).toBe(
      'us-east-1',
    );
  });

  it.each([
    [{ CUBBY_SES_FROM_EMAIL: 'no-reply' }, 'sesFromEmail', 'email address'],
    [{ CUBBY_SES_REGION: 'us-east-1' }, 'sesRegion', 'only goes with'],
    [{ CUBBY_SES_FROM_EMAIL: 'no-reply@example.org', CUBBY_SES_REGION: 'Ireland' }, 'sesRegion', 'AWS region'],
  ])('refuses %j', (env, parameter, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(parameter);
    expect(problems[0]).toContain(message);
  });
});
