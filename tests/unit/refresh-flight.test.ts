import { describe, expect, it } from 'vitest';
import type { IdTokenClaims } from '@/lib/auth/id-token';
import {
  type CurrentTokens,
  REFRESH_RESULT_GRACE_MS,
  type RefreshedTokens,
  Refresher,
  type RefreshGrant,
  refreshKey,
} from '@/lib/auth/refresh-flight';
import { AppError } from '@/lib/errors';
import { MemoryStore } from '@/lib/store/memory';
import type { SharedStore } from '@/lib/store/types';

/**
 * The refresh single-flight's logic with an in-memory store and a stand-in for Cognito's token
 * endpoint that rotates refresh tokens with no grace period (the harshest Cognito setting): the
 * same tokens are refreshed once whoever asks (bundles of one process, instances sharing a
 * store), an older cookie gets the newer tokens instead of `invalid_grant`, results are sealed,
 * a dead store falls back to one flight per process, and a deadline is kept.
 * Integration tests (tests/integration/refresh-*.test.ts) run the same against the emulator and Redis.
 */

const SECRETS = ['a-session-secret-of-at-least-32-characters!!'];

/** Cognito's token endpoint as far as a refresh sees it: rotation on, grace period 0. */
class FakeCognito {
  calls = 0;
  #next = 0;
  readonly #retired = new Set<string>();
  /** When set, each grant waits for it before answering (the rotation itself happens at once). */
  hold: Promise<void> | null = null;

  signIn(): CurrentTokens {
    this.#next += 1;
    return { idToken: `id-${this.#next}`, accessToken: `access-${this.#next}`, refreshToken: `refresh-${this.#next}` };
  }

  readonly grant = async (refreshToken: string): Promise<RefreshedTokens> => {
    this.calls += 1;
    await Promise.resolve();
    if (this.#retired.has(refreshToken)) {
      if (this.hold) await this.hold;
      throw new AppError('session_ended', 'oauth error invalid_grant');
    }
    this.#retired.add(refreshToken);
    this.#next += 1;
    const claims: IdTokenClaims = { sub: 'person', iat: 1, exp: 2, token_use: 'id' };
    const tokens = {
      idToken: `id-${this.#next}`,
      accessToken: `access-${this.#next}`,
      refreshToken: `refresh-${this.#next}`,
      claims,
    };
    if (this.hold) await this.hold;
    return tokens;
  };
}

function refresher(store: SharedStore, cognito: FakeCognito, extra: { lockTtlMs?: number; grant?: RefreshGrant } = {}) {
  return new Refresher({
    store: () => store,
    grant: extra.grant ?? cognito.grant,
    secrets: () => SECRETS,
    lockTtlMs: extra.lockTtlMs,
  });
}

const soon = () => Date.now() + 5_000;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** A store that is down: every call fails as RedisStore does when Redis does not answer. */
class DownStore extends MemoryStore {
  override get(): Promise<string | null> {
    return Promise.reject(new AppError('store_unavailable'));
  }
  override setIfAbsent(): Promise<boolean> {
    return Promise.reject(new AppError('store_unavailable'));
  }
}

