import { randomUUID } from 'node:crypto';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { MemoryStore } from '@/lib/store/memory';
import { RedisStore } from '@/lib/store/redis';
import type { SharedStore } from '@/lib/store/types';
import { STORE_PREFIX } from '@/lib/store/types';
import { STORE_TIMEOUT_MS } from '@/lib/upstream';
import { type RedisServer, startRedisServer, TEST_REDIS_CA } from '../helpers/redis-server';

/**
 * The SharedStore contract, the same cases against the in-memory default and a real
 * `redis-server` (tests/helpers/redis-server.ts): values and TTLs, a lock many callers race for,
 * releasing only one's own lock, counters whose TTL is set once, and, for Redis, what happens when
 * the server goes away (a bounded `store_unavailable`, never a hang).
 */

let redis: RedisServer;
const opened: SharedStore[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await redis?.close();
});

const kinds: { kind: 'memory' | 'redis'; open: () => SharedStore }[] = [
  { kind: 'memory', open: () => new MemoryStore() },
  { kind: 'redis', open: () => new RedisStore(redis.url) },
];

function open(factory: () => SharedStore): SharedStore {
  const store = factory();
  opened.push(store);
  return store;
}

/** Waits until `ms` have passed (TTL expiry is the behaviour under test; nothing is asserted on timing). */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe.each(kinds)('$kind store', ({ kind, open: factory }) => {
  let store: SharedStore;
  const key = (name: string) => `test:${name}:${randomUUID()}`;

  beforeAll(() => {
    store = open(factory);
  });

  it('says what it is', () => {
    expect(store.kind).toBe(kind);
  });

  it('gets what was set, null for what was not', async () => {
    const name = key('value');
    expect(await store.get(name)).toBeNull();
    await store.set(name, 'héllo ✓', 60_000);
    expect(await store.get(name)).toBe('héllo ✓');
    await store.set(name, 'again', 60_000);
    expect(await store.get(name)).toBe('again');
  });

  it('forgets a value once its TTL has passed', async () => {
    const name = key('ttl');
    await store.set(name, 'short', 50);
    await store.set(`${name}:long`, 'long', 60_000);
    await pause(120);
    expect(await store.get(name)).toBeNull();
    expect(await store.get(`${name}:long`)).toBe('long');
  });

  it('setIfAbsent is a lock: of 20 concurrent callers exactly one gets it', async () => {
    const name = key('lock');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => store.setIfAbsent(name, `owner-${index}`, 60_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await store.get(name)).toBe(`owner-${winner}`);
    expect(await store.setIfAbsent(name, 'late', 60_000)).toBe(false);
  });

  it('setIfAbsent succeeds again once the lock expired', async () => {
    const name = key('lock-expiry');
    expect(await store.setIfAbsent(name, 'first', 50)).toBe(true);
    await pause(120);
    expect(await store.setIfAbsent(name, 'second', 60_000)).toBe(true);
    expect(await store.get(name)).toBe('second');
  });

  it("deleteIfEquals releases one's own lock and leaves another's", async () => {
    const name = key('release');
    await store.set(name, 'mine', 60_000);
    await store.deleteIfEquals(name, 'not-mine');
    expect(await store.get(name)).toBe('mine');
    await store.deleteIfEquals(name, 'mine');
    expect(await store.get(name)).toBeNull();
    await store.deleteIfEquals(name, 'mine'); // absent: nothing to do, no error
  });

  it('increment counts from 1, atomically under concurrency', async () => {
    const name = key('counter');
    expect(await store.increment(name, 60_000)).toBe(1);
    const counts = await Promise.all(Array.from({ length: 20 }, () => store.increment(name, 60_000)));
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index + 2));
  });

  it('increment sets the TTL once, when the counter is created (later increments do not extend it)', async () => {
    const name = key('window');
    expect(await store.increment(name, 300)).toBe(1);
    await pause(150);
    expect(await store.increment(name, 300)).toBe(2);
    await pause(250);
    // 400 ms after creation: gone, although the last increment was only 250 ms ago.
    expect(await store.get(name)).toBeNull();
    expect(await store.increment(name, 300)).toBe(1);
  });

  it('delete removes a key, and deleting an absent key is fine', async () => {
    const name = key('delete');
    await store.set(name, 'x', 60_000);
    await store.delete(name);
    expect(await store.get(name)).toBeNull();
    await store.delete(name);
  });
});

