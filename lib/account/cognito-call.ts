import 'server-only';
import { revokeSession } from '@/lib/auth/revocation';
import type { Session } from '@/lib/auth/session';
import { accountErrorOf } from '@/lib/aws/user-pool';
import { describeError, log } from '@/lib/log';

/**
 * Runs one token-authorised user pool call for the signed-in person with their access token,
 * turning any failure into an AppError (lib/aws/user-pool.ts `accountErrorOf`). When Cognito
 * refuses the token itself (revoked by a global sign-out elsewhere, expired, without the
 * `aws.cognito.signin.user.admin` scope, user disabled or deleted) the answer is `session_ended`
 * and this session is recorded as signed out in the shared store, so every later read of its
 * cookie is signed out too (the usual signed-out handling, not an error page). Server only.
 * @throws {AppError} the mapped failure.
 */
export async function withAccessToken<T>(
  session: Session,
  operation: string,
  call: (accessToken: string) => Promise<T>,
): Promise<T> {
  try {
    return await call(session.tokens().accessToken);
  } catch (error) {
    const mapped = accountErrorOf(error, operation);
    if (mapped.code === 'session_ended') {
      log('info', 'account.token_refused', { operation, sub: session.sub });
      await revokeSession(session.id, session.absoluteExpiresAt).catch((reason: unknown) =>
        log('error', 'auth.revocation_failed', { sub: session.sub, reason: describeError(reason) }),
      );
    }
    throw mapped;
  }
}
