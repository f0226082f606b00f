import type { SharedStore } from './types.ts';

interface Entry {
  value: string;
  expiresAt: number;
}

/** Entries kept at most; the oldest go first beyond it (every entry also has its own TTL). */
const MAX_ENTRIES = 200_000;

/**
 * The default store: this process's memory. Right for one instance (and `npm run dev`); with
 * several instances each has its own, so sign-out, refresh and rate limits are per instance.
 * Expired entries are dropped when read and, beyond {@link MAX_ENTRIES}, oldest first.
 */
export class MemoryStore implements SharedStore {
  readonly kind = 'memory' as const;
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #put(key: string, value: string, ttlMs: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.#now() + Math.max(1, ttlMs) });
    while (this.#entries.size > MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  async get(key: string): Promise<string | null> {
    return this.#live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.#put(key, value, ttlMs);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.#live(key)) return false;
    this.#put(key, value, ttlMs);
    return true;
  }

  async deleteIfEquals(key: string, value: string): Promise<void> {
    if (this.#live(key)?.value === value) this.#entries.delete(key);
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const entry = this.#live(key);
    const next = (entry ? Number.parseInt(entry.value, 10) || 0 : 0) + 1;
    if (entry) entry.value = String(next);
    else this.#put(key, String(next), ttlMs);
    return next;
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  async close(): Promise<void> {
    this.#entries.clear();
  }
}
