import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import * as client from 'openid-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';

let emulator: EmulatorProcess;
beforeAll(async () => {
  emulator = await startEmulatorProcess();
});
afterEach(async () => {
  await emulator.hook('DELETE', '/_local/faults');
});
afterAll(async () => {
  await emulator?.stop();
});

describe('discovery and JWKS', () => {
  it('serves the discovery document with exactly the key set of a 2025 Cognito pool', async () => {
    const response = await fetch(`${emulator.config.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const document = (await response.json()) as Record<string, unknown>;
    const { issuer, domain } = emulator.config;
    expect(document).toEqual({
      authorization_endpoint: `${domain}/oauth2/authorize`,
      end_session_endpoint: `${domain}/logout`,
      id_token_signing_alg_values_supported: ['RS256'],
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: ['code', 'token'],
      revocation_endpoint: `${domain}/oauth2/revoke`,
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      token_endpoint: `${domain}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      userinfo_endpoint: `${domain}/oauth2/userInfo`,
    });
    expect(Object.keys(document)).toEqual(Object.keys(document).sort());
  });

  it('is accepted by openid-client discovery', async () => {
    const config = await client.discovery(
      new URL(emulator.config.issuer),
      emulator.config.clientId,
      emulator.config.clientSecret,
      undefined,
      {
        execute: [client.allowInsecureRequests],
      },
    );
    expect(config.serverMetadata().issuer).toBe(emulator.config.issuer);
  });

  it('publishes two RSA-2048 RS256 signing keys with base64 kids', async () => {
    const jwks = (await (await fetch(`${emulator.config.issuer}/.well-known/jwks.json`)).json()) as {
      keys: Record<string, string>[];
    };
    expect(jwks.keys).toHaveLength(2);
    for (const key of jwks.keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(key).toMatchObject({ alg: 'RS256', e: 'AQAB', kty: 'RSA', use: 'sig' });
      expect(key.kid).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect(key.n).toHaveLength(342);
    }
    expect(jwks.keys[0]?.kid).not.toBe(jwks.keys[1]?.kid);
  });

  it('answers the jwks fault target on both documents', async () => {
    await emulator.hook('POST', '/_local/faults', { target: 'jwks', status: 503, times: 2 });
    expect((await fetch(`${emulator.config.issuer}/.well-known/openid-configuration`)).status).toBe(503);
    expect((await fetch(`${emulator.config.issuer}/.well-known/jwks.json`)).status).toBe(503);
    expect((await fetch(`${emulator.config.issuer}/.well-known/jwks.json`)).status).toBe(200);
  });

  it('cannot be used with CognitoJwtVerifier, whose issuer is always the AWS host (hence JwtVerifier elsewhere)', async () => {
    await createUser(emulator, { email: 'grace@example.com', password: 'Passw0rd!' });
    const { idToken } = await signIn(emulator, { email: 'grace@example.com', password: 'Passw0rd!' });
    const verifier = CognitoJwtVerifier.create({
      userPoolId: emulator.config.userPoolId,
      tokenUse: 'id',
      clientId: emulator.config.clientId,
    });
    const jwks = (await (await fetch(`${emulator.config.issuer}/.well-known/jwks.json`)).json()) as Jwks;
    verifier.cacheJwks(jwks);
    expect(() => verifier.verifySync(idToken)).toThrow(/issuer not configured/);
  });
});
