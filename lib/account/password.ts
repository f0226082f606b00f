import 'server-only';
import { ChangePasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Session } from '@/lib/auth/session';
import { userPoolClient } from '@/lib/aws/user-pool';
import { log } from '@/lib/log';
import { withAccessToken } from './cognito-call';

/**
 * Changes the person's password with ChangePassword: the current one proves it is them, the new
 * one must meet the pool's policy (lib/account/password-policy.ts, checked by the action's schema
 * before Cognito sees it, and by Cognito again). Other sessions stay signed in, as on Cognito.
 * Server only.
 * @throws {AppError} `wrong_password`, `weak_password`, `rate_limited` (too many attempts),
 *   `session_ended`, `idp_unavailable`.
 */
export async function changePassword(session: Session, current: string, next: string): Promise<void> {
  await withAccessToken(session, 'ChangePassword', (AccessToken) =>
    userPoolClient().send(new ChangePasswordCommand({ AccessToken, PreviousPassword: current, ProposedPassword: next })),
  );
  log('info', 'account.password_changed', { sub: session.sub });
}
