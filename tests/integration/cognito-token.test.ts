import { decodeJwt } from 'jose';
import type * as client from 'openid-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Authorization, authorization, Browser, configFor, createUser, loginThroughForm } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';

let emulator: EmulatorProcess;
let config: client.Configuration;
const EMAIL = 'mo@example.com';
const PASSWORD = 'Passw0rd!';

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  config = await configFor(emulator);
  await createUser(emulator, { email: EMAIL, password: PASSWORD });
});
afterEach(async () => {
  await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
  await emulator.hook('DELETE', '/_local/faults');
});
afterAll(async () => {
  await emulator?.stop();
});

/** A fresh authorization code (and its PKCE verifier) for the test user. */
async function freshCode(): Promise<Authorization & { code: string }> {
  const auth = await authorization(emulator, config);
  const callback = await loginThroughForm(new Browser(), auth.url, { email: EMAIL, password: PASSWORD });
  return { ...auth, code: callback.searchParams.get('code') ?? '' };
}

/** Posts to the token endpoint by hand, to see Cognito's raw status and body. */
async function tokenRequest(
  fields: Record<string, string>,
  options: { basic?: string; contentType?: string } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/x-www-form-urlencoded' };
  if (options.basic) headers.authorization = `Basic ${Buffer.from(options.basic).toString('base64')}`;
  const body = options.contentType === 'application/json' ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
  const response = await fetch(`${emulator.url}/oauth2/token`, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

function codeGrant(auth: { code: string; verifier: string }, extra: Record<string, string> = {}): Record<string, string> {
  return {
    grant_type: 'authorization_code',
    code: auth.code,
    redirect_uri: `${emulator.config.appUrl}/auth/callback`,
    code_verifier: auth.verifier,
    client_id: emulator.config.clientId,
    client_secret: emulator.config.clientSecret,
    ...extra,
  };
}

describe('/oauth2/token', () => {
  it('answers a code grant with Cognito headers and body', async () => {
    const { status, body, headers } = await tokenRequest(codeGrant(await freshCode()));
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['access_token', 'id_token', 'refresh_token', 'expires_in', 'token_type']);
    expect(body).toMatchObject({ expires_in: 3600, token_type: 'Bearer' });
    expect(headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(headers.get('access-control-allow-origin')).toBe('*');
    expect(headers.get('x-amz-cognito-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a CORS preflight openly, as Cognito does', async () => {
    const response = await fetch(`${emulator.url}/oauth2/token`, {
      method: 'OPTIONS',
      headers: { origin: 'https://spa.example', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('POST');
  });

  it('accepts client_secret_basic', async () => {
    const auth = await freshCode();
    const { client_id: _id, client_secret: _secret, ...fields } = codeGrant(auth);
    const { status } = await tokenRequest(fields, { basic: `${emulator.config.clientId}:${emulator.config.clientSecret}` });
    expect(status).toBe(200);
  });

  it('refuses a wrong or missing client secret with invalid_client', async () => {
    const auth = await freshCode();
    for (const fields of [codeGrant(auth, { client_secret: 'wrong' }), { ...codeGrant(auth), client_secret: '' }]) {
      expect(await tokenRequest(fields)).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
    }
    const { client_id: _id, client_secret: _secret, ...bare } = codeGrant(auth);
    expect(await tokenRequest(bare, { basic: `${emulator.config.clientId}:nope` })).toMatchObject({
      status: 400,
      body: { error: 'invalid_client' },
    });
    expect(await tokenRequest({ ...bare, client_id: emulator.config.clientId })).toMatchObject({
      body: { error: 'invalid_client' },
    });
  });

  it('refuses a PKCE verifier that does not match, and the burned code afterwards', async () => {
    const auth = await freshCode();
    const wrong = codeGrant(auth, { code_verifier: 'x'.repeat(64) });
    expect(await tokenRequest(wrong)).toEqual(expect.objectContaining({ status: 400, body: { error: 'invalid_grant' } }));
    expect((await tokenRequest(codeGrant(auth))).body).toEqual({ error: 'invalid_grant' });
  });

  it('refuses a missing verifier with invalid_grant', async () => {
    const { code_verifier: _verifier, ...fields } = codeGrant(await freshCode());
    expect((await tokenRequest(fields)).body).toEqual({ error: 'invalid_grant' });
  });

  it('uses a code once only', async () => {
    const auth = await freshCode();
    expect((await tokenRequest(codeGrant(auth))).status).toBe(200);
    expect(await tokenRequest(codeGrant(auth))).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('lets a code expire after 5 minutes of emulator time', async () => {
    const auth = await freshCode();
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 301 });
    expect((await tokenRequest(codeGrant(auth))).body).toEqual({ error: 'invalid_grant' });
  });

  it('refuses a redirect_uri that differs from the authorize request with unauthorized_client', async () => {
    const auth = await freshCode();
    const fields = codeGrant(auth, { redirect_uri: `${emulator.config.appUrl}/auth/callback/` });
    expect((await tokenRequest(fields)).body).toEqual({ error: 'unauthorized_client' });
  });

  it('maps malformed requests to invalid_request and unknown grants to unsupported_grant_type', async () => {
    const credentials = { client_id: emulator.config.clientId, client_secret: emulator.config.clientSecret };
    expect((await tokenRequest({ ...credentials })).body).toEqual({ error: 'invalid_request' });
    expect((await tokenRequest({ ...credentials, grant_type: 'refresh_token' })).body).toEqual({ error: 'invalid_request' });
    expect((await tokenRequest({ ...credentials, grant_type: 'password' })).body).toEqual({ error: 'unsupported_grant_type' });
    const json = await tokenRequest(codeGrant(await freshCode()), { contentType: 'application/json' });
    expect(json).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('reads token validity from the settings at issue time', async () => {
    await emulator.hook('POST', '/_local/settings', { idTokenValiditySeconds: 360, accessTokenValiditySeconds: 420 });
    try {
      const { body } = await tokenRequest(codeGrant(await freshCode()));
      const id = decodeJwt(String(body.id_token));
      const access = decodeJwt(String(body.access_token));
      expect((id.exp ?? 0) - (id.iat ?? 0)).toBe(360);
      expect((access.exp ?? 0) - (access.iat ?? 0)).toBe(420);
      expect(body.expires_in).toBe(420);
    } finally {
      await emulator.hook('POST', '/_local/settings', { idTokenValiditySeconds: 3600, accessTokenValiditySeconds: 3600 });
    }
  });

  it('honours the token fault target', async () => {
    const auth = await freshCode();
    await emulator.hook('POST', '/_local/faults', { target: 'token', status: 503 });
    const faulted = await fetch(`${emulator.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(codeGrant(auth)),
    });
    expect(faulted.status).toBe(503);
    expect((await tokenRequest(codeGrant(auth))).status).toBe(200);
  });
});
