import { AppError } from '../errors.ts';
import { log } from '../log.ts';
import { type SharedStore, sharedStore } from '../store/index.ts';

/**
 * Sign-out that holds everywhere: a signed-out session's id is recorded in the shared store until
 * the session could have ended anyway (its absolute expiry), and every session read checks it
 * (lib/auth/session.ts `readSession`), so a saved copy of the cookie is refused on every instance
 * that shares the store, at once. With the in-memory default store that is this instance only.
 *
 * When the store does not answer, each use decides (README, "Signing in"; docs/deploy.md):
 * {@link isSessionRevoked} throws `store_unavailable` and the caller either refuses (anything
 * that reaches a person's files) or goes on with the session marked unchecked (the proxy's
 * optimistic check, what a page shows of who is signed in). Server only; relative imports, as
 * lib/auth/session.ts runs in plain Node too.
 */

/** The store key of a revoked session (RedisStore adds its own `cubby:` prefix). */
export function revocationKey(sessionId: string): string {
  return `revoked:${sessionId}`;
}

/** The store to use: tests and scripts pass their own; the app uses this process's {@link sharedStore}. */
export interface RevocationOptions {
  store?: SharedStore;
  /** Epoch ms; defaults to Date.now(). */
  now?: number;
}

/**
 * Records `sessionId` as signed out until `untilMs` (epoch ms: the session's absolute expiry, past
 * which no copy of its cookie reads anyway). Nothing is recorded for a session already past it.
 * @throws {AppError} `store_unavailable` when the shared store does not answer in time.
 */
export async function revokeSession(sessionId: string, untilMs: number, options: RevocationOptions = {}): Promise<void> {
  const ttlMs = untilMs - (options.now ?? Date.now());
  if (ttlMs <= 0) return;
  await (options.store ?? sharedStore()).set(revocationKey(sessionId), String(untilMs), ttlMs);
}

/**
 * True when `sessionId` was signed out (and its record has not yet expired with the session).
 * @throws {AppError} `store_unavailable` when the shared store does not answer in time: the
 *   caller decides between refusing and going on unchecked (see the module comment).
 */
export async function isSessionRevoked(sessionId: string, options: RevocationOptions = {}): Promise<boolean> {
  return (await (options.store ?? sharedStore()).get(revocationKey(sessionId))) !== null;
}

/**
 * For a session read while the store was down (`session.revocationChecked` false): checks again,
 * and refuses what cannot be checked. Callers that hand out a person's AWS access or change their
 * files call this first (lib/dal.ts); a checked session passes at once, with no store call.
 * @throws {AppError} `session_ended` when the session was signed out; `store_unavailable` when
 *   the store still does not answer (the person is not signed out: "try again in a moment").
 */
export async function ensureNotRevoked(
  session: { id: string; revocationChecked: boolean },
  options: RevocationOptions = {},
): Promise<void> {
  if (session.revocationChecked) return;
  if (await isSessionRevoked(session.id, options)) {
    log('info', 'session.rejected', { reason: 'revoked' });
    throw new AppError('session_ended', 'the session was signed out');
  }
}
