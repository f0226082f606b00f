import { Redis } from 'ioredis';
import { AppError } from '../errors.ts';
import { STORE_TIMEOUT_MS } from '../upstream.ts';
import { type SharedStore, STORE_PREFIX } from './types.ts';

/** Deletes a key only while it holds the given value (atomic: one Lua script). */
const DELETE_IF_EQUALS = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
/** INCR, with the TTL set only when the key was created. */
const INCREMENT = "local n = redis.call('incr', KEYS[1]) if n == 1 then redis.call('pexpire', KEYS[1], ARGV[1]) end return n";

/**
 * The store on Redis 7 or Valkey (`redis://` or `rediss://` for TLS, as hosted Redis gives it),
 * through ioredis. Bounded like every upstream: connecting and each command give up after
 * STORE_TIMEOUT_MS, a command sent while disconnected waits for one reconnect attempt at most
 * (so it fails within STORE_TIMEOUT_MS too, and the caller decides), and reconnecting goes on in
 * the background, backing off (tests/integration/shared-store.test.ts stops the server to check).
 * @throws {AppError} `store_unavailable` from every method when Redis does not answer in time.
 */
export class RedisStore implements SharedStore {
  readonly kind = 'redis' as const;
  readonly client: Redis;

  constructor(url: string) {
    this.client = new Redis(url, {
      keyPrefix: STORE_PREFIX,
      connectTimeout: STORE_TIMEOUT_MS,
      commandTimeout: STORE_TIMEOUT_MS,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      lazyConnect: false,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
    // Connection errors surface on the commands; without a listener ioredis would print each one.
    this.client.on('error', () => {});
  }

  async #run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new AppError('store_unavailable', 'the shared store did not answer', { cause: error });
    }
  }

  get(key: string): Promise<string | null> {
    return this.#run(() => this.client.get(key));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.#run(() => this.client.set(key, value, 'PX', Math.max(1, Math.round(ttlMs))));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.#run(() => this.client.set(key, value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX'))) === 'OK';
  }

  async deleteIfEquals(key: string, value: string): Promise<void> {
    await this.#run(() => this.client.eval(DELETE_IF_EQUALS, 1, key, value));
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    return Number(await this.#run(() => this.client.eval(INCREMENT, 1, key, String(Math.max(1, Math.round(ttlMs))))));
  }

  async delete(key: string): Promise<void> {
    await this.#run(() => this.client.del(key));
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
