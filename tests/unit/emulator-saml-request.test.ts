import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authnRequestXml, parseIdpMetadata } from '../../emulator/cognito/saml-request.ts';
import { mapSamlAttributes } from '../../emulator/cognito/saml-response.ts';
import { loadConfig } from '../../emulator/config.ts';
import { createContext } from '../../emulator/context.ts';
import { certificateBody } from '../../emulator/idp/saml-certificate.ts';
import { decodeRedirectMessage, encodeRedirectMessage, SAML, samlId, samlReader } from '../../emulator/idp/saml-protocol.ts';
import { globexCredentials, globexMetadata } from '../../emulator/idp/saml-provider.ts';

function context() {
  return createContext(loadConfig({ port: 9229, dataDir: null }, { NODE_ENV: 'test' }), os.tmpdir());
}

describe('the AuthnRequest the pool sends', () => {
  const xml = authnRequestXml({
    id: '_abc',
    nowMs: Date.parse('2026-01-02T03:04:05.678Z'),
    ssoUrl: 'http://127.0.0.1:9229/_idp/globex/sso',
    acsUrl: 'http://localhost:9229/saml2/idpresponse',
    spEntityId: 'urn:amazon:cognito:sp:us-east-1_LocalCubby',
  });

  it('round-trips through the HTTP-Redirect encoding and names the pool, its ACS and the POST binding', () => {
    const encoded = encodeRedirectMessage(xml);
    expect(encoded).toMatch(/^[A-Za-z0-9+/=]+$/);
    const request = (samlReader.parse(decodeRedirectMessage(encoded)) as { AuthnRequest: Record<string, unknown> }).AuthnRequest;
    expect(request).toMatchObject({
      '@_ID': '_abc',
      '@_IssueInstant': '2026-01-02T03:04:05.678Z',
      '@_Destination': 'http://127.0.0.1:9229/_idp/globex/sso',
      '@_AssertionConsumerServiceURL': 'http://localhost:9229/saml2/idpresponse',
      '@_ProtocolBinding': SAML.postBinding,
      '@_Version': '2.0',
      Issuer: 'urn:amazon:cognito:sp:us-east-1_LocalCubby',
    });
  });

  it('refuses to decode what is not a deflated message', () => {
    expect(() => decodeRedirectMessage(Buffer.from('<AuthnRequest/>').toString('base64'))).toThrow();
  });

  it('uses IDs that are NCNames and never repeat', () => {
    const ids = new Set(Array.from({ length: 50 }, samlId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^_[0-9a-f]{40}$/);
  });
});

describe('the IdP metadata the pool reads', () => {
  it('gives the entity id, the redirect SSO URL and the signing certificate of the emulated IdP', () => {
    const ctx = context();
    expect(parseIdpMetadata(globexMetadata(ctx))).toEqual({
      entityId: 'http://127.0.0.1:9229/_idp/globex',
      ssoUrl: 'http://127.0.0.1:9229/_idp/globex/sso',
      certificates: [globexCredentials(ctx).certificatePem],
    });
  });

  it('keeps the IdP key pair for the life of the state, and makes a new one after a reset', () => {
    const ctx = context();
    const pair = globexCredentials(ctx);
    expect(globexCredentials(ctx)).toBe(pair);
    ctx.state.clear();
    expect(globexCredentials(ctx).certificatePem).not.toBe(pair.certificatePem);
  });

  it('persists the IdP key pair with the emulator state across restarts', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cubby-saml-state-'));
    try {
      const config = loadConfig({ port: 9229, dataDir }, { NODE_ENV: 'test' });
      const first = createContext(config, dataDir);
      const pair = globexCredentials(first);
      first.state.flush();
      expect(globexCredentials(createContext(config, dataDir))).toEqual(pair);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('takes only signing certificates and refuses metadata lacking one or the redirect binding', () => {
    const ctx = context();
    const body = certificateBody(globexCredentials(ctx).certificatePem);
    const metadata = (keys: string, binding: string = SAML.redirectBinding) =>
      `<md:EntityDescriptor xmlns:md="${SAML.metadata}" entityID="urn:idp"><md:IDPSSODescriptor protocolSupportEnumeration="${SAML.protocol}">${keys}<md:SingleSignOnService Binding="${binding}" Location="https://idp/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
    const key = (use: string) =>
      `<md:KeyDescriptor${use}><ds:KeyInfo xmlns:ds="${SAML.dsig}"><ds:X509Data><ds:X509Certificate>${body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
    expect(parseIdpMetadata(metadata(key(' use="encryption"') + key('')))?.certificates).toHaveLength(1);
    expect(parseIdpMetadata(metadata(key(' use="encryption"')))).toBeUndefined();
    expect(parseIdpMetadata(metadata(key(''), SAML.postBinding))).toBeUndefined();
    expect(parseIdpMetadata('<not-metadata')).toBeUndefined();
  });
});

describe('attribute mapping', () => {
  it('maps the IdP attributes named by the mapping and nothing else; username is the NameID', () => {
    const mapping = {
      username: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
      email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
      name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    };
    const attributes = {
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': 'wile@globex.example',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier': 'x',
      'http://schemas.xmlsoap.org/claims/Group': 'admins',
    };
    expect(mapSamlAttributes(mapping, attributes)).toEqual({ email: 'wile@globex.example' });
  });
});
