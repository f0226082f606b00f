import { createHash } from 'node:crypto';
import { JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorization, Browser, configFor, createUser, loginThroughForm, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';

/** aws-jwt-verify's default fetcher speaks https only; the emulator's JWKS is loopback http. */
class PlainFetcher implements Fetcher {
  async fetch(uri: string): Promise<ArrayBuffer> {
    const response = await fetch(uri);
    if (response.status !== 200) throw new Error(`JWKS answered ${response.status}`);
    return response.arrayBuffer();
  }
}

let emulator: EmulatorProcess;
let user: { username: string; sub: string };
const EMAIL = 'Ada@Example.com';
const PASSWORD = 'Passw0rd!';

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  user = await createUser(emulator, { email: EMAIL, password: PASSWORD, groups: ['admins', 'editors'] });
});
afterAll(async () => {
  await emulator?.stop();
});

/**
 * CognitoJwtVerifier derives the issuer `https://cognito-idp.<region>.amazonaws.com/<pool>` from the
 * pool id, which the emulator's loopback issuer can never equal; so these tests use aws-jwt-verify's
 * JwtVerifier with the emulator's issuer and JWKS plus the very Cognito field checks
 * (`validateCognitoJwtFields`) CognitoJwtVerifier applies.
 */
function verifier(tokenUse: 'id' | 'access') {
  const { issuer, clientId } = emulator.config;
  return JwtVerifier.create(
    {
      issuer,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      audience: null,
      customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse, clientId, groups: 'admins' }),
    },
    { jwksCache: new SimpleJwksCache({ fetcher: new PlainFetcher() }) },
  );
}

describe('managed login: authorization code + PKCE with openid-client', () => {
  it('issues tokens that openid-client (nonce included) and aws-jwt-verify accept', async () => {
    const tokens = await signIn(emulator, { email: 'ada@example.com', password: PASSWORD, nonce: 'n-0S6_WzA2Mj' });
    expect(tokens.expiresIn).toBe(3600);
    const id = await verifier('id').verify(tokens.idToken);
    const access = await verifier('access').verify(tokens.accessToken);
    expect(id.sub).toBe(user.sub);
    expect(access.sub).toBe(user.sub);
  });

  it('fails the nonce check of openid-client when the nonce differs', async () => {
    const config = await configFor(emulator);
    const auth = await authorization(emulator, config, { nonce: 'sent-nonce' });
    const callback = await loginThroughForm(new Browser(), auth.url, { email: EMAIL, password: PASSWORD });
    await expect(
      client.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: auth.verifier,
        expectedState: auth.state,
        expectedNonce: 'expected-other',
      }),
    ).rejects.toMatchObject({ cause: { message: 'unexpected ID Token "nonce" claim value' } });
  });

  it('shapes the ID token as Cognito does', async () => {
    const tokens = await signIn(emulator, { email: EMAIL, password: PASSWORD, nonce: 'abc' });
    expect(decodeProtectedHeader(tokens.idToken)).toEqual({ kid: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/), alg: 'RS256' });
    const id = decodeJwt(tokens.idToken);
    expect(id).toMatchObject({
      sub: user.sub,
      'cognito:username': user.username,
      'cognito:groups': ['admins', 'editors'],
      'cognito:roles': ['arn:aws:iam::000000000000:role/cubby-local-admins'],
      'cognito:preferred_role': 'arn:aws:iam::000000000000:role/cubby-local-admins',
      email: 'ada@example.com',
      email_verified: true,
      iss: emulator.config.issuer,
      aud: emulator.config.clientId,
      token_use: 'id',
      nonce: 'abc',
    });
    for (const claim of ['origin_jti', 'event_id', 'jti']) expect(id[claim]).toMatch(/^[0-9a-f-]{36}$/);
    expect(id.exp).toBe((id.iat ?? 0) + 3600);
    expect(typeof id.auth_time).toBe('number');
    const digest = createHash('sha256').update(tokens.accessToken).digest().subarray(0, 16).toString('base64url');
    expect(id.at_hash).toBe(digest);
  });

  it('shapes the access token as Cognito does: client_id, scope, version 2, no aud', async () => {
    const tokens = await signIn(emulator, { email: EMAIL, password: PASSWORD });
    const idHeader = decodeProtectedHeader(tokens.idToken);
    const accessHeader = decodeProtectedHeader(tokens.accessToken);
    expect(accessHeader.kid).not.toBe(idHeader.kid);
    const access = decodeJwt(tokens.accessToken);
    const id = decodeJwt(tokens.idToken);
    expect(access).toMatchObject({
      sub: user.sub,
      'cognito:groups': ['admins', 'editors'],
      client_id: emulator.config.clientId,
      token_use: 'access',
      scope: 'openid email profile',
      username: user.username,
      version: 2,
      origin_jti: id.origin_jti,
      auth_time: id.auth_time,
    });
    expect(access.aud).toBeUndefined();
    expect(access['cognito:roles']).toBeUndefined();
  });

  it('returns an opaque refresh token shaped like a Cognito JWE (~1.8 KB)', async () => {
    const { refreshToken } = await signIn(emulator, { email: EMAIL, password: PASSWORD });
    expect(refreshToken.startsWith('eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.')).toBe(true);
    expect(refreshToken.split('.')).toHaveLength(5);
    expect(refreshToken.length).toBeGreaterThan(1700);
    expect(refreshToken.length).toBeLessThan(1900);
  });

  it('signs in with client_secret_basic as well as client_secret_post', async () => {
    const config = await configFor(emulator, client.ClientSecretBasic(emulator.config.clientSecret));
    const auth = await authorization(emulator, config);
    const callback = await loginThroughForm(new Browser(), auth.url, { email: EMAIL, password: PASSWORD });
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: auth.verifier,
      expectedState: auth.state,
      expectedNonce: auth.nonce,
    });
    expect(decodeJwt(tokens.access_token).sub).toBe(user.sub);
  });

  it('grants every allowed scope when none is asked for, and drops unknown ones', async () => {
    const config = await configFor(emulator);
    for (const [scope, granted] of [
      [null, 'openid email phone profile aws.cognito.signin.user.admin'],
      ['openid bogus email offline_access', 'openid email'],
    ] as const) {
      const auth = await authorization(emulator, config);
      if (scope === null) auth.url.searchParams.delete('scope');
      else auth.url.searchParams.set('scope', scope);
      const callback = await loginThroughForm(new Browser(), auth.url, { email: EMAIL, password: PASSWORD });
      const tokens = await client.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: auth.verifier,
        expectedState: auth.state,
        expectedNonce: auth.nonce,
      });
      expect(decodeJwt(tokens.access_token).scope).toBe(granted);
    }
  });
});
