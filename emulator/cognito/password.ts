import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { failedPasswordRules } from '../../lib/account/password-policy.ts';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

const KEY_LENGTH = 32;

// The one declaration of the policy, shared with the app's /account page.
export { failedPasswordRules, PASSWORD_POLICY, PASSWORD_RULES, type PasswordRule } from '../../lib/account/password-policy.ts';

const POLICY_PREFIX = 'Password did not conform with policy: ';

/**
 * Cognito's InvalidPasswordException message, or null when the password conforms. Like Cognito's
 * API it names the first rule that fails only; see {@link passwordPolicyPageError} for the pages.
 */
export function passwordPolicyError(password: string): string | null {
  const [first] = failedPasswordRules(password);
  return first ? `${POLICY_PREFIX}${first.reason}` : null;
}

/**
 * What the managed-login pages show for a weak password: Cognito's message naming every rule that
 * fails (`…: Password not long enough; Password must have uppercase characters`), or null.
 */
export function passwordPolicyPageError(password: string): string | null {
  const failed = failedPasswordRules(password);
  return failed.length > 0 ? `${POLICY_PREFIX}${failed.map((rule) => rule.reason).join('; ')}` : null;
}

/** Hashes a password with scrypt and a random salt: `scrypt$<salt b64>$<hash b64>`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, KEY_LENGTH);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** True when `password` matches a hash made by {@link hashPassword} (constant-time compare). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A 6-digit verification code, as Cognito emails them. */
export function verificationCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** A temporary password that satisfies the policy (AdminCreateUser without TemporaryPassword). */
export function temporaryPassword(): string {
  return `Tmp${randomBytes(6).toString('hex')}9a`;
}
