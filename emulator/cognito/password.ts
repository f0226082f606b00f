import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

const KEY_LENGTH = 32;

/**
 * The pool's password policy (Cognito's default: 8+ characters, upper, lower, digit; symbols not
 * required). Returns Cognito's InvalidPasswordException message, or null when the password conforms.
 */
export function passwordPolicyError(password: string): string | null {
  const prefix = 'Password did not conform with policy: ';
  if (password.length < 8) return `${prefix}Password not long enough`;
  if (!/[a-z]/.test(password)) return `${prefix}Password must have lowercase characters`;
  if (!/[A-Z]/.test(password)) return `${prefix}Password must have uppercase characters`;
  if (!/[0-9]/.test(password)) return `${prefix}Password must have numeric characters`;
  return null;
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
