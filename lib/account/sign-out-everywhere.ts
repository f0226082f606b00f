import 'server-only';
import { GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoLogoutUrl } from '@/lib/auth/logout';
import { revokePersonSessions } from '@/lib/auth/revocation';
import { type CookieStore, destroySession, type Session } from '@/lib/auth/session';
import { sessionConfig } from '@/lib/auth/session-config';
import { forgetSignedInAccess } from '@/lib/aws/credentials';
import { userPoolClient } from '@/lib/aws/user-pool';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/log';
import { withAccessToken } from './cognito-call';

/**
 * Signs the person out of every device: GlobalSignOut at Cognito (every refresh token revoked, and
 * their access tokens refused by the user pool API), then every Cubby session of theirs recorded
 * as signed out in the shared store (lib/auth/revocation.ts `revokePersonSessions`: other
 * browsers' sessions read as signed out at their next request, on every instance sharing the
 * store), then this browser's sign-out as usual: the cached AWS access dropped, the cookies
 * cleared, and Cognito's logout URL returned so managed login forgets them too. A token Cognito
 * already refuses means Cognito has signed them out: the rest still runs. Server actions only.
 * @throws {AppError} `store_unavailable` (Cognito's part is done; trying again finishes the rest),
 *   `idp_unavailable`.
 */
export async function signOutEverywhere(session: Session, cookies: CookieStore): Promise<string> {
  try {
    await withAccessToken(session, 'GlobalSignOut', (AccessToken) =>
      userPoolClient().send(new GlobalSignOutCommand({ AccessToken })),
    );
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'session_ended')) throw error;
  }
  // Every session of theirs that exists now: none outlives the absolute timeout from now.
  await revokePersonSessions(session.sub, Date.now() + sessionConfig().absoluteTimeoutMs);
  forgetSignedInAccess(session.sub, session.identityId);
  await destroySession(cookies);
  log('info', 'account.signed_out_everywhere', { sub: session.sub });
  return cognitoLogoutUrl();
}
