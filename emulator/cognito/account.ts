import { Secret, TOTP } from 'otpauth';
import type { EmulatorContext } from '../context.ts';
import { CognitoError, MESSAGES } from './errors.ts';
import { assertNotLockedOut, recordFailedPassword, recordSuccessfulPassword } from './lockout.ts';
import { hashPassword, passwordPolicyError, passwordPolicyPageError, verificationCode, verifyPassword } from './password.ts';
import { revokeUserFamilies } from './refresh-tokens.ts';
import { addUser, findUser, type PendingCode, type StoredUser, touch } from './users.ts';

/**
 * The user-pool operations both the managed-login pages and the JSON API perform, with Cognito's
 * exceptions (`CognitoError`) and wording. PreventUserExistenceErrors is on: sign-in and reset
 * never reveal whether an account exists.
 */

const SIGN_UP_CODE_SECONDS = 24 * 3600;
const RESET_CODE_SECONDS = 3600;

/**
 * Throws Cognito's InvalidPasswordException for a password the policy refuses: the API message
 * names the first failed rule (as Cognito's does), the pages' message every failed rule.
 */
export function assertPolicy(password: string): void {
  const problem = passwordPolicyError(password);
  if (problem) {
    throw new CognitoError('InvalidPasswordException', problem, { pageMessage: passwordPolicyPageError(password) ?? problem });
  }
}

function pendingCode(ctx: EmulatorContext, lifetimeSeconds: number): PendingCode {
  return { code: verificationCode(), expiresAt: ctx.clock.nowSeconds() + lifetimeSeconds };
}

/** Checks a mailed code; throws CodeMismatchException / ExpiredCodeException as Cognito does. */
function checkCode(ctx: EmulatorContext, pending: PendingCode | null, code: string): void {
  if (!pending || pending.code !== code.trim()) throw new CognitoError('CodeMismatchException', MESSAGES.codeMismatch);
  if (pending.expiresAt <= ctx.clock.nowSeconds()) throw new CognitoError('ExpiredCodeException', MESSAGES.codeExpired);
}

/** Mails a fresh sign-up confirmation code (Cognito's default message). */
export function sendSignUpCode(ctx: EmulatorContext, user: StoredUser): void {
  user.signUpCode = pendingCode(ctx, SIGN_UP_CODE_SECONDS);
  touch(ctx, user);
  const { code } = user.signUpCode;
  ctx.sendMail(user.email, 'Your verification code', `Your verification code is ${code}.`, code);
}

/** SignUp: a new UNCONFIRMED user, with a confirmation code mailed to the email. */
export async function signUp(
  ctx: EmulatorContext,
  input: { email: string; password: string; attributes?: Record<string, string> },
): Promise<StoredUser> {
  assertPolicy(input.password);
  const user = addUser(ctx, {
    email: input.email,
    passwordHash: await hashPassword(input.password),
    status: 'UNCONFIRMED',
    emailVerified: false,
    attributes: input.attributes,
  });
  sendSignUpCode(ctx, user);
  return user;
}

/** ConfirmSignUp: the mailed code confirms the user and verifies the email. */
export function confirmSignUp(ctx: EmulatorContext, username: string, code: string): StoredUser {
  const user = findUser(ctx, username);
  // With PreventUserExistenceErrors an unknown user looks like a wrong code.
  if (!user) throw new CognitoError('CodeMismatchException', MESSAGES.codeMismatch);
  if (user.status !== 'UNCONFIRMED') {
    throw new CognitoError('NotAuthorizedException', `User cannot be confirmed. Current status is ${user.status}`);
  }
  checkCode(ctx, user.signUpCode, code);
  user.status = 'CONFIRMED';
  user.emailVerified = true;
  user.signUpCode = null;
  touch(ctx, user);
  return user;
}

/** ResendConfirmationCode: silently does nothing for unknown or already confirmed users. */
export function resendSignUpCode(ctx: EmulatorContext, username: string): void {
  const user = findUser(ctx, username);
  if (user && user.status === 'UNCONFIRMED') sendSignUpCode(ctx, user);
}

/** ForgotPassword: mails a reset code to a verified email; silently nothing otherwise. */
export function forgotPassword(ctx: EmulatorContext, username: string): void {
  const user = findUser(ctx, username);
  if (!user?.enabled || !user.emailVerified) return;
  user.resetCode = pendingCode(ctx, RESET_CODE_SECONDS);
  touch(ctx, user);
  const { code } = user.resetCode;
  ctx.sendMail(user.email, 'Your password reset code', `Your password reset code is ${code}.`, code);
}

/** ConfirmForgotPassword: the mailed code sets a new password (policy checked) and confirms the user. */
export async function confirmForgotPassword(
  ctx: EmulatorContext,
  username: string,
  code: string,
  password: string,
): Promise<void> {
  const user = findUser(ctx, username);
  if (!user) throw new CognitoError('CodeMismatchException', MESSAGES.codeMismatch);
  checkCode(ctx, user.resetCode, code);
  assertPolicy(password);
  user.passwordHash = await hashPassword(password);
  user.resetCode = null;
  user.status = 'CONFIRMED';
  touch(ctx, user);
}

/** Sets a password (policy checked); `permanent` confirms the user, otherwise FORCE_CHANGE_PASSWORD. */
export async function setPassword(ctx: EmulatorContext, user: StoredUser, password: string, permanent: boolean): Promise<void> {
  assertPolicy(password);
  user.passwordHash = await hashPassword(password);
  user.status = permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
  touch(ctx, user);
}

