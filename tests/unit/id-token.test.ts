import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessTokenHash, verifyIdToken } from '@/lib/auth/id-token';
import { AppError } from '@/lib/errors';

const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123';
const CLIENT_ID = '47ahgb3e4jqhk86o7gugvbglf8';
const NONCE = 'n-0S6_WzA2Mj';
const ACCESS_TOKEN = 'eyJraWQiOiJhY2Nlc3MifQ.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const NOW = 1_800_000_000;

let privateKey: CryptoKey;
let otherKey: CryptoKey;
let keys: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  ({ privateKey } = await generateKeyPair('RS256', { extractable: true }));
  const pair = await generateKeyPair('RS256', { extractable: true });
  otherKey = pair.privateKey;
  const publicJwk = await exportJWK(
    (await crypto.subtle.importKey('jwk', await exportJWK(privateKey), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, [
      'sign',
    ])) as CryptoKey,
  );
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicOnly } = publicJwk;
  keys = createLocalJWKSet({ keys: [{ ...publicOnly, kid: 'id-key', alg: 'RS256', use: 'sig' }] });
});

function claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    sub: '1666ff8c-8ddf-42c8-9109-07e2dfd3848c',
    iss: ISSUER,
    aud: CLIENT_ID,
    token_use: 'id',
    iat: NOW - 10,
    exp: NOW + 3600,
    auth_time: NOW - 10,
    nonce: NONCE,
    at_hash: accessTokenHash(ACCESS_TOKEN),
    email: 'ada@example.com',
    ...overrides,
  };
}

async function sign(payload: JWTPayload, options: { kid?: string; key?: CryptoKey } = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'id-key' }).sign(options.key ?? privateKey);
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

const expectations = { issuer: ISSUER, clientId: CLIENT_ID, nonce: NONCE, accessToken: ACCESS_TOKEN, now: NOW };

async function rejection(token: string, overrides: Partial<typeof expectations> = {}): Promise<string> {
  try {
    await verifyIdToken(token, keys, { ...expectations, ...overrides });
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('login_failed');
    return (error as AppError).message;
  }
  throw new Error('token was accepted');
}

describe('verifyIdToken', () => {
  it('accepts a well-formed Cognito ID token', async () => {
    const verified = await verifyIdToken(await sign(claims()), keys, expectations);
    expect(verified.sub).toBe('1666ff8c-8ddf-42c8-9109-07e2dfd3848c');
    expect(verified.email).toBe('ada@example.com');
  });

  it('accepts a token without at_hash', async () => {
    const { at_hash: _unused, ...rest } = claims();
    await expect(verifyIdToken(await sign(rest), keys, expectations)).resolves.toMatchObject({ token_use: 'id' });
  });

  it.each([
    ['wrong iss', { iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' }, /iss/],
    ['wrong aud', { aud: 'someotherclient' }, /aud/],
    ['missing sub', { sub: undefined }, /sub/],
    ['empty sub', { sub: '' }, /sub/],
    ['nonce mismatch', { nonce: 'another-nonce' }, /nonce/],
    ['missing nonce', { nonce: undefined }, /nonce/],
    ['expired', { exp: NOW - 120 }, /ERR_JWT_EXPIRED/],
    ['iat in the future', { iat: NOW + 600 }, /iat/],
    ['bad at_hash', { at_hash: accessTokenHash('another-access-token') }, /at_hash/],
    ['an access token', { token_use: 'access' }, /token_use/],
  ])('refuses %s', async (_name, overrides, reason) => {
    expect(await rejection(await sign(claims(overrides as JWTPayload)))).toMatch(reason);
  });

  it('refuses alg none', async () => {
    const token = `${base64url({ alg: 'none', kid: 'id-key' })}.${base64url(claims())}.`;
    expect(await rejection(token)).toMatch(/ERR_JOSE_ALG_NOT_ALLOWED|ERR_JWS_INVALID/);
  });

  it('refuses HS256, even keyed with the public key material', async () => {
    const secret = new TextEncoder().encode('a-shared-secret-that-is-long-enough-for-hs256');
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: 'id-key' }).sign(secret);
    expect(await rejection(token)).toMatch(/ERR_JOSE_ALG_NOT_ALLOWED/);
  });

  it('refuses a signature by another key and an unknown kid', async () => {
    expect(await rejection(await sign(claims(), { key: otherKey }))).toMatch(/ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
    expect(await rejection(await sign(claims(), { kid: 'unknown' }))).toMatch(/ERR_JWKS_NO_MATCHING_KEY/);
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = (await sign(claims())).split('.');
    const forged = `${header}.${base64url(claims({ email: 'mallory@example.com' }))}.${signature}`;
    expect(await rejection(forged)).toMatch(/ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
  });
});
