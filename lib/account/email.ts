import 'server-only';
import {
  GetUserAttributeVerificationCodeCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Session } from '@/lib/auth/session';
import { userPoolClient } from '@/lib/aws/user-pool';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { describeError, log } from '@/lib/log';
import { sharedStore } from '@/lib/store';
import { sealValue, unsealValue } from '@/lib/store/seal';
import { withAccessToken } from './cognito-call';
import type { EmailChangeStarted } from './types';

/**
 * Changing the email, the pool's sign-in name. The pool keeps the old address until the new one
 * is verified (AttributesRequireVerificationBeforeUpdate on `email`): UpdateUserAttributes mails
 * a code to the new address and VerifyUserAttribute with it makes the switch. Cognito does not
 * say which address is waiting, so Cubby remembers it (sealed, in the shared store, for the code's
 * 24-hour life) to show "a code was sent to …". Server only.
 */

/** Cognito's attribute verification codes last 24 hours. */
const PENDING_EMAIL_TTL_MS = 24 * 60 * 60 * 1000;
const SEAL_PURPOSE = 'pending-email';

function pendingKey(sub: string): string {
  return `pending-email:${sub}`;
}

/**
 * The new address waiting for its code, or null (none, expired, or the store did not answer: the
 * page then just does not mention it).
 */
export async function pendingEmailOf(sub: string): Promise<string | null> {
  try {
    const sealed = await sharedStore().get(pendingKey(sub));
    return sealed ? unsealValue(sealed, getEnv().SESSION_SECRET, SEAL_PURPOSE) : null;
  } catch (error) {
    log('warn', 'account.pending_email_unreadable', { reason: describeError(error) });
    return null;
  }
}

/**
 * Asks Cognito to change the email to `email`: a code goes to the new address; the old one stays
 * the sign-in name until {@link confirmEmailChange}.
 * @throws {AppError} `invalid_input` for the current address, `email_taken`, `rate_limited`,
 *   `session_ended`, `idp_unavailable`.
 */
export async function startEmailChange(session: Session, email: string): Promise<EmailChangeStarted> {
  const answer = await withAccessToken(session, 'UpdateUserAttributes', (AccessToken) =>
    userPoolClient().send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: email }] })),
  );
  const delivery = answer.CodeDeliveryDetailsList?.find((details) => details.AttributeName === 'email');
  if (!delivery) throw new AppError('invalid_input', 'the new email is the current one');
  await sharedStore().set(pendingKey(session.sub), sealValue(email, getEnv().SESSION_SECRET, SEAL_PURPOSE), PENDING_EMAIL_TTL_MS);
  log('info', 'account.email_change_started', { sub: session.sub });
  return { pendingEmail: email, destination: delivery.Destination ?? email };
}

/**
 * Mails a new code to the address waiting for verification.
 * @throws {AppError} `rate_limited`, `session_ended`, `idp_unavailable`.
 */
export async function resendEmailCode(session: Session): Promise<{ destination: string }> {
  const answer = await withAccessToken(session, 'GetUserAttributeVerificationCode', (AccessToken) =>
    userPoolClient().send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email' })),
  );
  return { destination: answer.CodeDeliveryDetails?.Destination ?? '' };
}

/**
 * Confirms the new email with the mailed code: from now on it is the sign-in name.
 * @throws {AppError} `code_mismatch`, `code_expired`, `email_taken` (someone took the address
 *   meanwhile), `rate_limited`, `session_ended`, `idp_unavailable`.
 */
export async function confirmEmailChange(session: Session, code: string): Promise<void> {
  await withAccessToken(session, 'VerifyUserAttribute', (AccessToken) =>
    userPoolClient().send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: code })),
  );
  await sharedStore()
    .delete(pendingKey(session.sub))
    .catch((error: unknown) => log('warn', 'account.pending_email_not_cleared', { reason: describeError(error) }));
  log('info', 'account.email_changed', { sub: session.sub });
}

/**
 * The emulator's mailbox page, where codes "sent" locally land, or null against AWS (no user pool
 * endpoint override). A link for people trying Cubby offline.
 */
export function localMailboxUrl(): string | null {
  const endpoint = getEnv().AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
  return endpoint ? `${endpoint}/_local/mailbox` : null;
}
