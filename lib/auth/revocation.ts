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

/** The store key of a person's "signed out everywhere" cut-off (epoch ms). */
export function personRevocationKey(sub: string): string {
  return `revoked-before:${sub}`;
}

/** What a revocation check needs of a session: its id and, to see "signed out everywhere", its person and start. */
export interface RevocableSession {
  id: string;
  sub?: string;
  /** Epoch ms the session was created (sign-in); refreshes keep it. */
  createdAt?: number;
}

/**
 * Signs out every session of the person `sub` that exists now ("sign out everywhere"): records
 * the moment in the shared store, and every session of theirs created at or before it reads as
 * signed out ({@link isSessionRevoked}) on every instance that shares the store, including
 * sessions from before this record existed and copies of their cookies. Sessions started later
 * (the next sign-in) are not affected. The record lasts until `untilMs`, which must be at least
 * now plus the absolute session timeout (no session created before now outlives it). Instances'
 * clocks must agree to within the seconds a new sign-in takes. A second call moves the moment on.
 * @throws {AppError} `store_unavailable` when the shared store does not answer in time.
 */
export async function revokePersonSessions(sub: string, untilMs: number, options: RevocationOptions = {}): Promise<void> {
  const now = options.now ?? Date.now();
  const ttlMs = untilMs - now;
  if (ttlMs <= 0) return;
  await (options.store ?? sharedStore()).set(personRevocationKey(sub), String(now), ttlMs);
}

/**
 * True when the session was signed out: its own id ({@link revokeSession}), or, given its `sub`
 * and `createdAt`, every session of its person ({@link revokePersonSessions}). A bare id checks
 * the first only. The two reads go to the store together.
 * @throws {AppError} `store_unavailable` when the shared store does not answer in time: the
 *   caller decides between refusing and going on unchecked (see the module comment).
 */
export async function isSessionRevoked(session: string | RevocableSession, options: RevocationOptions = {}): Promise<boolean> {
  const ref = typeof session === 'string' ? { id: session } : session;
  const store = options.store ?? sharedStore();
  const person = ref.sub !== undefined && ref.createdAt !== undefined ? { sub: ref.sub, createdAt: ref.createdAt } : null;
  const [own, cutOff] = await Promise.all([
    store.get(revocationKey(ref.id)),
    person ? store.get(personRevocationKey(person.sub)) : Promise.resolve(null),
  ]);
  if (own !== null) return true;
  return person !== null && cutOff !== null && person.createdAt <= Number(cutOff);
}

/**
 * For a session read while the store was down (`session.revocationChecked` false): checks again,
 * and refuses what cannot be checked. Callers that hand out a person's AWS access or change their
 * files call this first (lib/dal.ts); a checked session passes at once, with no store call.
 * @throws {AppError} `session_ended` when the session was signed out; `store_unavailable` when
 *   the store still does not answer (the person is not signed out: "try again in a moment").
 */
export async function ensureNotRevoked(
  session: RevocableSession & { revocationChecked: boolean },
  options: RevocationOptions = {},
): Promise<void> {
  if (session.revocationChecked) return;
  if (await isSessionRevoked(session, options)) {
    log('info', 'session.rejected', { reason: 'revoked' });
    throw new AppError('session_ended', 'the session was signed out');
  }
}
