import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { AppError } from '@/lib/errors';
import { GENERATION_TTL_MS, generationKey, LISTING_TTL_MS, ListingCache } from '@/lib/files/listing-cache';
import { MemoryStore } from '@/lib/store/memory';
import type { SharedStore } from '@/lib/store/types';

/**
 * The listing cache's rules over the in-memory store (the integration suite runs them on Redis
 * with two instances): serve a listing only at the generation read before it was listed, re-read
 * after any change, and never serve a cache whose generation cannot be read.
 */

let errors: MockInstance<typeof console.error>;
beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  errors = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

/** A listing source that returns the next version each time it is read. */
function source() {
  const counter = { reads: 0 };
  return { counter, read: async () => `listing-${++counter.reads}` };
}

/** A store whose every call fails as RedisStore's do when Redis does not answer. */
function downStore(): SharedStore {
  const fail = async (): Promise<never> => {
    throw new AppError('store_unavailable', 'the shared store did not answer');
  };
  return {
    kind: 'redis',
    get: fail,
    set: fail,
    setIfAbsent: fail,
    deleteIfEquals: fail,
    increment: fail,
    delete: fail,
    close: async () => {},
  };
}

describe('ListingCache', () => {
  it('serves the cached listing until a change is recorded, then reads again', async () => {
    const store = new MemoryStore();
    const cache = new ListingCache<string>(() => store);
    const { counter, read } = source();
    expect(await cache.get('id-1', read)).toBe('listing-1');
    expect(await cache.get('id-1', read)).toBe('listing-1');
    await cache.changed('id-1');
    expect(await store.get(generationKey('id-1'))).toBe('1');
    expect(await cache.get('id-1', read)).toBe('listing-2');
    expect(await cache.get('id-1', read)).toBe('listing-2');
    expect(counter.reads).toBe(2);
  });

  it("sees another instance's change at once (two caches, one store)", async () => {
    const store = new MemoryStore();
    const here = new ListingCache<string>(() => store);
    const there = new ListingCache<string>(() => store);
    const { read } = source();
    expect(await here.get('id-1', read)).toBe('listing-1');
    await there.changed('id-1');
    expect(await here.get('id-1', read)).toBe('listing-2');
  });

  it('never serves again a listing read while a change finished', async () => {
    const store = new MemoryStore();
    const cache = new ListingCache<string>(() => store);
    const { counter, read } = source();
    // The change finishes (and bumps) while S3 is being listed: the listing may lack it.
    const racing = async () => {
      const listing = await read();
      await new ListingCache<string>(() => store).changed('id-1');
      return listing;
    };
    expect(await cache.get('id-1', racing)).toBe('listing-1');
    expect(await cache.get('id-1', read)).toBe('listing-2');
    expect(counter.reads).toBe(2);
  });

  it('keeps people apart', async () => {
    const store = new MemoryStore();
    const cache = new ListingCache<string>(() => store);
    const { counter, read } = source();
    await cache.get('id-1', read);
    await cache.changed('id-2');
    await cache.get('id-1', read);
    expect(counter.reads).toBe(1);
  });

  it('reads every time while the store is down, and a change is logged, never thrown', async () => {
    const cache = new ListingCache<string>(downStore);
    const { counter, read } = source();
    expect(await cache.get('id-1', read)).toBe('listing-1');
    expect(await cache.get('id-1', read)).toBe('listing-2');
    expect(counter.reads).toBe(2);
    await expect(cache.changed('id-1')).resolves.toBeUndefined();
    const events = errors.mock.calls.map(([line]) => JSON.parse(String(line)).event);
    expect(events).toContain('files.generation_unavailable');
    expect(events).toContain('files.generation_not_bumped');
  });

  it('drops a listing cached before the store went down', async () => {
    let current: SharedStore = new MemoryStore();
    const cache = new ListingCache<string>(() => current);
    const { read } = source();
    expect(await cache.get('id-1', read)).toBe('listing-1');
    current = downStore();
    expect(await cache.get('id-1', read)).toBe('listing-2');
  });

  it('keeps generations far longer than listings, for a bounded time', () => {
    expect(GENERATION_TTL_MS).toBeGreaterThanOrEqual(10 * LISTING_TTL_MS);
    expect(GENERATION_TTL_MS).toBeLessThanOrEqual(60 * 60 * 1000);
  });
});
