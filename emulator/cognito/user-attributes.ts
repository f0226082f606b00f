import type { EmulatorContext } from '../context.ts';
import { maskedEmail } from './api-input.ts';
import { CognitoError, MESSAGES } from './errors.ts';
import { verificationCode } from './password.ts';
import { findUser, isEmail, type StoredUser, touch } from './users.ts';

/**
 * A person's own attributes (UpdateUserAttributes, GetUserAttributeVerificationCode,
 * VerifyUserAttribute). The pool is configured as the deployment stack configures it: email is
 * the sign-in name, and with AttributesRequireVerificationBeforeUpdate on `email` a new address
 * does not replace the old one until the code mailed to it is verified; until then the old email
 * stays the email and the sign-in name. Codes last 24 hours.
 */

const ATTRIBUTE_CODE_SECONDS = 24 * 3600;

/** Cognito's standard attributes a person may write with their access token (email aside). */
const WRITABLE_STANDARD = new Set([
  'address',
  'birthdate',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'picture',
  'preferred_username',
  'profile',
  'updated_at',
  'website',
  'zoneinfo',
]);

/** Attributes only Cognito (or an administrator) sets; an app client may not write them. */
const NOT_WRITABLE = new Set(['sub', 'email_verified', 'phone_number_verified', 'identities']);

/** A verification code waiting for VerifyUserAttribute; `email` null verifies the current address. */
interface PendingVerification {
  email: string | null;
  code: string;
  /** Epoch seconds. */
  expiresAt: number;
}

function pending(ctx: EmulatorContext): Record<string, PendingVerification> {
  return ctx.state.section<{ pending: Record<string, PendingVerification> }>('cognito-attribute-codes', () => ({
    pending: {},
  })).pending;
}

/** Cognito's CodeDeliveryDetails for an email. */
function emailDelivery(email: string) {
  return { Destination: maskedEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}

/** Mails a fresh code for `email` (the new address, or the current one when null) and returns the delivery. */
function sendAttributeCode(ctx: EmulatorContext, user: StoredUser, email: string | null) {
  const code = verificationCode();
  pending(ctx)[user.username] = { email, code, expiresAt: ctx.clock.nowSeconds() + ATTRIBUTE_CODE_SECONDS };
  ctx.state.changed();
  const to = email ?? user.email;
  ctx.sendMail(to, 'Your verification code', `Your verification code is ${code}.`, code);
  return emailDelivery(to);
}

function notInSchema(name: string): CognitoError {
  return new CognitoError('InvalidParameterException', `user.${name}: Attribute does not exist in the schema.`);
}

/**
 * UpdateUserAttributes: standard attributes are written at once; a new `email` is held back and
 * a code mailed to it (its CodeDeliveryDetails returned). Throws InvalidParameterException for an
 * attribute outside the schema or a malformed email, NotAuthorizedException for an attribute an
 * app client may not write.
 */
export function updateUserAttributes(ctx: EmulatorContext, user: StoredUser, attributes: Record<string, string>) {
  let newEmail: string | undefined;
  const updates: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (NOT_WRITABLE.has(name) || name.startsWith('cognito:')) {
      throw new CognitoError('NotAuthorizedException', 'A client attempted to write unauthorized attribute');
    }
    if (name === 'email') {
      const email = value.trim().toLowerCase();
      if (!isEmail(email)) throw new CognitoError('InvalidParameterException', 'Invalid email address format.');
      newEmail = email;
    } else if (WRITABLE_STANDARD.has(name)) {
      updates[name] = value;
    } else {
      // The pool defines no custom attributes.
      throw notInSchema(name);
    }
  }
  Object.assign(user.attributes, updates);
  touch(ctx, user);
  if (newEmail === undefined || newEmail === user.email) return {};
  return { CodeDeliveryDetailsList: [sendAttributeCode(ctx, user, newEmail)] };
}

/**
 * GetUserAttributeVerificationCode for `email`: a new code to the address waiting for
 * verification, or to the current one when none is waiting.
 */
export function getAttributeVerificationCode(ctx: EmulatorContext, user: StoredUser, attribute: string) {
  // Email is the only attribute the pool verifies (no SMS).
  if (attribute !== 'email') throw notInSchema(attribute);
  const waiting = pending(ctx)[user.username];
  return { CodeDeliveryDetails: sendAttributeCode(ctx, user, waiting?.email ?? null) };
}

/**
 * VerifyUserAttribute for `email`: the right, unexpired code makes the waiting address the
 * email (and sign-in name), verified. CodeMismatchException for a wrong code, ExpiredCodeException
 * after 24 hours, AliasExistsException when another user signs in with that address by then.
 */
export function verifyUserAttribute(ctx: EmulatorContext, user: StoredUser, attribute: string, code: string): void {
  if (attribute !== 'email') throw notInSchema(attribute);
  const waiting = pending(ctx)[user.username];
  if (!waiting || waiting.code !== code.trim()) throw new CognitoError('CodeMismatchException', MESSAGES.codeMismatch);
  if (waiting.expiresAt <= ctx.clock.nowSeconds()) throw new CognitoError('ExpiredCodeException', MESSAGES.codeExpired);
  if (waiting.email !== null) {
    const holder = findUser(ctx, waiting.email);
    if (holder && holder.username !== user.username) throw new CognitoError('AliasExistsException', MESSAGES.emailExists);
    user.email = waiting.email;
  }
  user.emailVerified = true;
  delete pending(ctx)[user.username];
  touch(ctx, user);
}

/** Forgets what a deleted user was verifying. */
export function forgetAttributeCodes(ctx: EmulatorContext, user: StoredUser): void {
  delete pending(ctx)[user.username];
  ctx.state.changed();
}
