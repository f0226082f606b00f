import os from 'node:os';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { validateAuthorize } from '../../emulator/cognito/authorize.ts';
import { appClient } from '../../emulator/cognito/client.ts';
import { identitiesClaim, startFederationFlow, takeFederationFlow } from '../../emulator/cognito/federation.ts';
import { mapClaims } from '../../emulator/cognito/federation-oidc.ts';
import { findProviderByIdentifier, findProviderByName, providerForClient } from '../../emulator/cognito/identity-providers.ts';
import { loadConfig } from '../../emulator/config.ts';
import { createContext } from '../../emulator/context.ts';
import { identiconPng } from '../../emulator/idp/oidc-photo.ts';

function context() {
  return createContext(loadConfig({ port: 0, dataDir: null }), os.tmpdir());
}

describe('identity providers', () => {
  const ctx = context();
  const client = appClient(ctx);

  it.each([
    ['acme.example', 'Acme'],
    ['ACME.Example', 'Acme'],
    [' globex.example ', 'Globex'],
    ['example.com', undefined],
    ['', undefined],
    ['acme.example.evil', undefined],
  ])('maps the IdP identifier %j to %s', (identifier, name) => {
    expect(findProviderByIdentifier(ctx, identifier)?.name).toBe(name);
  });

  it('matches provider names exactly, as Cognito does', () => {
    expect(findProviderByName(ctx, 'Google')?.type).toBe('Google');
    expect(findProviderByName(ctx, 'google')).toBeUndefined();
    expect(providerForClient(ctx, client, { identityProvider: 'GOOGLE', idpIdentifier: null })).toBeUndefined();
    expect(providerForClient(ctx, client, { identityProvider: null, idpIdentifier: 'acme.example' })?.name).toBe('Acme');
  });
});

describe('ID token claims to pool attributes', () => {
  const ctx = context();
  const google = findProviderByName(ctx, 'Google');
  if (!google) throw new Error('no Google provider');

  it('maps by the attribute mapping, as strings, leaving out the username claim and absent claims', () => {
    expect(
      mapClaims(google, { sub: '1234', email: 'a@example.com', email_verified: true, name: 'A', extra: 'x', picture: 7 }),
    ).toEqual({ email: 'a@example.com', email_verified: 'true', name: 'A', picture: '7' });
    expect(mapClaims(google, { sub: '1234' })).toEqual({});
  });
});

describe('pending federation flows', () => {
  it('are single use and expire after ten minutes on the emulator clock', () => {
    const ctx = context();
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: ctx.config.clientId,
      redirect_uri: `${ctx.config.appUrl}/auth/callback`,
      code_challenge_method: 'S256',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      identity_provider: 'Google',
    });
    const validation = validateAuthorize(ctx, params);
    if (!validation.ok) throw new Error('authorize request refused');
    expect(validation.request.identityProvider).toBe('Google');
    const id = startFederationFlow(ctx, validation.request, 'Google', { nonce: 'n' });
    expect(takeFederationFlow(ctx, id)?.extra).toEqual({ nonce: 'n' });
    expect(takeFederationFlow(ctx, id)).toBeUndefined();
    const late = startFederationFlow(ctx, validation.request, 'Google');
    ctx.clock.offsetSeconds = 601;
    expect(takeFederationFlow(ctx, late)).toBeUndefined();
    expect(takeFederationFlow(ctx, null)).toBeUndefined();
  });
});

describe('the identities claim', () => {
  it('writes primary and dateCreated as strings and is absent for native users', () => {
    const identity = {
      userId: '1',
      providerName: 'Google',
      providerType: 'Google',
      issuer: null,
      primary: true,
      dateCreated: 1642699117273,
    };
    const user = { identities: [identity] } as Parameters<typeof identitiesClaim>[0];
    expect(identitiesClaim(user)).toEqual([{ ...identity, primary: 'true', dateCreated: '1642699117273' }]);
    expect(identitiesClaim({ ...user, identities: [] })).toBeUndefined();
  });
});

describe('generated profile pictures', () => {
  it('are valid 80×80 RGB PNGs, the same for a seed and different between seeds', () => {
    const png = identiconPng('google:123');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(80);
    expect(png.readUInt32BE(20)).toBe(80);
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString()).toBe('IDAT');
    expect(inflateSync(png.subarray(41, 41 + idatLength))).toHaveLength(80 * (1 + 80 * 3));
    expect(identiconPng('google:123')).toEqual(png);
    expect(identiconPng('google:124')).not.toEqual(png);
  });
});
