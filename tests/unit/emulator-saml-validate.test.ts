import { describe, expect, it } from 'vitest';
import { validateSamlResponse } from '../../emulator/cognito/saml-validate.ts';
import { ASSERTION_LIFETIME_SECONDS, buildSamlResponse, type SamlResponseInput } from '../../emulator/idp/saml-assertion.ts';
import { createSigningCredentials } from '../../emulator/idp/saml-certificate.ts';
import { SAML } from '../../emulator/idp/saml-protocol.ts';

const NOW = Date.parse('2026-05-04T10:00:00.000Z');
const IDP = 'http://127.0.0.1:9229/_idp/globex';
const ACS = 'http://localhost:9229/saml2/idpresponse';
const AUDIENCE = 'urn:amazon:cognito:sp:us-east-1_LocalCubby';
const REQUEST_ID = '_5f2c1d0e9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e';
const EMAIL_URI = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
const NAME_URI = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';

const credentials = createSigningCredentials('Globex emulated SAML IdP', new Date(NOW - 86_400_000));
const stranger = createSigningCredentials('Someone else', new Date(NOW - 86_400_000));

function response(overrides: Partial<SamlResponseInput> = {}): string {
  return buildSamlResponse({
    issuer: IDP,
    destination: ACS,
    audience: AUDIENCE,
    inResponseTo: REQUEST_ID,
    nowMs: NOW,
    credentials,
    subject: {
      nameId: '2b7e1516-28ae-4d2a-abf7-158809cf4f3c',
      attributes: { [EMAIL_URI]: 'wile@globex.example', [NAME_URI]: 'Wile E. <Coyote>' },
      sessionIndex: '_session',
    },
    ...overrides,
  });
}

const base64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

function validate(xml: string, nowMs = NOW) {
  return validateSamlResponse(base64(xml), {
    idpEntityId: IDP,
    certificates: [credentials.certificatePem],
    audience: AUDIENCE,
    acsUrl: ACS,
    requestId: REQUEST_ID,
    nowMs,
  });
}

describe('validateSamlResponse: what the pool accepts', () => {
  it('accepts a response signed by the IdP, with the NameID and the attributes', async () => {
    await expect(validate(response())).resolves.toEqual({
      ok: true,
      nameId: '2b7e1516-28ae-4d2a-abf7-158809cf4f3c',
      attributes: { [EMAIL_URI]: 'wile@globex.example', [NAME_URI]: 'Wile E. <Coyote>' },
    });
  });

  it('accepts an assertion within the clock skew on either side of its validity', async () => {
    const lifetime = ASSERTION_LIFETIME_SECONDS * 1000;
    await expect(validate(response(), NOW - 59_000)).resolves.toMatchObject({ ok: true });
    await expect(validate(response(), NOW + lifetime + 59_000)).resolves.toMatchObject({ ok: true });
  });

  it('accepts any certificate of the metadata', async () => {
    const result = await validateSamlResponse(base64(response()), {
      idpEntityId: IDP,
      certificates: [stranger.certificatePem, credentials.certificatePem],
      audience: AUDIENCE,
      acsUrl: ACS,
      requestId: REQUEST_ID,
      nowMs: NOW,
    });
    expect(result.ok).toBe(true);
  });
});

describe('validateSamlResponse: what the pool refuses', () => {
  const valid = response();
  const lifetime = ASSERTION_LIFETIME_SECONDS * 1000;
  const withoutSignatures = valid.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/g, '');
  const forgedAssertion = valid
    .match(/<saml:Assertion[\s\S]*<\/saml:Assertion>/)?.[0]
    ?.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '')
    .replace('wile@globex.example', 'admin@globex.example')
    .replace(/ID="[^"]+"/, 'ID="_forged"');
  const cases: [string, () => string, number, string][] = [
    ['an attribute changed after signing', () => valid.replace('wile@globex.example', 'road@globex.example'), NOW, 'signature'],
    ['the NameID changed after signing', () => valid.replace('2b7e1516-28ae', '2b7e1516-28af'), NOW, 'signature'],
    ['the signatures removed', () => withoutSignatures, NOW, 'signature'],
    ['a signature by another key', () => response({ credentials: stranger }), NOW, 'signature'],
    [
      'a second, unsigned assertion wrapped in',
      () => valid.replace('<saml:Assertion', `${forgedAssertion}<saml:Assertion`),
      NOW,
      'signature',
    ],
    ['another audience', () => response({ audience: 'urn:amazon:cognito:sp:us-east-1_Other' }), NOW, 'audience'],
    ['another issuer', () => response({ issuer: 'http://127.0.0.1:9229/_idp/initech' }), NOW, 'issuer'],
    ['another recipient', () => response({ destination: 'http://localhost:9229/elsewhere' }), NOW, 'recipient'],
    ['an answer to another AuthnRequest', () => response({ inResponseTo: '_another' }), NOW, 'in_response_to'],
    ['an expired assertion', () => valid, NOW + lifetime + 61_000, 'expired'],
    ['an assertion not yet valid', () => valid, NOW - 61_000, 'not_yet_valid'],
    ['no XML at all', () => 'not xml', NOW, 'malformed'],
  ];
  it.each(cases)('refuses %s', async (_name, xml, nowMs, failure) => {
    await expect(validate(xml(), nowMs)).resolves.toMatchObject({ ok: false, failure });
  });

  it('reports a failure status with its codes', async () => {
    const cancelled = response({
      subject: undefined,
      status: { code: SAML.status.responder, subCode: SAML.status.authnFailed, message: 'The user cancelled the sign-in.' },
    });
    await expect(validate(cancelled)).resolves.toEqual({
      ok: false,
      failure: 'status',
      detail: `${SAML.status.responder} ${SAML.status.authnFailed}`,
    });
  });
});
