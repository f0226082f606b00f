import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { decideSession, refreshInputOf, requestDeadline, type SessionDecision, sessionOrThrow } from '@/lib/auth/fresh-session';
import { readGuestIdentity } from '@/lib/auth/guest';
import { loginPathFor } from '@/lib/auth/protected-routes';
import { refreshTokens } from '@/lib/auth/refresh';
import { ensureNotRevoked } from '@/lib/auth/revocation';
import { type CookieStore, type Session, setIdentityId, updateSessionTokens } from '@/lib/auth/session';
import { type AwsCredentials, credentialsFor, IdTokenRejectedError, identityIdFor } from '@/lib/aws/credentials';
import { AppError } from '@/lib/errors';
import { ADMINS_GROUP, type GalleryViewer } from '@/lib/files/gallery';
import { findHandoff, HANDOFF_HEADER } from '@/lib/http/handoff';
import { withRequestLogs } from '@/lib/http/request-id';
import { describeError, log } from '@/lib/log';

/**
 * The one gate: every page, route handler and server action that touches a person's data asks
 * here, and only here, who is asking and with what AWS access. It uses the decision proxy.ts made
 * for this very request when there is one (lib/http/handoff.ts: read and refreshed once), else
 * reads the cookies itself; it owns the identity lookup and the single refresh-and-retry when the
 * Identity Pool calls the ID token expired. A path reads one way: app → dal → files → aws.
 * Server only.
 */

/** A signed-in person's own AWS access: their session, identity and temporary credentials (server memory only). */
export interface PersonAccess {
  session: Session;
  identityId: string;
  credentials: AwsCredentials;
}

/** Render: read-only, null when signed out. Action: may write cookies (refresh, identity id), throws when signed out. */
export type AccessMode = 'render' | 'action';

/** When this request's refreshes must be done by (one deadline for the request, see lib/auth/fresh-session.ts). */
const deadlineOfRequest = cache((): number => requestDeadline());

/** This request's session decision, made once: the proxy's, or (no proxy decision) from the cookies. */
const requestDecision = cache(async (mode: AccessMode): Promise<SessionDecision> => {
  const handedOff = findHandoff((await headers()).get(HANDOFF_HEADER));
  if (handedOff) return handedOff;
  // Server Components cannot write cookies; actions write only what a refresh changes.
  return decideSession(await cookies(), { readOnly: true, refresh: mode === 'action', deadline: deadlineOfRequest() });
});

/**
 * The signed-in person for this render, or null. Read-only; memoised per request. Server
 * Components only.
 */
export const getSession = cache(async (): Promise<Session | null> => {
  const decision = await requestDecision('render');
  return decision.state === 'active' ? decision.session : null;
});

/**
 * The gate for pages: the session, or a redirect to sign-in that comes back to `returnTo`.
 * Every page that shows personal data calls it, whatever proxy.ts already did.
 */
export async function verifySession(returnTo: string): Promise<Session> {
  const session = await getSession();
  if (!session) redirect(loginPathFor(returnTo));
  return session;
}

async function resolve(session: Session): Promise<{ identityId: string; credentials: AwsCredentials }> {
  const { idToken } = session.tokens();
  const identityId = session.identityId ?? (await identityIdFor(session.sub, idToken));
  return { identityId, credentials: await credentialsFor(identityId, idToken) };
}

/**
 * The identity and credentials for a verified session, saving the identity id in the session
 * (actions), with one refresh and one retry when the Identity Pool refuses the ID token as expired
 * (clock skew, or a token that expired mid-request). Exported for tests and benchmarks, which
 * hold a session and a cookie store outside a request; everything else calls {@link getAccess}.
 * @throws {AppError} `session_ended` when the refreshed token is refused too (or, rendering, the first one).
 */
export async function accessFor(
  session: Session,
  mode: AccessMode,
  store: CookieStore,
  deadline: number = requestDeadline(),
): Promise<PersonAccess> {
  let current = session;
  for (let attempt = 0; ; attempt += 1) {
    // A session the proxy read while the store was down is checked for a sign-out now (no store call otherwise).
    await ensureNotRevoked(current);
    try {
      const { identityId, credentials } = await resolve(current);
      if (mode === 'action' && current.identityId !== identityId) current = await setIdentityId(store, current, identityId);
      return { session: current, identityId, credentials };
    } catch (error) {
      if (!(error instanceof IdTokenRejectedError)) throw error;
      if (mode === 'render' || attempt > 0) throw new AppError('session_ended', 'ID token refused by the Identity Pool');
      log('info', 'identity.token_refused', { action: 'refresh_and_retry' });
      current = await updateSessionTokens(store, current, await refreshTokens(refreshInputOf(current), { deadline }));
    }
  }
}

/**
 * The person behind this request and their AWS access. `action` (server actions, route handlers):
 * throws when there is no usable session. `render` (Server Components): null when signed out.
 * @throws {AppError} `unauthenticated`, `session_ended`, `idp_unavailable` (action, or a render
 * whose tokens cannot be renewed), `storage_unavailable` (Identity Pool down).
 */
export async function getAccess(mode: 'action'): Promise<PersonAccess>;
export async function getAccess(mode: 'render'): Promise<PersonAccess | null>;
export async function getAccess(mode: AccessMode): Promise<PersonAccess | null> {
  const decision = await requestDecision(mode);
  if (mode === 'render' && decision.state === 'signed_out') return null;
  return accessFor(sessionOrThrow(decision), mode, await cookies(), deadlineOfRequest());
}

/**
 * Who is looking at the public gallery in this render: the signed-in person with their own
 * credentials, else the guest identity the proxy gave this browser (the unauthenticated role's
 * credentials), else null (guests off, or the Identity Pool down). Server Components only.
 */
export function getGalleryViewer(): Promise<GalleryViewer | null> {
  return withRequestLogs(findGalleryViewer);
}

async function findGalleryViewer(): Promise<GalleryViewer | null> {
  const access = await getAccess('render').catch(() => null);
  if (access) return galleryViewerOf(access);
  const guestId = await readGuestIdentity(await cookies());
  if (!guestId) return null;
  try {
    return { identityId: guestId, credentials: await credentialsFor(guestId, null), signedIn: false, isAdmin: false };
  } catch (error) {
    if (!(error instanceof IdTokenRejectedError)) log('warn', 'gallery.guest_unavailable', { reason: describeError(error) });
    return null;
  }
}

/** The gallery viewer a signed-in person's access makes (they may moderate when in `admins`). */
export function galleryViewerOf(access: PersonAccess): GalleryViewer {
  return {
    identityId: access.identityId,
    credentials: access.credentials,
    signedIn: true,
    isAdmin: access.session.groups.includes(ADMINS_GROUP),
  };
}
