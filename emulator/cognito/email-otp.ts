import { randomBytes } from 'node:crypto';
import type { EmulatorContext } from '../context.ts';
import { CognitoError, MESSAGES } from './errors.ts';
import { verificationCode } from './password.ts';
import { findUser, type StoredUser } from './users.ts';

/**
 * Email one-time codes as a first sign-in factor (choice-based sign-in, `EMAIL_OTP`): a 6-digit
 * code mailed to the dev mailbox, valid {@link EMAIL_OTP_SECONDS}, at most
 * {@link EMAIL_OTP_ATTEMPTS} tries. With PreventUserExistenceErrors an unknown, unconfirmed or
 * disabled account gets a sign-in that looks the same but whose code can never match (no mail).
 */

/** Life of a mailed sign-in code (Cognito: 3 minutes). */
export const EMAIL_OTP_SECONDS = 180;
/** Wrong codes allowed per mailed code before the sign-in has to start again. */
export const EMAIL_OTP_ATTEMPTS = 3;

interface EmailSignIn {
  id: string;
  /** The username, or null for an account that does not exist (the code never matches). */
  username: string | null;
  code: string;
  expiresAt: number;
  attemptsLeft: number;
}

function signIns(ctx: EmulatorContext): Record<string, EmailSignIn> {
  return ctx.state.section<{ signIns: Record<string, EmailSignIn> }>('cognito-email-otp', () => ({ signIns: {} })).signIns;
}

/** Starts an email-code sign-in for the name typed (email or username); returns its id for the page. */
export function startEmailSignIn(ctx: EmulatorContext, name: string): string {
  const all = signIns(ctx);
  const now = ctx.clock.nowSeconds();
  for (const [id, old] of Object.entries(all)) if (old.expiresAt + 3600 <= now) delete all[id];
  const user = findUser(ctx, name.trim());
  const eligible = user?.enabled && user.status === 'CONFIRMED' ? user : undefined;
  const code = verificationCode();
  const id = randomBytes(24).toString('base64url');
  all[id] = {
    id,
    username: eligible?.username ?? null,
    code,
    expiresAt: now + EMAIL_OTP_SECONDS,
    attemptsLeft: EMAIL_OTP_ATTEMPTS,
  };
  ctx.state.changed();
  if (eligible) ctx.sendMail(eligible.email, 'Your sign-in code', `Your sign-in code is ${code}. It expires in 3 minutes.`, code);
  return id;
}

/**
 * Checks the code typed for sign-in `id`. Throws CodeMismatchException (a try is used up),
 * ExpiredCodeException, or NotAuthorizedException when the sign-in is unknown or out of tries
 * (then it must start again). Returns the user on a match; the sign-in is used up.
 */
export function finishEmailSignIn(ctx: EmulatorContext, id: string, code: string): StoredUser {
  const all = signIns(ctx);
  const signIn = all[id];
  if (!signIn || signIn.attemptsLeft <= 0) {
    throw new CognitoError('NotAuthorizedException', 'Invalid session for the user.', {
      pageMessage: 'Your sign-in has expired or had too many wrong codes. Please sign in again.',
    });
  }
  if (signIn.expiresAt <= ctx.clock.nowSeconds()) {
    delete all[id];
    ctx.state.changed();
    throw new CognitoError('ExpiredCodeException', MESSAGES.codeExpired, {
      pageMessage: 'Your code has expired. Please sign in again to get a new one.',
    });
  }
  const user = signIn.username ? findUser(ctx, signIn.username) : undefined;
  if (!user || signIn.code !== code.trim()) {
    signIn.attemptsLeft -= 1;
    ctx.state.changed();
    throw new CognitoError('CodeMismatchException', MESSAGES.codeMismatch);
  }
  delete all[id];
  ctx.state.changed();
  return user;
}
