/**
 * The shared store: what must agree across a person's tabs and across app instances (sign-out
 * revocations, refresh locks and results, rate-limit counters, file-listing generations). In
 * process memory by default (one instance, `npm run dev`); Redis or Valkey when SESSION_STORE_URL
 * is set (many instances). Every key has a bounded TTL. Values are strings; anything secret is
 * encrypted before it gets here (lib/store/seal.ts).
 */
export interface SharedStore {
  /** `memory` (this process only) or `redis` (shared by every instance pointed at it). */
  readonly kind: 'memory' | 'redis';
  /** The value at `key`, or null when absent or expired. */
  get(key: string): Promise<string | null>;
  /** Sets `key` to `value` for `ttlMs`. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Sets `key` only when absent (a lock); true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes `key` only while it still holds `value` (releasing one's own lock). */
  deleteIfEquals(key: string, value: string): Promise<void>;
  /** Adds 1 to the integer at `key` (0 when absent; the TTL is set when it is created) and returns it. */
  increment(key: string, ttlMs: number): Promise<number>;
  /** Removes `key`. */
  delete(key: string): Promise<void>;
  /** Ends connections (tests, shutdown). */
  close(): Promise<void>;
}

/** Every store key starts with this, so a Redis shared with other apps stays readable. */
export const STORE_PREFIX = 'cubby:';
