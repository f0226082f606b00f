import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createSession,
  readSession,
  type Session,
  setIdentityId,
  TOUCH_INTERVAL_MS,
  touchSession,
  updateSessionTokens,
} from '@/lib/auth/session';
import { mintTokens, realistic } from '../fixtures/tokens';
import { MemoryCookieStore, testSessionConfig } from '../helpers/session-cookie';

const MINUTE = 60_000;
const DAY = 86_400_000;
const config = testSessionConfig();

beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

async function startAt(now: number, sessionConfig = config): Promise<{ store: MemoryCookieStore; session: Session }> {
  const store = new MemoryCookieStore();
  const session = await createSession(store, realistic.tokens, realistic.claims, { config: sessionConfig, now });
  return { store, session };
}

function must<T>(value: T | null): T {
  if (value === null) throw new Error('expected a value');
  return value;
}

describe('idle timeout (1 day, rolling)', () => {
  it('ends a session left alone for a day, and clears it', async () => {
    const t0 = Date.now();
    const { store } = await startAt(t0);
    expect(await readSession(store, { config, now: t0 + DAY - 1 })).not.toBeNull();
    expect(await readSession(store, { config, now: t0 + DAY })).toBeNull();
    expect(store.getAll()).toEqual([]);
  });

  it('rolls forward when touched, but writes at most once a minute', async () => {
    const t0 = Date.now();
    const { store, session } = await startAt(t0);
    const writes = store.writes.length;
    const same = await touchSession(store, session, { config, now: t0 + TOUCH_INTERVAL_MS - 1 });
    expect(same).toBe(session);
    expect(store.writes).toHaveLength(writes);

    const touched = await touchSession(store, session, { config, now: t0 + 2 * MINUTE });
    expect(store.writes.length).toBeGreaterThan(writes);
    expect(touched.lastActiveAt).toBe(t0 + 2 * MINUTE);
    expect(touched.idleExpiresAt).toBe(t0 + 2 * MINUTE + DAY);
    expect((await readSession(store, { config, now: t0 + DAY + MINUTE }))?.lastActiveAt).toBe(t0 + 2 * MINUTE);
  });

  it('follows SESSION_IDLE_TIMEOUT_SECONDS', async () => {
    const short = testSessionConfig({ idleTimeoutSeconds: 900 });
    const t0 = Date.now();
    const { store } = await startAt(t0, short);
    expect(store.writes[0]?.options.maxAge).toBe(900);
    expect(await readSession(store, { config: short, now: t0 + 15 * MINUTE - 1 })).not.toBeNull();
    expect(await readSession(store, { config: short, now: t0 + 15 * MINUTE })).toBeNull();
  });
});

describe('absolute timeout (7 days, capped by the refresh token)', () => {
  it('ends an active session 7 days after sign-in', async () => {
    const t0 = Date.now();
    let { store, session } = await startAt(t0);
    for (let day = 1; day <= 6; day += 1) session = await touchSession(store, session, { config, now: t0 + day * DAY });
    session = await touchSession(store, session, { config, now: t0 + 7 * DAY - MINUTE });
    expect(session.absoluteExpiresAt).toBe(t0 + 7 * DAY);
    expect(await readSession(store, { config, now: t0 + 7 * DAY - 1 })).not.toBeNull();
    expect(await readSession(store, { config, now: t0 + 7 * DAY })).toBeNull();
    expect(store.getAll()).toEqual([]);
  });

  it('never outlives the refresh token', async () => {
    const capped = testSessionConfig({ refreshTokenValiditySeconds: 2 * 86_400 });
    const t0 = Date.now();
    let { store, session } = await startAt(t0, capped);
    session = await touchSession(store, session, { config: capped, now: t0 + DAY + 23 * 60 * MINUTE });
    expect(session.absoluteExpiresAt).toBe(t0 + 2 * DAY);
    expect(await readSession(store, { config: capped, now: t0 + 2 * DAY })).toBeNull();
  });

  it('shortens the cookie lifetime as the absolute limit nears', async () => {
    const t0 = Date.now();
    const { store, session } = await startAt(t0);
    store.writes.length = 0;
    await touchSession(store, session, { config, now: t0 + 7 * DAY - 10 * MINUTE });
    expect(store.writes.map((write) => write.options.maxAge)).toContain(600);
  });

  it('keeps createdAt through a refresh, so refreshing does not extend the session', async () => {
    const t0 = Date.now();
    const { store, session } = await startAt(t0);
    const fresh = await mintTokens({ sub: realistic.claims.sub, groups: ['admins'] });
    const updated = await updateSessionTokens(
      store,
      session,
      { ...fresh.tokens, claims: fresh.claims },
      { config, now: t0 + 3 * DAY },
    );
    expect(updated.createdAt).toBe(t0);
    expect(updated.lastActiveAt).toBe(t0 + 3 * DAY);
    const read = must(await readSession(store, { config, now: t0 + 3 * DAY + 1 }));
    expect(read.groups).toEqual(['admins']);
    expect(read.tokensExpireAt).toBe(fresh.claims.exp * 1000);
    expect(read.tokens()).toEqual(fresh.tokens);
    expect(await readSession(store, { config, now: t0 + 7 * DAY })).toBeNull();
  });
});

describe('session updates', () => {
  it('caches the identity id, keeps it across a refresh and drops it on a new sign-in', async () => {
    const t0 = Date.now();
    const { store, session } = await startAt(t0);
    const withId = await setIdentityId(store, session, 'eu-west-1:11111111-2222-3333-4444-555555555555', { config, now: t0 });
    expect(must(await readSession(store, { config, now: t0 })).identityId).toBe('eu-west-1:11111111-2222-3333-4444-555555555555');
    await updateSessionTokens(store, withId, realistic.tokens, { config, now: t0 + MINUTE });
    expect(must(await readSession(store, { config, now: t0 + MINUTE })).identityId).toBe(
      'eu-west-1:11111111-2222-3333-4444-555555555555',
    );
    const other = await mintTokens();
    await createSession(store, other.tokens, other.claims, { config, now: t0 + 2 * MINUTE });
    const replaced = must(await readSession(store, { config, now: t0 + 2 * MINUTE }));
    expect(replaced.sub).toBe(other.claims.sub);
    expect(replaced.identityId).toBeNull();
  });

  it('ends the session when refreshed claims name another person', async () => {
    const { store, session } = await startAt(Date.now());
    const stranger = await mintTokens();
    await expect(
      updateSessionTokens(store, session, { ...stranger.tokens, claims: stranger.claims }, { config }),
    ).rejects.toMatchObject({
      code: 'session_ended',
    });
    expect(store.getAll()).toEqual([]);
  });

  it('takes the token expiry from the earlier of the ID and access tokens', async () => {
    const t0 = Date.now();
    const shortAccess = await mintTokens({ sub: realistic.claims.sub, validitySeconds: 300 });
    const { store, session } = await startAt(t0);
    const mixed = {
      idToken: realistic.tokens.idToken,
      accessToken: shortAccess.tokens.accessToken,
      refreshToken: realistic.tokens.refreshToken,
    };
    const updated = await updateSessionTokens(store, session, mixed, { config, now: t0 });
    expect(updated.tokensExpireAt).toBe(shortAccess.claims.exp * 1000);
    expect(updated.tokensExpireAt).toBeLessThan(realistic.claims.exp * 1000);
  });
});
