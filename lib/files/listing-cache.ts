import 'server-only';
import { LRUCache } from 'lru-cache';
import { describeError, log } from '@/lib/log';
import { type SharedStore, sharedStore } from '@/lib/store';

/**
 * Read-your-writes for file listings across tabs and instances. Each instance keeps listings it
 * read from S3 for a few seconds; each person has a listing generation in the shared store (key
 * `files-gen:<identityId>`: how many changes to their files any instance has finished, bumped
 * atomically). A cached listing is served only while the generation is still the one read before
 * it was listed, so a change finished on any instance makes every instance's cached listing stale
 * at once (with the in-memory default store: this instance's). When the store does not answer,
 * listings are read from S3 and not kept: a cache is never served without knowing it is current.
 * Nothing that must be right reads a listing: S3's create-only writes decide names. Server only.
 */

/** A person's listing is reused at most this long. */
export const LISTING_TTL_MS = 20_000;

/**
 * How long a generation lives in the store, counted from its first bump (the store's counters
 * keep the TTL they were created with): far longer than {@link LISTING_TTL_MS}, so no cached
 * listing outlives the generation it was read at. When it lapses the generation reads 0 again;
 * a listing cached at 0 was read before that counter existed, so it expired long before.
 */
export const GENERATION_TTL_MS = 5 * 60 * 1000;

/** The store key of a person's listing generation (RedisStore adds its `cubby:` prefix). */
export function generationKey(identityId: string): string {
  return `files-gen:${identityId}`;
}

interface Cached<T> {
  generation: number;
  value: T;
}

/**
 * One instance's listings (`T`: what a listing holds) over the shared store's generations. The app
 * makes one (lib/files/service.ts); tests make two over two store clients to play two instances.
 */
export class ListingCache<T> {
  readonly #listings = new LRUCache<string, Cached<T>>({ max: 500, ttl: LISTING_TTL_MS });
  readonly #store: () => SharedStore;

  /** `store`: the shared store to use, looked up on every call (default: this process's, lib/store). */
  constructor(store: () => SharedStore = sharedStore) {
    this.#store = store;
  }

  /** The generation in the store (0 before any change), or null when the store does not answer. */
  async #generationOf(identityId: string): Promise<number | null> {
    try {
      const value = await this.#store().get(generationKey(identityId));
      return value === null ? 0 : Number.parseInt(value, 10) || 0;
    } catch (error) {
      log('warn', 'files.generation_unavailable', { reason: describeError(error) });
      return null;
    }
  }

  /**
   * The person's listing (of `slot`: one of their folders, say; '' by default): the cached one
   * when it is of the current generation, else `read()` (from S3), kept under the generation read
   * before it started. One generation covers all of a person's slots. Server only.
   * @throws whatever `read` throws; never for the store.
   */
  async get(identityId: string, read: () => Promise<T>, slot = ''): Promise<T> {
    const entry = `${identityId}\n${slot}`;
    // Read before listing: a change that finishes while S3 is listed bumps past it, so a listing
    // that may lack the change is served to this caller only, never again.
    const generation = await this.#generationOf(identityId);
    const cached = this.#listings.get(entry);
    if (generation !== null && cached?.generation === generation) return cached.value;
    const value = await read();
    if (generation === null) this.#listings.delete(entry);
    else this.#listings.set(entry, { generation, value });
    return value;
  }

  /**
   * Drops this instance's listings of the person without bumping the generation: for a second
   * cache over the same generations (lib/files/service.ts keeps whole-prefix and per-folder
   * listings), whose other cache's {@link changed} does the one bump. Server only.
   */
  forget(identityId: string): void {
    for (const entry of [...this.#listings.keys()]) if (entry.startsWith(`${identityId}\n`)) this.#listings.delete(entry);
  }

  /**
   * Records a finished change to the person's files: call AFTER S3 changed (and after a failure
   * that may have changed it). Drops this instance's listings of the person and bumps the generation, so every
   * instance's cached listing is stale from now on. Never throws (it runs in `finally` blocks): a
   * store that does not answer is logged, and other instances may then serve their listing from
   * before the change until it expires (at most {@link LISTING_TTL_MS}). Server only.
   */
  async changed(identityId: string): Promise<void> {
    this.forget(identityId);
    try {
      await this.#store().increment(generationKey(identityId), GENERATION_TTL_MS);
    } catch (error) {
      log('error', 'files.generation_not_bumped', { reason: describeError(error) });
    }
  }
}
