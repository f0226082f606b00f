import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { signOut } from '@/lib/auth/logout';
import { ensureNotRevoked, revocationKey } from '@/lib/auth/revocation';
import { createSession, readSession } from '@/lib/auth/session';
import { credentialsFor, hasCachedCredentials, identityIdFor } from '@/lib/aws/credentials';
import { sharedStore } from '@/lib/store';
import { RedisStore } from '@/lib/store/redis';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { createUser, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { type RedisServer, startRedisServer } from '../helpers/redis-server';
import { MemoryCookieStore } from '../helpers/session-cookie';

/**
 * Sign-out across app instances: two instances are two RedisStore clients of one real
 * `redis-server` (the app's own through SESSION_STORE_URL, and a second one). A person signs in
 * against the emulator, a copy of their cookie is saved, they sign out through lib/auth/logout.ts
 * on "instance A", and the copy is refused when read through "instance B". The HTTP version with
 * two `node server.js` processes is the e2e suite's.
 */

let emulator: EmulatorProcess;
let redis: RedisServer;
let instanceB: RedisStore;
let logs: MockInstance<typeof console.log>;
let errors: MockInstance<typeof console.error>;

beforeAll(async () => {
  [emulator, redis] = await Promise.all([startEmulatorProcess(), startRedisServer()]);
  useEmulatorEnvironment(emulator, { SESSION_STORE_URL: redis.url });
  instanceB = new RedisStore(redis.url);
  logs = vi.spyOn(console, 'log').mockImplementation(() => {});
  errors = vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterAll(async () => {
  vi.restoreAllMocks();
  await instanceB?.close();
  await sharedStore().close();
  await Promise.all([emulator?.stop(), redis?.close()]);
});

function logLines(): Record<string, unknown>[] {
  return [...logs.mock.calls, ...errors.mock.calls].map(([line]) => JSON.parse(String(line)));
}

function claimsOf(idToken: string): { sub: string; email?: string } {
  const payload = idToken.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string; email?: string };
}

/** A person signed in through the emulator's managed login, with their session cookie. */
async function signedIn(email: string) {
  await createUser(emulator, { email, password: 'Passw0rd!x' });
  const tokens = await signIn(emulator, { email, password: 'Passw0rd!x' });
  const cookies = new MemoryCookieStore();
  const session = await createSession(cookies, tokens, claimsOf(tokens.idToken));
  return { tokens, cookies, session };
}

function copyOf(cookies: MemoryCookieStore): MemoryCookieStore {
  return new MemoryCookieStore(cookies.getAll());
}

describe('sign-out with Redis shared by two instances', () => {
  it('uses Redis for the app (SESSION_STORE_URL)', () => {
    expect(sharedStore().kind).toBe('redis');
  });

  it('refuses on instance B a copy of the cookie signed out on instance A, until the session would have ended', async () => {
    const { cookies, session } = await signedIn('two-instances@example.com');
    const saved = copyOf(cookies);
    expect((await readSession(copyOf(saved), { revocations: instanceB }))?.id).toBe(session.id);

    await signOut(cookies); // instance A: the app's own store
    expect(cookies.getAll()).toEqual([]);

    expect(await readSession(copyOf(saved), { revocations: instanceB, readOnly: true })).toBeNull();
    expect(await readSession(copyOf(saved))).toBeNull();
    // Recorded until the session's absolute expiry, not forever.
    const ttl = await instanceB.client.pttl(revocationKey(session.id));
    expect(ttl).toBeGreaterThan(session.absoluteExpiresAt - Date.now() - 60_000);
    expect(ttl).toBeLessThanOrEqual(session.absoluteExpiresAt - Date.now() + 1_000);
    // The refresh token was revoked at Cognito too.
    expect(logLines()).toContainEqual(expect.objectContaining({ event: 'auth.refresh_token_revoked', sub: session.sub }));
  });

  it("leaves the person's other sessions signed in", async () => {
    const email = 'two-devices@example.com';
    const phone = await signedIn(email);
    const tokens = await signIn(emulator, { email, password: 'Passw0rd!x' });
    const laptop = new MemoryCookieStore();
    await createSession(laptop, tokens, claimsOf(tokens.idToken));
    await signOut(phone.cookies);
    expect(await readSession(laptop, { revocations: instanceB })).not.toBeNull();
  });

  it("drops this process's cached identity and credentials of the person who signed out", async () => {
    const { cookies, session, tokens } = await signedIn('cached@example.com');
    const identityId = await identityIdFor(session.sub, tokens.idToken);
    await credentialsFor(identityId, tokens.idToken);
    expect(hasCachedCredentials(identityId, tokens.idToken)).toBe(true);
    await signOut(cookies);
    expect(hasCachedCredentials(identityId, tokens.idToken)).toBe(false);
  });

  it('still signs out while Redis is down (cookies cleared, error logged); reads refuse or go on unchecked', async () => {
    const { cookies, session } = await signedIn('store-down@example.com');
    const saved = copyOf(cookies);
    await redis.stop();
    try {
      await signOut(cookies);
      expect(cookies.getAll()).toEqual([]);
      expect(logLines()).toContainEqual(
        expect.objectContaining({ level: 'error', event: 'auth.revocation_failed', sub: session.sub }),
      );
      // Refused by default: an error the person can retry, not a sign-out (the cookie stays).
      await expect(readSession(saved)).rejects.toMatchObject({ code: 'store_unavailable' });
      expect(saved.getAll().length).toBeGreaterThan(0);
      // A reader that asks goes on unchecked; anything handing out access checks again and refuses.
      const unchecked = await readSession(saved, { whenStoreDown: 'unchecked' });
      expect(unchecked?.revocationChecked).toBe(false);
      if (unchecked) await expect(ensureNotRevoked(unchecked)).rejects.toMatchObject({ code: 'store_unavailable' });
    } finally {
      await redis.restart();
    }
  });
});
