import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '@/lib/env';
import { RateLimit, type RateLimitDecision, type RateLimitName } from '@/lib/http/rate-limit';
import { MemoryStore } from '@/lib/store/memory';
import { RedisStore } from '@/lib/store/redis';
import type { SharedStore } from '@/lib/store/types';
import { STORE_PREFIX } from '@/lib/store/types';
import { type RedisServer, startRedisServer } from '../helpers/redis-server';

/**
 * The rate limits over the shared store, the same cases against the in-memory default and a real
 * `redis-server`: under and over a limit, the wait, people and addresses counted apart, the
 * issue's action numbers. For Redis also: two app instances (two clients, two limit objects) share
 * one count, keys are stored hashed with a TTL, and when Redis goes away each instance goes on
 * counting in its own memory, then back to Redis once it is there again.
 */

const SECRET = 'rate-limit-integration-secret-0123456789';

let redis: RedisServer;
const opened: SharedStore[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await redis?.close();
});

beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(() => {
  vi.restoreAllMocks();
});

function open<T extends SharedStore>(store: T): T {
  opened.push(store);
  return store;
}

const kinds = [
  { kind: 'memory', open: (): SharedStore => open(new MemoryStore()) },
  { kind: 'redis', open: (): SharedStore => open(new RedisStore(redis.url)) },
] as const;

async function consumeTimes(limit: RateLimit, times: number, kind: 'person' | 'address', value: string) {
  const decisions: RateLimitDecision[] = [];
  for (let index = 0; index < times; index += 1) decisions.push(await limit.consume(kind, value));
  return decisions;
}

const refusals = (decisions: RateLimitDecision[]) => decisions.filter((decision) => !decision.ok).length;

/** Each test its own limit name space: a fresh person or address. */
const someone = () => `sub-${randomUUID()}`;

describe.each(kinds)('rate limits over the $kind store', ({ open: openStore }) => {
  let store: SharedStore;

  beforeAll(() => {
    store = openStore();
  });

  it('lets `points` through, then refuses with a wait within the window', async () => {
    const limit = new RateLimit('sign_in_start', { points: 5, durationSeconds: 30 }, store, SECRET);
    const address = `203.0.113.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
    const decisions = await consumeTimes(limit, 7, 'address', address);
    expect(decisions.slice(0, 5)).toEqual(Array(5).fill({ ok: true }));
    for (const decision of decisions.slice(5)) {
      expect(decision.ok).toBe(false);
      if (!decision.ok) {
        expect(decision.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(decision.retryAfterSeconds).toBeLessThanOrEqual(30);
      }
    }
  });

  it('counts people apart, and a person apart from an address', async () => {
    const limit = new RateLimit('api_me', { points: 2, durationSeconds: 60 }, store, SECRET);
    const alice = someone();
    await consumeTimes(limit, 4, 'person', alice);
    expect(await consumeTimes(limit, 2, 'person', someone())).toEqual([{ ok: true }, { ok: true }]);
    expect(await consumeTimes(limit, 2, 'address', alice)).toEqual([{ ok: true }, { ok: true }]);
  });

  it('refuses 500 presigns in a burst from one person, not the 60-file drop of another', async () => {
    const limit = new RateLimit('actions', DEFAULT_RATE_LIMITS.RATE_LIMIT_ACTIONS, store, SECRET);
    const hammer = someone();
    const burst = await Promise.all(Array.from({ length: 500 }, () => limit.consume('person', hammer)));
    expect(refusals(burst)).toBe(500 - DEFAULT_RATE_LIMITS.RATE_LIMIT_ACTIONS.points);
    // 60 createUpload + 60 completeUpload + list refreshes + thumbnails, all at once.
    const dropper = someone();
    const drop = await Promise.all(Array.from({ length: 137 }, () => limit.consume('person', dropper)));
    expect(refusals(drop)).toBe(0);
  });
});

describe('rate limits shared through Redis', () => {
  const rule = { points: 10, durationSeconds: 60 };

  it('two app instances (two clients, two limit objects) share one count per key', async () => {
    const name: RateLimitName = 'actions';
    const instanceA = new RateLimit(name, rule, open(new RedisStore(redis.url)), SECRET);
    const instanceB = new RateLimit(name, rule, open(new RedisStore(redis.url)), SECRET);
    const person = someone();
    const decisions: RateLimitDecision[] = [];
    for (let index = 0; index < 8; index += 1) {
      decisions.push(await instanceA.consume('person', person));
      decisions.push(await instanceB.consume('person', person));
    }
    expect(decisions.slice(0, rule.points)).toEqual(Array(rule.points).fill({ ok: true }));
    expect(refusals(decisions)).toBe(16 - rule.points);
    expect(refusals(await consumeTimes(instanceB, 1, 'person', someone()))).toBe(0);
  });

  it('stores an HMAC of the key, under the cubby: prefix, with a TTL', async () => {
    const store = open(new RedisStore(redis.url));
    const limit = new RateLimit('sign_in_callback', rule, store, SECRET);
    const address = '198.51.100.77';
    await limit.consume('address', address);
    const inspect = new Redis(redis.url);
    try {
      const keys = await inspect.keys(`${STORE_PREFIX}rl:sign_in_callback:*`);
      const expected = `${STORE_PREFIX}rl:sign_in_callback:${limit.keyFor('address', address)}`;
      expect(keys).toContain(expected);
      expect(keys.join('\n')).not.toContain(address);
      const ttl = await inspect.pttl(expected);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(rule.durationSeconds * 1000);
    } finally {
      inspect.disconnect();
    }
  });

  it('when Redis is down, each instance counts in its own memory (limits hold), and Redis counts again once back', async () => {
    const store = open(new RedisStore(redis.url));
    const limit = new RateLimit('actions', { points: 3, durationSeconds: 60 }, store, SECRET);
    await store.client.ping();
    const person = someone();
    await redis.stop();
    try {
      const whileDown = await consumeTimes(limit, 5, 'person', person);
      expect(whileDown.slice(0, 3)).toEqual(Array(3).fill({ ok: true }));
      expect(refusals(whileDown)).toBe(2);
      const warned = vi.mocked(console.error).mock.calls.map(([line]) => JSON.parse(String(line)) as { event: string });
      expect(warned.filter((line) => line.event === 'rate_limit.store_unavailable')).toHaveLength(1);
    } finally {
      await redis.restart();
    }
    await vi.waitFor(async () => expect(await store.client.ping()).toBe('PONG'), { timeout: 10_000, interval: 100 });
    // Back on Redis (empty after the restart): a new person starts a fresh shared count.
    const other = someone();
    const peer = new RateLimit('actions', { points: 3, durationSeconds: 60 }, open(new RedisStore(redis.url)), SECRET);
    await limit.consume('person', other);
    await limit.consume('person', other);
    await limit.consume('person', other);
    expect(await peer.consume('person', other)).toMatchObject({ ok: false });
  });
});
