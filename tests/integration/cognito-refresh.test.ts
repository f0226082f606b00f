import { AdminUserGlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configFor, createUser, idpClient, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';

let emulator: EmulatorProcess;
let config: client.Configuration;
let sub: string;
const EMAIL = 'noor@example.com';
const PASSWORD = 'Passw0rd!';

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  config = await configFor(emulator);
  ({ sub } = await createUser(emulator, { email: EMAIL, password: PASSWORD }));
});
afterEach(async () => {
  await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
  await emulator.hook('POST', '/_local/settings', { refreshTokenRotation: false, retryGracePeriodSeconds: 0 });
  await emulator.hook('DELETE', '/_local/faults');
});
afterAll(async () => {
  await emulator?.stop();
});

const signInUser = () => signIn(emulator, { email: EMAIL, password: PASSWORD });

async function userInfoStatus(accessToken: string): Promise<{ status: number; challenge: string | null }> {
  const response = await fetch(`${emulator.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: response.status, challenge: response.headers.get('www-authenticate') };
}

function refreshError(refreshToken: string): Promise<unknown> {
  return client.refreshTokenGrant(config, refreshToken).then(
    () => 'succeeded',
    (error: unknown) => (error instanceof client.ResponseBodyError ? error.error : error),
  );
}

describe('refresh_token grant', () => {
  it('returns new ID and access tokens but no refresh token while rotation is off; auth_time is kept', async () => {
    const tokens = await signInUser();
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 120 });
    const refreshed = await client.refreshTokenGrant(config, tokens.refreshToken);
    expect(refreshed.refresh_token).toBeUndefined();
    expect(refreshed.id_token).toBeDefined();
    const before = decodeJwt(tokens.idToken);
    const after = decodeJwt(refreshed.id_token ?? '');
    expect(after.auth_time).toBe(before.auth_time);
    expect(after.origin_jti).toBe(before.origin_jti);
    expect((after.iat ?? 0) - (before.iat ?? 0)).toBeGreaterThanOrEqual(120);
    expect(after.nonce).toBeUndefined();
    // The same refresh token keeps working.
    expect((await client.refreshTokenGrant(config, tokens.refreshToken)).access_token).toBeDefined();
  });

  it('rotates when switched on: a new refresh token each time, the old one dies after the grace period', async () => {
    await emulator.hook('POST', '/_local/settings', { refreshTokenRotation: true, retryGracePeriodSeconds: 10 });
    const { refreshToken: first } = await signInUser();
    const rotated = await client.refreshTokenGrant(config, first);
    const second = rotated.refresh_token ?? '';
    expect(second).toMatch(/^eyJjdHkiOiJKV1Qi/);
    expect(second).not.toBe(first);
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 5 });
    expect((await client.refreshTokenGrant(config, first)).access_token).toBeDefined();
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 11 });
    expect(await refreshError(first)).toBe('invalid_grant');
    expect((await client.refreshTokenGrant(config, second)).refresh_token).toBeDefined();
  });

  it('expires refresh tokens after refreshTokenValiditySeconds', async () => {
    const { refreshToken } = await signInUser();
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 30 * 24 * 3600 + 1 });
    expect(await refreshError(refreshToken)).toBe('invalid_grant');
  });
});

describe('/oauth2/userInfo', () => {
  it('returns the attributes, email_verified as a string', async () => {
    const { accessToken } = await signInUser();
    const info = await client.fetchUserInfo(config, accessToken, sub);
    expect(info).toEqual({ sub, email_verified: 'true', email: EMAIL, username: sub });
  });

  it('answers 400 without a bearer token and 401 for a forged, expired or foreign token', async () => {
    const bare = await fetch(`${emulator.url}/oauth2/userInfo`);
    expect(bare.status).toBe(400);
    expect(bare.headers.get('www-authenticate')).toBe(
      'error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"',
    );
    const { accessToken, idToken } = await signInUser();
    const [header, payload] = accessToken.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not a signature').toString('base64url')}`;
    expect((await userInfoStatus(forged)).status).toBe(401);
    expect((await userInfoStatus(idToken)).status).toBe(401);
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 3601 });
    expect(await userInfoStatus(accessToken)).toEqual({
      status: 401,
      challenge:
        'error="invalid_token", error_description="Access token is expired, disabled, or deleted, or the user has globally signed out."',
    });
  });

  it('honours the userinfo fault target', async () => {
    const { accessToken } = await signInUser();
    await emulator.hook('POST', '/_local/faults', { target: 'userinfo', status: 500 });
    expect((await userInfoStatus(accessToken)).status).toBe(500);
    expect((await userInfoStatus(accessToken)).status).toBe(200);
  });
});

describe('/oauth2/revoke', () => {
  it('revokes the whole family: refresh gives invalid_grant and userInfo 401', async () => {
    const tokens = await signInUser();
    const other = await signInUser();
    await client.tokenRevocation(config, tokens.refreshToken);
    expect(await refreshError(tokens.refreshToken)).toBe('invalid_grant');
    expect((await userInfoStatus(tokens.accessToken)).status).toBe(401);
    // Another sign-in of the same user is untouched.
    expect((await userInfoStatus(other.accessToken)).status).toBe(200);
  });

  it('answers 200 with an empty body for unknown or already revoked tokens', async () => {
    const basic = `Basic ${Buffer.from(`${emulator.config.clientId}:${emulator.config.clientSecret}`).toString('base64')}`;
    const response = await fetch(`${emulator.url}/oauth2/revoke`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.a.b.c.d' }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('refuses access tokens, a missing token and bad client authentication', async () => {
    const { accessToken } = await signInUser();
    const revoke = (fields: Record<string, string>, secret = emulator.config.clientSecret) =>
      fetch(`${emulator.url}/oauth2/revoke`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${emulator.config.clientId}:${secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(fields),
      }).then(async (response) => ({ status: response.status, body: await response.json() }));
    expect(await revoke({ token: accessToken })).toEqual({ status: 400, body: { error: 'unsupported_token_type' } });
    expect(await revoke({})).toEqual({ status: 400, body: { error: 'invalid_request' } });
    expect(await revoke({ token: 'x' }, 'wrong')).toEqual({ status: 401, body: { error: 'invalid_client' } });
  });

  it('honours the revoke fault target', async () => {
    const { refreshToken } = await signInUser();
    await emulator.hook('POST', '/_local/faults', { target: 'revoke', status: 503 });
    await expect(client.tokenRevocation(config, refreshToken)).rejects.toThrow();
    expect((await client.refreshTokenGrant(config, refreshToken)).access_token).toBeDefined();
  });
});

describe('AdminUserGlobalSignOut', () => {
  it('kills every sign-in of the user for refresh and userInfo', async () => {
    const first = await signInUser();
    const second = await signInUser();
    await idpClient(emulator).send(
      new AdminUserGlobalSignOutCommand({ UserPoolId: emulator.config.userPoolId, Username: EMAIL }),
    );
    for (const tokens of [first, second]) {
      expect(await refreshError(tokens.refreshToken)).toBe('invalid_grant');
      expect((await userInfoStatus(tokens.accessToken)).status).toBe(401);
    }
    const fresh = await signInUser();
    expect((await userInfoStatus(fresh.accessToken)).status).toBe(200);
  });
});
