import 'server-only';
import { AppError } from '@/lib/errors';
import { needsRefresh, REFRESH_WAIT_MS, refreshTokens } from './refresh';
import { type CookieStore, readSession, type Session, touchSession, updateSessionTokens } from './session';

/** What one request learned about its session: the one decision the proxy and lib/dal.ts share. */
export type SessionDecision =
  | { state: 'signed_out' }
  /** Cognito refused the refresh (revoked, expired, signed out everywhere): the person must sign in again. */
  | { state: 'ended' }
  /** Tokens expired and Cognito could not be reached in time. */
  | { state: 'unavailable' }
  /** Usable (a due refresh that could not reach Cognito leaves the still-valid old tokens). */
  | { state: 'active'; session: Session };

/**
 * Reads the request's session and refreshes its tokens when they are due (at most once: callers
 * hand the decision on instead of deciding again), writing refreshed tokens to `store`. With
 * `readOnly` nothing else is written: no unusable cookie is cleared and the idle timeout is not
 * rolled (server actions: a cookie written by an action makes Next re-render the page). With
 * `refresh: false` (Server Components, which cannot write cookies) due tokens are left as they are. Never
 * clears the session itself: the caller does, where a redirect follows (page loads).
 * Server only; never throws for a refused or unreachable refresh (see the states).
 */
export async function decideSession(
  store: CookieStore,
  options: { readOnly: boolean; refresh?: boolean; deadline?: number },
): Promise<SessionDecision> {
  // Store down: the proxy and renders go on with the session marked unchecked (an error line is
  // logged); lib/dal.ts's access check refuses it until the revocation can be checked.
  const session = await readSession(store, { readOnly: options.readOnly, whenStoreDown: 'unchecked' });
  if (!session) return { state: 'signed_out' };
  // A Server Component cannot save refreshed tokens (with rotation, refreshing there would lose them).
  if (options.refresh === false) return { state: 'active', session };
  if (!needsRefresh(session.tokensExpireAt, session.tokensLifetimeMs)) {
    return { state: 'active', session: options.readOnly ? session : await touchSession(store, session) };
  }
  try {
    const refreshed = await refreshTokens(refreshInputOf(session), { deadline: options.deadline ?? requestDeadline() });
    return { state: 'active', session: await updateSessionTokens(store, session, refreshed) };
  } catch (error) {
    if (error instanceof AppError && error.code === 'session_ended') return { state: 'ended' };
    if (error instanceof AppError && error.code === 'idp_unavailable') {
      return session.tokensExpireAt > Date.now() ? { state: 'active', session } : { state: 'unavailable' };
    }
    throw error;
  }
}

/**
 * The one deadline of a request's refresh (lib/auth/refresh.ts waits for Cognito, or another
 * instance's refresh, until then, never twice): a request makes it when it starts.
 */
export function requestDeadline(now = Date.now()): number {
  return now + REFRESH_WAIT_MS;
}

/** What lib/auth/refresh.ts needs of a session: its current tokens and its id. */
export function refreshInputOf(session: Session) {
  return { ...session.tokens(), sessionId: session.id };
}

/**
 * The session of an `active` decision, or the AppError a server action answers for the others.
 * @throws {AppError} `unauthenticated`, `session_ended` or `idp_unavailable`.
 */
export function sessionOrThrow(decision: SessionDecision): Session {
  switch (decision.state) {
    case 'active':
      return decision.session;
    case 'signed_out':
      throw new AppError('unauthenticated');
    case 'ended':
      throw new AppError('session_ended');
    case 'unavailable':
      throw new AppError('idp_unavailable', 'tokens expired and Cognito is unreachable');
  }
}
