import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CurrentTokens, Refresher, refreshAtCognito } from '@/lib/auth/refresh';
import { getEnv } from '@/lib/env';
import { MemoryStore } from '@/lib/store/memory';
import { RedisStore } from '@/lib/store/redis';
import type { SharedStore } from '@/lib/store/types';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { createUser, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { type RedisServer, startRedisServer } from '../helpers/redis-server';

/**
 * Refresh across instances, against the emulator's token endpoint with rotation on and no grace
 * period (Cognito's harshest setting) and a real `redis-server`: two app instances (each its own
 * refresher and its own RedisStore connection) make exactly one token-endpoint call for 20
 * concurrent refreshes of one session, every caller gets the same valid tokens and none
 * `invalid_grant`; a request still carrying the old cookie later gets the same tokens too. The
 * same cases run with the in-memory default, where the two refreshers stand for the proxy's and
 * the routes' bundles of one process.
 */

const EMAIL = 'shared-refresh@example.com';
const PASSWORD = 'Passw0rd!x';

let emulator: EmulatorProcess;
let redis: RedisServer;
const opened: SharedStore[] = [];

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator);
  redis = await startRedisServer();
  await createUser(emulator, { email: EMAIL, password: PASSWORD });
});
afterEach(async () => {
  await emulator.hook('POST', '/_local/settings', { refreshTokenRotation: false, retryGracePeriodSeconds: 0 });
  await emulator.hook('DELETE', '/_local/faults');
});
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await redis?.close();
  await emulator?.stop();
});

function open<T extends SharedStore>(store: T): T {
  opened.push(store);
  return store;
}

/** One app instance: its own in-process flights, the given store, the real Cognito grant. */
function instance(store: SharedStore): Refresher {
  return new Refresher({ store: () => store, grant: refreshAtCognito, secrets: () => getEnv().SESSION_SECRET });
}

/**
 * Three refreshers' stores: three connections to one Redis (three instances), or one process's
 * memory shared by its bundles (without a shared store, instances share nothing).
 */
const kinds: { kind: string; stores: () => [SharedStore, SharedStore, SharedStore] }[] = [
  {
    kind: 'memory (bundles of one process)',
    stores: () => {
      const store = open(new MemoryStore());
      return [store, store, store];
    },
  },
  {
    kind: 'redis (instances)',
    stores: () => [open(new RedisStore(redis.url)), open(new RedisStore(redis.url)), open(new RedisStore(redis.url))],
  },
];

async function refreshCalls(): Promise<number> {
  const stats = (await emulator.hook('GET', '/_local/stats')) as Record<string, number>;
  return stats['token:refresh_token'] ?? 0;
}

async function userInfoStatus(accessToken: string): Promise<number> {
  const response = await fetch(`${emulator.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  return response.status;
}

const soon = () => Date.now() + 10_000;

describe.each(kinds)('$kind', ({ stores }) => {
  it('20 concurrent refreshes of one session spread over both make one token-endpoint call, rotation on, grace 0', async () => {
    await emulator.hook('POST', '/_local/settings', { refreshTokenRotation: true, retryGracePeriodSeconds: 0 });
    const [storeA, storeB, storeC] = stores();
    const instances = [instance(storeA), instance(storeB)];
    const current: CurrentTokens = await signIn(emulator, { email: EMAIL, password: PASSWORD });
    const before = await refreshCalls();

    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) => (instances[index % 2] as Refresher).refresh(current, soon())),
    );

    expect(settled.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    const results = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(await refreshCalls()).toBe(before + 1);
    expect(new Set(results.map((tokens) => tokens.refreshToken)).size).toBe(1);
    const [refreshed] = results;
    if (!refreshed) throw new Error('no result');
    expect(refreshed.refreshToken).not.toBe(current.refreshToken);
    expect(await userInfoStatus(refreshed.accessToken)).toBe(200);

    // A request still carrying the old cookie, at a third instance (bundle) a moment later: the
    // same tokens, no call (at Cognito the old refresh token is dead: grace 0).
    await expect(instance(storeC).refresh(current, soon())).resolves.toEqual(refreshed);
    expect(await refreshCalls()).toBe(before + 1);

    // The new refresh token is the live one.
    const next = await instance(storeA).refresh(refreshed, soon());
    expect(next.refreshToken).not.toBe(refreshed.refreshToken);
    expect(await refreshCalls()).toBe(before + 2);
  });
});

describe('with Redis down', () => {
  it('falls back to one refresh per process (the person stays signed in)', async () => {
    const store = open(new RedisStore(redis.url));
    const current = await signIn(emulator, { email: EMAIL, password: PASSWORD });
    await redis.stop();
    try {
      const before = await refreshCalls();
      const refresher = instance(store);
      const results = await Promise.all(Array.from({ length: 5 }, () => refresher.refresh(current, soon())));
      expect(new Set(results.map((tokens) => tokens.idToken)).size).toBe(1);
      expect(await refreshCalls()).toBe(before + 1);
    } finally {
      await redis.restart();
    }
  });
});