/**
 * Checks a username (email or username, case-insensitive) and password. Unknown users, wrong
 * passwords and disabled users all get "Incorrect username or password." (no existence leak);
 * a correct password of an unconfirmed user gets UserNotConfirmedException. Failures count
 * towards Cognito's temporary lockout (lockout.ts), for unknown names too so a lockout reveals
 * nothing either; a locked-out attempt gets "Password attempts exceeded" without a password check.
 */
export async function authenticate(ctx: EmulatorContext, username: string, password: string): Promise<StoredUser> {
  const user = findUser(ctx, username.trim());
  const key = user ? user.username : `unknown:${username.trim().toLowerCase()}`;
  assertNotLockedOut(ctx, key);
  const valid = user ? await verifyPassword(password, user.passwordHash) : false;
  if (!user || !valid) {
    recordFailedPassword(ctx, key);
    throw new CognitoError('NotAuthorizedException', MESSAGES.badCredentials);
  }
  recordSuccessfulPassword(ctx, key);
  if (!user.enabled) throw new CognitoError('NotAuthorizedException', MESSAGES.disabled);
  if (user.status === 'UNCONFIRMED') throw new CognitoError('UserNotConfirmedException', MESSAGES.notConfirmed);
  return user;
}

/** Whether sign-in needs a TOTP code. */
export function needsTotp(user: StoredUser): boolean {
  return user.totp?.verified === true && user.totp.enabled;
}

/** Checks a TOTP code against the user's (associated) secret on the emulator clock, ±1 step. */
export function totpMatches(ctx: EmulatorContext, user: StoredUser, code: string): boolean {
  if (!user.totp || !/^\d{6}$/.test(code.trim())) return false;
  const secret = Secret.fromBase32(user.totp.secret);
  return TOTP.validate({ token: code.trim(), secret, timestamp: ctx.clock.now(), window: 1 }) !== null;
}

/** AssociateSoftwareToken: a new base32 TOTP secret, not yet verified. */
export function associateTotp(ctx: EmulatorContext, user: StoredUser): string {
  const secret = new Secret({ size: 20 }).base32;
  user.totp = { secret, verified: false, enabled: false };
  touch(ctx, user);
  return secret;
}

/** VerifySoftwareToken: a correct code marks the associated secret verified. */
export function verifyTotp(ctx: EmulatorContext, user: StoredUser, code: string): void {
  if (!user.totp) throw new CognitoError('InvalidParameterException', 'User has not set up software token mfa');
  if (!totpMatches(ctx, user, code)) throw new CognitoError('EnableSoftwareTokenMFAException', 'Code mismatch');
  user.totp.verified = true;
  touch(ctx, user);
}

/** (Admin)SetUserMFAPreference for software tokens. */
export function setTotpPreference(ctx: EmulatorContext, user: StoredUser, enabled: boolean): void {
  if (enabled && !user.totp?.verified) {
    throw new CognitoError('InvalidParameterException', 'User has not verified software token mfa');
  }
  if (user.totp) user.totp.enabled = enabled;
  touch(ctx, user);
}

/** AdminUserGlobalSignOut: every refresh-token family of the user is revoked. */
export function globalSignOut(ctx: EmulatorContext, user: StoredUser): void {
  revokeUserFamilies(ctx, user.username);
}

/**
 * ChangePassword's guard against guessing: after this many consecutive wrong current passwords
 * every attempt gets LimitExceededException until `windowSeconds` have passed since the last
 * failure (Cognito does not publish its limits; these are the emulator's).
 */
export const CHANGE_PASSWORD_LIMIT = { freeFailures: 5, windowSeconds: 15 * 60 } as const;

function changePasswordFailures(ctx: EmulatorContext): Record<string, { failures: number; lastFailureAt: number }> {
  return ctx.state.section<{ users: Record<string, { failures: number; lastFailureAt: number }> }>(
    'cognito-change-password',
    () => ({ users: {} }),
  ).users;
}

/**
 * ChangePassword: checks the current password (NotAuthorizedException "Incorrect username or
 * password.", counted towards {@link CHANGE_PASSWORD_LIMIT}; LimitExceededException "Attempt
 * limit exceeded, please try after some time." past it), then the policy (InvalidPasswordException),
 * then sets the new password. Existing tokens stay valid, as on Cognito.
 */
export async function changePassword(
  ctx: EmulatorContext,
  user: StoredUser,
  previous: string | undefined,
  proposed: string,
): Promise<void> {
  const records = changePasswordFailures(ctx);
  const now = ctx.clock.nowSeconds();
  const record = records[user.username];
  if (record && now - record.lastFailureAt >= CHANGE_PASSWORD_LIMIT.windowSeconds) delete records[user.username];
  if ((records[user.username]?.failures ?? 0) >= CHANGE_PASSWORD_LIMIT.freeFailures) {
    throw new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
  }
  if (previous === undefined || !(await verifyPassword(previous, user.passwordHash))) {
    records[user.username] = { failures: (records[user.username]?.failures ?? 0) + 1, lastFailureAt: now };
    ctx.state.changed();
    throw new CognitoError('NotAuthorizedException', MESSAGES.badCredentials);
  }
  delete records[user.username];
  assertPolicy(proposed);
  user.passwordHash = await hashPassword(proposed);
  touch(ctx, user);
}

/** Forgets a deleted user's ChangePassword failures. */
export function forgetChangePasswordFailures(ctx: EmulatorContext, user: StoredUser): void {
  delete changePasswordFailures(ctx)[user.username];
  ctx.state.changed();
}
