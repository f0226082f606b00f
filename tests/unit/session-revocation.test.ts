import { sealData } from 'iron-session';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { signOut } from '@/lib/auth/logout';
import { ensureNotRevoked, isSessionRevoked, revocationKey, revokeSession } from '@/lib/auth/revocation';
import {
  createSession,
  DEFAULT_TOKENS_LIFETIME_MS,
  legacySessionId,
  readSession,
  setIdentityId,
  touchSession,
  updateSessionTokens,
} from '@/lib/auth/session';
import { sessionConfig } from '@/lib/auth/session-config';
import { packTokens } from '@/lib/auth/token-codec';
import { AppError } from '@/lib/errors';
import { MemoryStore } from '@/lib/store/memory';
import type { SharedStore } from '@/lib/store/types';
import { mintTokens, realistic } from '../fixtures/tokens';
import { MemoryCookieStore, testSessionConfig } from '../helpers/session-cookie';

/**
 * The session id sign-out revokes, the token lifetime the refresh policy reads, and sign-out
 * itself: a revoked id makes every copy of the cookie read as signed out; a store that does not
 * answer is refused or, for readers that ask, let through marked unchecked.
 */

const config = testSessionConfig();

let logs: MockInstance<typeof console.log>;
let errors: MockInstance<typeof console.error>;
beforeEach(() => {
  logs = vi.spyOn(console, 'log').mockImplementation(() => {});
  errors = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

function logLines(): Record<string, unknown>[] {
  return [...logs.mock.calls, ...errors.mock.calls].map(([line]) => JSON.parse(String(line)));
}

/** A store that is down: every call fails as RedisStore's do when Redis does not answer. */
class DownStore implements SharedStore {
  readonly kind = 'redis' as const;
  calls = 0;
  #fail(): never {
    this.calls += 1;
    throw new AppError('store_unavailable', 'the shared store did not answer');
  }
  async get(): Promise<string | null> {
    return this.#fail();
  }
  async set(): Promise<void> {
    this.#fail();
  }
  async setIfAbsent(): Promise<boolean> {
    return this.#fail();
  }
  async deleteIfEquals(): Promise<void> {
    this.#fail();
  }
  async increment(): Promise<number> {
    return this.#fail();
  }
  async delete(): Promise<void> {
    this.#fail();
  }
  async close(): Promise<void> {}
}

/** An unsigned JWT-shaped token with these claims (the session never verifies signatures). */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'k' })}.${part(claims)}.c2lnbmF0dXJl`;
}

async function signedIn(cookieConfig = config) {
  const cookies = new MemoryCookieStore();
  const session = await createSession(cookies, realistic.tokens, realistic.claims, { config: cookieConfig });
  return { cookies, session };
}

/** A second browser holding a copy of `cookies` (a saved cookie). */
function copyOf(cookies: MemoryCookieStore): MemoryCookieStore {
  return new MemoryCookieStore(cookies.getAll());
}

/** The cookie of a session sealed before sessions had an id and a token lifetime. */
async function legacyCookie(createdAt: number) {
  const data = {
    v: 1,
    tokens: packTokens(realistic.tokens),
    tokensExpireAt: realistic.claims.exp * 1000,
    sub: realistic.claims.sub,
    username: realistic.claims['cognito:username'],
    email: realistic.claims.email,
    groups: [],
    authTime: createdAt,
    createdAt,
    lastActiveAt: createdAt,
  };
  const seal = await sealData(data, { password: config.sealPassword, ttl: 3600 });
  return new MemoryCookieStore([{ name: config.cookieName, value: seal }]);
}

describe('session id', () => {
  it('is 128 random bits (base64url), new for every sign-in', async () => {
    const first = await signedIn();
    const second = await signedIn();
    expect(first.session.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(second.session.id).not.toBe(first.session.id);
    expect((await readSession(first.cookies, { config }))?.id).toBe(first.session.id);
  });

  it('stays the same through touch, refresh and identity caching', async () => {
    const { cookies, session } = await signedIn();
    const touched = await touchSession(cookies, session, { config, now: session.lastActiveAt + 120_000 });
    const fresh = await mintTokens({ sub: realistic.claims.sub });
    const refreshed = await updateSessionTokens(cookies, touched, { ...fresh.tokens, claims: fresh.claims }, { config });
    const withIdentity = await setIdentityId(cookies, refreshed, 'us-east-1:abc', { config });
    for (const later of [touched, refreshed, withIdentity]) expect(later.id).toBe(session.id);
    expect((await readSession(cookies, { config }))?.id).toBe(session.id);
  });

  it('is derived from subject and creation time for a cookie sealed before sessions had one', async () => {
    const createdAt = Date.now() - 60_000;
    const id = (await readSession(await legacyCookie(createdAt), { config }))?.id;
    expect(id).toBe(legacySessionId(realistic.claims.sub, createdAt));
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Every copy gets the same id; another session of the same person gets another.
    expect((await readSession(await legacyCookie(createdAt), { config }))?.id).toBe(id);
    expect((await readSession(await legacyCookie(createdAt - 1), { config }))?.id).not.toBe(id);
  });

  it('lets a cookie sealed before sessions had an id be revoked', async () => {
    const store = new MemoryStore();
    const createdAt = Date.now() - 60_000;
    await revokeSession(legacySessionId(realistic.claims.sub, createdAt), Date.now() + 3_600_000, { store });
    expect(await readSession(await legacyCookie(createdAt), { config, revocations: store })).toBeNull();
  });
});

describe('token lifetime', () => {
  it('is exp - iat of the tokens, in ms', async () => {
    const minted = await mintTokens({ validitySeconds: 360 });
    const session = await createSession(new MemoryCookieStore(), minted.tokens, minted.claims, { config });
    expect(session.tokensLifetimeMs).toBe(360_000);
  });

  it('is the shorter of the ID and access tokens', async () => {
    const iat = Math.floor(Date.now() / 1000);
    const tokens = {
      idToken: jwt({ sub: 's', iat, exp: iat + 3600 }),
      accessToken: jwt({ sub: 's', iat, exp: iat + 300 }),
      refreshToken: 'opaque',
    };
    const cookies = new MemoryCookieStore();
    await createSession(cookies, tokens, { sub: 's' }, { config });
    const session = await readSession(cookies, { config });
    expect(session?.tokensLifetimeMs).toBe(300_000);
    expect(session?.tokensExpireAt).toBe((iat + 300) * 1000);
  });

  it('follows refreshed tokens, and falls back to one hour when the tokens or the cookie do not say', async () => {
    const { cookies, session } = await signedIn();
    expect(session.tokensLifetimeMs).toBe(3_600_000);
    const short = await mintTokens({ sub: realistic.claims.sub, validitySeconds: 600 });
    expect((await updateSessionTokens(cookies, session, short.tokens, { config })).tokensLifetimeMs).toBe(600_000);
    const exp = Math.floor(Date.now() / 1000) + 900;
    const noIat = { idToken: jwt({ sub: realistic.claims.sub, exp }), accessToken: jwt({ exp }), refreshToken: 'r' };
    const updated = await updateSessionTokens(cookies, session, noIat, { config });
    expect(updated.tokensLifetimeMs).toBe(DEFAULT_TOKENS_LIFETIME_MS);
    expect((await readSession(cookies, { config }))?.tokensLifetimeMs).toBe(DEFAULT_TOKENS_LIFETIME_MS);
    expect((await readSession(await legacyCookie(Date.now()), { config }))?.tokensLifetimeMs).toBe(DEFAULT_TOKENS_LIFETIME_MS);
  });
});

describe('revocation', () => {
  it('keeps a revocation until the given time and not past it', async () => {
    const clock = { now: 1_000_000 };
    const store = new MemoryStore(() => clock.now);
    await revokeSession('sid-1', clock.now + 60_000, { store, now: clock.now });
    expect(await isSessionRevoked('sid-1', { store })).toBe(true);
    expect(await isSessionRevoked('sid-2', { store })).toBe(false);
    clock.now += 59_999;
    expect(await isSessionRevoked('sid-1', { store })).toBe(true);
    clock.now += 1;
    expect(await isSessionRevoked('sid-1', { store })).toBe(false);
  });

  it('records nothing for a session already past its end', async () => {
    const store = new MemoryStore();
    await revokeSession('sid-old', Date.now() - 1, { store });
    expect(await store.get(revocationKey('sid-old'))).toBeNull();
  });

  it('makes readSession refuse the session and every copy of its cookie, clearing it unless read-only', async () => {
    const store = new MemoryStore();
    const { cookies, session } = await signedIn();
    const copy = copyOf(cookies);
    const readOnlyCopy = copyOf(cookies);
    await revokeSession(session.id, session.absoluteExpiresAt, { store });
    expect(await readSession(copy, { config, revocations: store })).toBeNull();
    expect(copy.getAll()).toEqual([]);
    expect(await readSession(readOnlyCopy, { config, revocations: store, readOnly: true })).toBeNull();
    expect(readOnlyCopy.getAll()).toEqual(cookies.getAll());
    expect(logLines()).toContainEqual(expect.objectContaining({ event: 'session.rejected', reason: 'revoked' }));
    // Another session of the same person is not affected.
    const other = await signedIn();
    expect(await readSession(other.cookies, { config, revocations: store })).not.toBeNull();
  });

  it('ensureNotRevoked passes a checked session without asking the store, and checks an unchecked one', async () => {
    const down = new DownStore();
    const { session } = await signedIn();
    await ensureNotRevoked(session, { store: down });
    expect(down.calls).toBe(0);
    const store = new MemoryStore();
    await ensureNotRevoked({ id: session.id, revocationChecked: false }, { store });
    await revokeSession(session.id, session.absoluteExpiresAt, { store });
    await expect(ensureNotRevoked({ id: session.id, revocationChecked: false }, { store })).rejects.toMatchObject({
      code: 'session_ended',
    });
  });
});

describe('when the store is down', () => {
  it('readSession refuses by default with store_unavailable and leaves the cookie (nobody is signed out)', async () => {
    const { cookies } = await signedIn();
    const before = cookies.getAll();
    await expect(readSession(cookies, { config, revocations: new DownStore() })).rejects.toMatchObject({
      code: 'store_unavailable',
    });
    expect(cookies.getAll()).toEqual(before);
  });

  it("readSession with whenStoreDown: 'unchecked' returns the session marked unchecked, with an error log line", async () => {
    const down = new DownStore();
    const { cookies, session } = await signedIn();
    const read = await readSession(cookies, { config, revocations: down, whenStoreDown: 'unchecked' });
    expect(read?.id).toBe(session.id);
    expect(read?.revocationChecked).toBe(false);
    expect(logLines()).toContainEqual(
      expect.objectContaining({ level: 'error', event: 'session.revocation_unchecked', reason: 'store_unavailable' }),
    );
    // Writing it back (touch) keeps the mark; whatever hands out access checks again and refuses.
    if (!read) return;
    const touched = await touchSession(cookies, read, { config, now: read.lastActiveAt + 120_000 });
    expect(touched.revocationChecked).toBe(false);
    await expect(ensureNotRevoked(touched, { store: down })).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('a bad cookie is still just signed out, without asking the store', async () => {
    const down = new DownStore();
    const cookies = new MemoryCookieStore([{ name: config.cookieName, value: 'garbage' }]);
    expect(await readSession(cookies, { config, revocations: down })).toBeNull();
    expect(down.calls).toBe(0);
  });
});

describe('sign-out (lib/auth/logout.ts, the in-memory default store)', () => {
  it('refuses a copy of the cookie saved before POST /auth/logout, and clears the signed-out browser', async () => {
    const appConfig = sessionConfig();
    const { cookies, session } = await signedIn(appConfig);
    const saved = copyOf(cookies);
    expect(await readSession(copyOf(saved))).not.toBeNull();

    const logoutUrl = await signOut(cookies);
    expect(logoutUrl).toContain('/logout?');
    expect(cookies.getAll()).toEqual([]);

    expect(await readSession(saved)).toBeNull();
    expect(saved.getAll()).toEqual([]);
    expect(await isSessionRevoked(session.id)).toBe(true);
    expect(logLines()).toContainEqual(expect.objectContaining({ event: 'session.rejected', reason: 'revoked' }));
    expect(logLines()).toContainEqual(expect.objectContaining({ event: 'auth.signed_out', sub: realistic.claims.sub }));
  });
});