describe('refresh single-flight', () => {
  it('20 concurrent refreshes of one session over two instances sharing a store make one call to Cognito', async () => {
    const cognito = new FakeCognito();
    const store = new MemoryStore();
    const instances = [refresher(store, cognito), refresher(store, cognito)];
    const current = cognito.signIn();
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => instances[index % 2]?.refresh(current, soon())));
    expect(cognito.calls).toBe(1);
    expect(new Set(results.map((tokens) => tokens?.refreshToken)).size).toBe(1);
    expect(results[0]?.refreshToken).not.toBe(current.refreshToken);
  });

  it('is idempotent: the same tokens refreshed again in one request (or later, within the grace) give the same tokens', async () => {
    const cognito = new FakeCognito();
    const instance = refresher(new MemoryStore(), cognito);
    const current = cognito.signIn();
    const first = await instance.refresh(current, soon());
    const again = await instance.refresh(current, soon());
    expect(again).toEqual(first);
    expect(cognito.calls).toBe(1);
    // The new tokens are new tokens: refreshing them is a new refresh.
    const next = await instance.refresh(first, soon());
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(cognito.calls).toBe(2);
  });

  it('an older cookie arriving at another instance after the refresh gets the newer tokens, not invalid_grant', async () => {
    const cognito = new FakeCognito();
    const store = new MemoryStore();
    const current = cognito.signIn();
    const refreshed = await refresher(store, cognito).refresh(current, soon());
    // Another instance (its own memory) with the old cookie: the store has the result.
    await expect(refresher(store, cognito).refresh(current, soon())).resolves.toEqual(refreshed);
    expect(cognito.calls).toBe(1);
  });

  it('keeps a result for the grace window only', async () => {
    let now = 1_000_000;
    const cognito = new FakeCognito();
    const store = new MemoryStore(() => now);
    const current = cognito.signIn();
    await new Refresher({ store: () => store, grant: cognito.grant, secrets: () => SECRETS, now: () => now }).refresh(
      current,
      now + 5_000,
    );
    now += REFRESH_RESULT_GRACE_MS + 1;
    // Past the window the old refresh token is tried at Cognito, which refuses it (rotated, grace 0).
    const late = new Refresher({ store: () => store, grant: cognito.grant, secrets: () => SECRETS, now: () => now });
    await expect(late.refresh(current, Number.POSITIVE_INFINITY)).rejects.toMatchObject({ code: 'session_ended' });
    expect(cognito.calls).toBe(2);
  });

  it('stores the result sealed: no token in the clear, keyed by a hash of the old tokens', async () => {
    const cognito = new FakeCognito();
    const store = new MemoryStore();
    const current = cognito.signIn();
    const refreshed = await refresher(store, cognito).refresh(current, soon());
    const raw = await store.get(`refresh:result:${refreshKey(current)}`);
    expect(raw).toEqual(expect.any(String));
    for (const token of [refreshed.idToken, refreshed.accessToken, refreshed.refreshToken, current.refreshToken]) {
      expect(raw).not.toContain(token);
    }
    expect(refreshKey(current)).not.toContain(current.refreshToken);
    // Sealed with other secrets it cannot be opened: that instance asks Cognito itself.
    const other = new Refresher({
      store: () => store,
      grant: cognito.grant,
      secrets: () => ['another-secret-of-at-least-32-characters!!'],
    });
    await expect(other.refresh(current, soon())).rejects.toMatchObject({ code: 'session_ended' });
  });

  it('invalid_grant re-reads the store: a refresh that finished elsewhere after the lock expired is the current state', async () => {
    const cognito = new FakeCognito();
    const store = new MemoryStore();
    const current = cognito.signIn();
    const slow = deferred();
    cognito.hold = slow.promise;
    // Instance A rotates the token at Cognito but its answer is slow; its lock (1 ms) runs out.
    const first = refresher(store, cognito, { lockTtlMs: 1 }).refresh(current, soon());
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Instance B takes the lock and meets invalid_grant; A's answer lands before B decides.
    const secondGrant = async (refreshToken: string) => {
      const answer = cognito.grant(refreshToken);
      slow.resolve();
      await first;
      return answer;
    };
    const second = await refresher(store, cognito, { lockTtlMs: 1, grant: secondGrant }).refresh(current, soon());
    expect(second).toEqual(await first);
    expect(cognito.calls).toBe(2);
  });

  it('with the store down, falls back to one flight per process', async () => {
    const cognito = new FakeCognito();
    const instance = refresher(new DownStore(), cognito);
    const current = cognito.signIn();
    const results = await Promise.all(Array.from({ length: 10 }, () => instance.refresh(current, soon())));
    expect(cognito.calls).toBe(1);
    expect(new Set(results.map((tokens) => tokens.refreshToken)).size).toBe(1);
  });

  it('waits only until the deadline; the refresh still finishes and serves the next request', async () => {
    const cognito = new FakeCognito();
    const store = new MemoryStore();
    const slow = deferred();
    cognito.hold = slow.promise;
    const instance = refresher(store, cognito);
    const current = cognito.signIn();
    await expect(instance.refresh(current, Date.now() + 30)).rejects.toMatchObject({ code: 'idp_unavailable' });
    // A second attempt in the same request, past its deadline, gives up at once and starts nothing new.
    const other = cognito.signIn();
    await expect(instance.refresh(other, Date.now() - 1)).rejects.toMatchObject({ code: 'idp_unavailable' });
    expect(cognito.calls).toBe(1);
    slow.resolve();
    const later = await instance.refresh(current, soon());
    expect(later.refreshToken).not.toBe(current.refreshToken);
    expect(cognito.calls).toBe(1);
  });

  it('a failed refresh releases the lock: the next request may try again', async () => {
    const cognito = new FakeCognito();
    const store = new MemoryStore();
    let down = true;
    const grant = async (refreshToken: string) => {
      if (down) throw new AppError('idp_unavailable', 'timeout');
      return cognito.grant(refreshToken);
    };
    const current = cognito.signIn();
    await expect(refresher(store, cognito, { grant }).refresh(current, soon())).rejects.toMatchObject({
      code: 'idp_unavailable',
    });
    down = false;
    // Another instance (the failure is remembered a second in the first one's memory only).
    await expect(refresher(store, cognito, { grant }).refresh(current, soon())).resolves.toMatchObject({
      claims: { sub: 'person' },
    });
  });
});
