import { getEnv } from '../env.ts';
import { MemoryStore } from './memory.ts';
import { RedisStore } from './redis.ts';
import type { SharedStore } from './types.ts';

export type { SharedStore } from './types.ts';

/**
 * One store per process, on `globalThis`: Next bundles proxy.ts and the app's routes and actions
 * separately, and a module-level variable would give each bundle its own "shared" memory.
 */
const GLOBAL_KEY = Symbol.for('cubby.sharedStore');

interface Holder {
  [GLOBAL_KEY]?: { url: string | undefined; store: SharedStore };
}

/**
 * The shared store this process uses: Redis/Valkey at SESSION_STORE_URL, else this process's
 * memory. Server only (not marked `server-only`: lib/auth/session.ts reaches it through
 * lib/auth/revocation.ts, and session.ts also runs in plain Node, in bench/ and test helpers;
 * hence the relative `.ts` imports too).
 */
export function sharedStore(): SharedStore {
  const holder = globalThis as Holder;
  const url = getEnv().SESSION_STORE_URL;
  const current = holder[GLOBAL_KEY];
  if (current && current.url === url) return current.store;
  const store = url ? new RedisStore(url) : new MemoryStore();
  holder[GLOBAL_KEY] = { url, store };
  return store;
}

/** Replaces the process's store (tests only): the next {@link sharedStore} call builds a new one. */
export async function resetSharedStore(): Promise<void> {
  const holder = globalThis as Holder;
  await holder[GLOBAL_KEY]?.store.close();
  delete holder[GLOBAL_KEY];
}