describe('RedisStore on a real server', () => {
  it(`keeps every key under the ${STORE_PREFIX} prefix`, async () => {
    const store = open(() => new RedisStore(redis.url)) as RedisStore;
    const name = `test:prefix:${randomUUID()}`;
    await store.set(name, 'v', 60_000);
    // A client without the prefix sees the full key.
    const plain = new Redis(redis.url);
    try {
      expect(await plain.get(`${STORE_PREFIX}${name}`)).toBe('v');
      expect(await plain.get(name)).toBeNull();
    } finally {
      await plain.quit();
    }
  });

  it('two store instances on one server see each other (what two app instances share)', async () => {
    const first = open(() => new RedisStore(redis.url));
    const second = open(() => new RedisStore(redis.url));
    const name = `test:shared:${randomUUID()}`;
    expect(await first.setIfAbsent(name, 'a', 60_000)).toBe(true);
    expect(await second.setIfAbsent(name, 'b', 60_000)).toBe(false);
    expect(await second.increment(`${name}:n`, 60_000)).toBe(1);
    expect(await first.increment(`${name}:n`, 60_000)).toBe(2);
  });

  it('answers store_unavailable within about a second when the server stops mid-test, then recovers', async () => {
    const store = open(() => new RedisStore(redis.url));
    const name = `test:down:${randomUUID()}`;
    await store.set(name, 'before', 60_000);
    expect(await store.get(name)).toBe('before');
    await redis.stop();
    try {
      for (const call of [
        () => store.get(name),
        () => store.set(name, 'x', 1_000),
        () => store.setIfAbsent(name, 'x', 1_000),
        () => store.increment(name, 1_000),
        () => store.deleteIfEquals(name, 'x'),
        () => store.delete(name),
      ]) {
        const started = performance.now();
        const error = await call().then(
          () => null,
          (caught: unknown) => caught,
        );
        const elapsed = performance.now() - started;
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ code: 'store_unavailable' });
        // Bounded: a store that is down must never hold a request (STORE_TIMEOUT_MS per command, about a second at most).
        expect(elapsed).toBeLessThan(2 * STORE_TIMEOUT_MS + 500);
      }
    } finally {
      await redis.restart();
    }
    // The client reconnects on its own once the server is back (its data is gone: nothing was persisted).
    await expect.poll(() => store.get(name).catch(() => 'unavailable'), { timeout: 10_000 }).toBeNull();
    await store.set(name, 'after', 60_000);
    expect(await store.get(name)).toBe('after');
  });

  it('answers store_unavailable, without hanging, when nothing listens at the URL from the start', async () => {
    const store = open(() => new RedisStore('redis://127.0.0.1:1'));
    await expect(store.get('anything')).rejects.toMatchObject({ code: 'store_unavailable' });
  });
});

describe('RedisStore over TLS (rediss://, as hosted Redis gives it)', () => {
  let tlsRedis: RedisServer;
  const systemCAs = getCACertificates('default');

  beforeAll(async () => {
    tlsRedis = await startRedisServer({ tls: true });
    // The test CA is trusted like a public one; the URL alone turns TLS on (no option in RedisStore).
    setDefaultCACertificates([...systemCAs, TEST_REDIS_CA]);
  });

  afterAll(async () => {
    setDefaultCACertificates(systemCAs);
    await tlsRedis?.close();
  });

  it('works with a rediss:// URL exactly as SESSION_STORE_URL holds it', async () => {
    const url = parseEnv({ SESSION_STORE_URL: tlsRedis.url }).SESSION_STORE_URL;
    expect(url).toMatch(/^rediss:\/\/127\.0\.0\.1:\d+$/);
    const store = open(() => new RedisStore(url ?? ''));
    const name = `test:tls:${randomUUID()}`;
    expect(await store.setIfAbsent(name, 'over tls', 60_000)).toBe(true);
    expect(await store.get(name)).toBe('over tls');
    expect(await store.increment(`${name}:n`, 60_000)).toBe(1);
  });

  it('answers store_unavailable, without hanging, when redis:// (plain) is given for a TLS-only server', async () => {
    const store = open(() => new RedisStore(tlsRedis.url.replace('rediss://', 'redis://')));
    await expect(store.get('anything')).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('refuses a server whose certificate it does not trust', async () => {
    setDefaultCACertificates(systemCAs);
    try {
      const store = open(() => new RedisStore(tlsRedis.url));
      await expect(store.get('anything')).rejects.toMatchObject({ code: 'store_unavailable' });
    } finally {
      setDefaultCACertificates([...systemCAs, TEST_REDIS_CA]);
    }
  });
});

describe('SESSION_STORE_URL', () => {
  it.each([
    'redis://127.0.0.1:6379',
    'rediss://default:secret@example-123.upstash.io:6379',
    'rediss://:pw@cache.abc.euw1.cache.amazonaws.com:6380/0',
  ])('accepts %s', (url) => {
    expect(parseEnv({ SESSION_STORE_URL: url }).SESSION_STORE_URL).toBe(url);
  });

  it.each(['http://127.0.0.1:6379', 'memcached://x:11211', 'not a url'])('refuses %s', (url) => {
    expect(() => parseEnv({ SESSION_STORE_URL: url })).toThrow(/SESSION_STORE_URL/);
  });

  it('leaves it unset when empty (the in-memory default)', () => {
    expect(parseEnv({ SESSION_STORE_URL: '' }).SESSION_STORE_URL).toBeUndefined();
  });
});
