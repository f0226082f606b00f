import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { loginPathFor } from '@/lib/auth/protected-routes';
import { needsRefresh, refreshTokens } from '@/lib/auth/refresh';
import { readSession, type Session, updateSessionTokens } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';

/**
 * The signed-in person for this render, or null. Read-only (Server Components never write
 * cookies); memoised per request with React `cache`. Server Components only.
 */
export const getSession = cache(async (): Promise<Session | null> => readSession(await cookies(), { readOnly: true }));

/**
 * The gate for pages: the session, or a redirect to sign-in that comes back to `returnTo`.
 * Every page that shows personal data calls it, whatever proxy.ts already did.
 */
export async function verifySession(returnTo: string): Promise<Session> {
  const session = await getSession();
  if (!session) redirect(loginPathFor(returnTo));
  return session;
}

/**
 * The gate for server actions and route handlers: re-reads the session from the cookies (never
 * trusting the page), refreshes tokens that are about to expire and saves them (cookies are
 * writable here). Server actions and route handlers only.
 * @throws {AppError} `unauthenticated` without a session; `session_ended` when Cognito refused
 *   the refresh; `idp_unavailable` when tokens expired and Cognito is down.
 */
export async function requireSession(): Promise<Session> {
  const store = await cookies();
  // Read-only: a cookie written or deleted in a server action makes Next re-render the page, whose
  // gate then redirects to sign-in, and the browser would follow that instead of reading the
  // `unauthenticated` answer. proxy.ts has already cleared an unusable cookie on this response.
  const session = await readSession(store, { readOnly: true });
  if (!session) throw new AppError('unauthenticated');
  if (!needsRefresh(session.tokensExpireAt)) return session;
  try {
    return await updateSessionTokens(store, session, await refreshTokens(session.tokens()));
  } catch (error) {
    // The cookie stays until the next page load, where proxy.ts clears it and goes to sign-in;
    // clearing it here would re-render the page into a redirect (see above).
    if (error instanceof AppError && error.code === 'idp_unavailable' && session.tokensExpireAt > Date.now()) return session;
    throw error;
  }
}
