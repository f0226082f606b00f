import 'server-only';
import { GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { revokePersonSessions } from '@/lib/auth/revocation';
import type { Session } from '@/lib/auth/session';
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
 * store), and the AWS access this process cached for them dropped. This browser's session is one
 * of them; the page then signs out as usual (`POST /auth/logout`: cookies cleared, Cognito's
 * logout so managed login forgets them too). The cookies are left alone here: a server action
 * that changes cookies makes Next render the page again, with this request's (revoked) session.
 * A token Cognito already refuses means Cognito has signed them out: the rest still runs.
 * Server only.
 * @throws {AppError} `store_unavailable` (Cognito's part is done; trying again finishes the rest),
 *   `idp_unavailable`.
 */
export async function signOutEverywhere(session: Session): Promise<void> {
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
  log('info', 'account.signed_out_everywhere', { sub: session.sub });
}
