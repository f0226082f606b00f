import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSession } from '@/lib/auth/session';
import { clearCredentialCaches, credentialsFor, IdTokenRejectedError, identityIdFor } from '@/lib/aws/credentials';
import { accessFor } from '@/lib/dal';
import { AppError } from '@/lib/errors';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { createUser, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { credentialsFor as sdkCredentialsFor } from '../helpers/identity-credentials';
import { MemoryCookieStore } from '../helpers/session-cookie';

/**
 * A person's AWS access as server actions get it: Identity Pool identity and credentials through
 * lib/aws/credentials.ts (cached, single-flight) and lib/dal.ts (refresh once, retry
 * once when the Identity Pool refuses an expired ID token), against a real emulator.
 */

let emulator: EmulatorProcess;

async function stats(): Promise<Record<string, number>> {
  return (await emulator.hook('GET', '/_local/stats')) as Record<string, number>;
}

function claimsOf(idToken: string): { sub: string; email?: string } {
  const payload = idToken.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string; email?: string };
}

async function signedIn(email: string) {
  await createUser(emulator, { email, password: 'Passw0rd!x' });
  return signIn(emulator, { email, password: 'Passw0rd!x' });
}

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator);
});
afterAll(async () => {
  await emulator?.stop();
});
beforeEach(async () => {
  clearCredentialCaches();
  await emulator.hook('POST', '/_local/settings', { idTokenValiditySeconds: 3600 });
  await emulator.hook('DELETE', '/_local/stats');
});

describe('Identity Pool credentials', () => {
  it('finds the same identity as the official client, and caches credentials with one call for concurrent callers', async () => {
    const tokens = await signedIn('cache@example.com');
    const { sub } = claimsOf(tokens.idToken);
    const identityId = await identityIdFor(sub, tokens.idToken);
    expect(identityId).toBe((await sdkCredentialsFor(emulator, tokens.idToken)).identityId);
    await emulator.hook('DELETE', '/_local/stats');

    const all = await Promise.all(Array.from({ length: 10 }, () => credentialsFor(identityId, tokens.idToken)));
    expect(new Set(all.map((credentials) => credentials.accessKeyId)).size).toBe(1);
    expect(all[0]?.accessKeyId).toMatch(/^ASIA/);
    await credentialsFor(identityId, tokens.idToken);
    expect((await stats())['identity:GetCredentialsForIdentity']).toBe(1);
  });

  it('fetches again when the cached credentials are within 5 minutes of expiry', async () => {
    const tokens = await signedIn('margin@example.com');
    const identityId = await identityIdFor(claimsOf(tokens.idToken).sub, tokens.idToken);
    const first = await credentialsFor(identityId, tokens.idToken);
    const nearExpiry = first.expiration.getTime() - 4 * 60 * 1000;
    const second = await credentialsFor(identityId, tokens.idToken, nearExpiry);
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect((await stats())['identity:GetCredentialsForIdentity']).toBe(2);
  });

  it('says an expired ID token is expired, so the caller can refresh', async () => {
    await emulator.hook('POST', '/_local/settings', { idTokenValiditySeconds: 1 });
    const tokens = await signedIn('expired@example.com');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await expect(identityIdFor(claimsOf(tokens.idToken).sub, tokens.idToken)).rejects.toBeInstanceOf(IdTokenRejectedError);
  });
});

describe('access for server actions', () => {
  it('refreshes once and retries once when the ID token expired mid-session, and saves the new tokens', async () => {
    await emulator.hook('POST', '/_local/settings', { idTokenValiditySeconds: 2 });
    const tokens = await signedIn('midsession@example.com');
    const store = new MemoryCookieStore();
    const session = await createSession(store, tokens, claimsOf(tokens.idToken));
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await emulator.hook('DELETE', '/_local/stats');

    const access = await accessFor(session, 'action', store);
    expect(access.credentials.accessKeyId).toMatch(/^ASIA/);
    expect(access.session.tokens().idToken).not.toBe(tokens.idToken);
    expect(access.session.identityId).toBe(access.identityId);
    expect((await stats())['token:refresh_token']).toBe(1);
    expect(store.writes.length).toBeGreaterThanOrEqual(2);
  });

  it('ends the session when the refresh is refused too', async () => {
    await emulator.hook('POST', '/_local/settings', { idTokenValiditySeconds: 1 });
    const tokens = await signedIn('revoked@example.com');
    const store = new MemoryCookieStore();
    const session = await createSession(store, tokens, claimsOf(tokens.idToken));
    const revoke = await fetch(`${emulator.config.domain}/oauth2/revoke`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${emulator.config.clientId}:${emulator.config.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ token: tokens.refreshToken }),
    });
    expect(revoke.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const error = await accessFor(session, 'action', store).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('session_ended');
  });

  it('uses the identity id cached in the session instead of calling GetId again', async () => {
    const tokens = await signedIn('cached-id@example.com');
    const store = new MemoryCookieStore();
    const first = await accessFor(await createSession(store, tokens, claimsOf(tokens.idToken)), 'action', store);
    clearCredentialCaches();
    await emulator.hook('DELETE', '/_local/stats');
    const again = await accessFor(first.session, 'action', store);
    expect(again.identityId).toBe(first.identityId);
    expect((await stats())['identity:GetId']).toBeUndefined();
    expect((await stats())['identity:GetCredentialsForIdentity']).toBe(1);
  });
});
