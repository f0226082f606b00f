'use server';

import { z } from 'zod';
import { updateProfile as saveProfile } from '@/lib/account/account';
import { confirmEmailChange, resendEmailCode as mailNewCode, startEmailChange } from '@/lib/account/email';
import { confirmTotpSetup, disableTotp, startTotpSetup } from '@/lib/account/mfa';
import { changePassword as changeOwnPassword } from '@/lib/account/password';
import { ChangeEmailSchema, ChangePasswordSchema, CodeSchema, UpdateProfileSchema } from '@/lib/account/schemas';
import { signOutEverywhere as endEverySession } from '@/lib/account/sign-out-everywhere';
import type {
  ChangeEmailInput,
  ChangePasswordInput,
  CodeInput,
  EmailChangeStarted,
  TotpSetup,
  UpdateProfileInput,
} from '@/lib/account/types';
import { runAction } from '@/lib/actions';
import type { ActionResult } from '@/lib/files/types';

/** Saves the person's name (and given and family names). */
export async function updateProfile(input: UpdateProfileInput): Promise<ActionResult<null>> {
  return runAction('account.update_profile', UpdateProfileSchema, input, async (valid, access) => {
    await saveProfile(access.session, valid);
    return null;
  });
}

/** Starts changing the email: a code goes to the new address. */
export async function changeEmail(input: ChangeEmailInput): Promise<ActionResult<EmailChangeStarted>> {
  return runAction('account.change_email', ChangeEmailSchema, input, (valid, access) =>
    startEmailChange(access.session, valid.email),
  );
}

/** Mails the waiting address a new code. */
export async function resendEmailCode(): Promise<ActionResult<{ destination: string }>> {
  return runAction('account.resend_email_code', z.undefined(), undefined, (_valid, access) => mailNewCode(access.session));
}

/** Confirms the new email with its code. */
export async function verifyEmail(input: CodeInput): Promise<ActionResult<null>> {
  return runAction('account.verify_email', CodeSchema, input, async (valid, access) => {
    await confirmEmailChange(access.session, valid.code);
    return null;
  });
}

/** Changes the password, given the current one. */
export async function changePassword(input: ChangePasswordInput): Promise<ActionResult<null>> {
  return runAction('account.change_password', ChangePasswordSchema, input, async (valid, access) => {
    await changeOwnPassword(access.session, valid.current, valid.next);
    return null;
  });
}

/** Starts setting up an authenticator app: the QR code and the secret. */
export async function startTwoStep(): Promise<ActionResult<TotpSetup>> {
  return runAction('account.totp_start', z.undefined(), undefined, (_valid, access) =>
    startTotpSetup(access.session, access.session.email || access.session.username),
  );
}

/** Finishes the setup with a code from the app and turns two-step verification on. */
export async function confirmTwoStep(input: CodeInput): Promise<ActionResult<null>> {
  return runAction('account.totp_confirm', CodeSchema, input, async (valid, access) => {
    await confirmTotpSetup(access.session, valid.code);
    return null;
  });
}

/** Turns two-step verification off (after a recent sign-in). */
export async function turnOffTwoStep(): Promise<ActionResult<null>> {
  return runAction('account.totp_disable', z.undefined(), undefined, async (_valid, access) => {
    await disableTotp(access.session);
    return null;
  });
}

/** Signs out of every device; the page then signs this browser out as usual (POST /auth/logout). */
export async function signOutEverywhere(): Promise<ActionResult<null>> {
  return runAction('account.sign_out_everywhere', z.undefined(), undefined, async (_valid, access) => {
    await endEverySession(access.session);
    return null;
  });
}
