import 'server-only';
import { cookies } from 'next/headers';
import { refreshTokens } from '@/lib/auth/refresh';
import { type CookieStore, type Session, setIdentityId, updateSessionTokens } from '@/lib/auth/session';
import { type AwsCredentials, credentialsFor, IdTokenRejectedError, identityIdFor } from '@/lib/aws/credentials';
import { getSession, requireSession } from '@/lib/dal';
import { AppError } from '@/lib/errors';
import { withRequestLogs } from '@/lib/http/request-id';
import { log } from '@/lib/log';

/** A signed-in person's own AWS access: their identity and temporary credentials (server memory only). */
export interface PersonAccess {
  session: Session;
  identityId: string;
  credentials: AwsCredentials;
}

async function resolve(session: Session): Promise<{ identityId: string; credentials: AwsCredentials }> {
  const { idToken } = session.tokens();
  const identityId = session.identityId ?? (await identityIdFor(session.sub, idToken));
  return { identityId, credentials: await credentialsFor(identityId, idToken) };
}

/**
 * For server actions and route handlers: re-verifies the session (refreshing tokens that are about
 * to expire), finds the person's Identity Pool identity (cached in the session cookie) and their
 * credentials. When the Identity Pool says the ID token expired, refreshes once and retries once.
 * @throws {AppError} `unauthenticated`, `session_ended`, `idp_unavailable`, `storage_unavailable`.
 */
export async function accessForAction(): Promise<PersonAccess> {
  return accessWith(await cookies(), await requireSession());
}

/**
 * {@link accessForAction} for a given cookie store and verified session: the identity and
 * credentials, saving the identity id in the session, with one refresh and one retry when the
 * Identity Pool refuses the ID token as expired (clock skew, or a token that expired mid-request).
 * @throws {AppError} `session_ended` when the refreshed token is refused too; as {@link accessForAction}.
 */
export async function accessWith(store: CookieStore, verified: Session): Promise<PersonAccess> {
  let session = verified;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const { identityId, credentials } = await resolve(session);
      if (session.identityId !== identityId) session = await setIdentityId(store, session, identityId);
      return { session, identityId, credentials };
    } catch (error) {
      if (!(error instanceof IdTokenRejectedError) || attempt > 0) {
        throw error instanceof IdTokenRejectedError ? new AppError('session_ended', 'ID token refused after refresh') : error;
      }
      log('info', 'identity.token_refused', { action: 'refresh_and_retry' });
      session = await updateSessionTokens(store, session, await refreshTokens(session.tokens()));
    }
  }
}

/**
 * For Server Components (read-only: they never write cookies): the same access, or null when
 * signed out. The proxy has already refreshed tokens that were about to expire.
 * @throws {AppError} `session_ended` when the Identity Pool refuses the ID token.
 */
export function accessForRender(): Promise<PersonAccess | null> {
  return withRequestLogs(renderAccess);
}

async function renderAccess(): Promise<PersonAccess | null> {
  const session = await getSession();
  if (!session) return null;
  try {
    return { session, ...(await resolve(session)) };
  } catch (error) {
    if (error instanceof IdTokenRejectedError) throw new AppError('session_ended', 'ID token refused during render');
    throw error;
  }
}
