import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

const KEY_LENGTH = 32;

/**
 * The pool's password policy, in the shape of Cognito's PasswordPolicyType: Cognito's default of
 * 8+ characters with upper, lower and digit, symbols not required. The deployment stack sets the
 * same (infra/lib/auth.ts; infra/test/auth.test.ts holds the two together).
 */
export const PASSWORD_POLICY = {
  MinimumLength: 8,
  RequireLowercase: true,
  RequireUppercase: true,
  RequireNumbers: true,
  RequireSymbols: false,
} as const;

/** One rule of the policy: how the pages describe it, Cognito's wording, and its test. */
export interface PasswordRule {
  /** Stable id, used in page markup (`data-rule`). */
  id: 'length' | 'lowercase' | 'uppercase' | 'number' | 'symbol';
  /** What the managed-login pages list, e.g. "At least 8 characters". */
  label: string;
  /** Cognito's InvalidPasswordException reason for this rule. */
  reason: string;
  /**
   * Matches a password that meets the rule. The pages' script runs the same source
   * (`new RegExp(source, flags)`), so browser and server agree by construction.
   */
  pattern: RegExp;
}

/** Cognito's symbol characters: `^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + -` and space. */
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

/** The rules of {@link PASSWORD_POLICY}, in the order Cognito checks them. */
export const PASSWORD_RULES: readonly PasswordRule[] = [
  {
    id: 'length',
    label: `At least ${PASSWORD_POLICY.MinimumLength} characters`,
    reason: 'Password not long enough',
    // Length in UTF-16 code units, as String#length counts it on both sides.
    pattern: new RegExp(`^[\\s\\S]{${PASSWORD_POLICY.MinimumLength},}$`),
  },
  ...(PASSWORD_POLICY.RequireLowercase
    ? [
        {
          id: 'lowercase',
          label: 'A lower-case letter',
          reason: 'Password must have lowercase characters',
          pattern: /[a-z]/,
        } as const,
      ]
    : []),
  ...(PASSWORD_POLICY.RequireUppercase
    ? [
        {
          id: 'uppercase',
          label: 'An upper-case letter',
          reason: 'Password must have uppercase characters',
          pattern: /[A-Z]/,
        } as const,
      ]
    : []),
  ...(PASSWORD_POLICY.RequireNumbers
    ? [{ id: 'number', label: 'A number', reason: 'Password must have numeric characters', pattern: /[0-9]/ } as const]
    : []),
  ...(PASSWORD_POLICY.RequireSymbols
    ? [{ id: 'symbol', label: 'A symbol', reason: 'Password must have symbol characters', pattern: SYMBOLS } as const]
    : []),
];

const POLICY_PREFIX = 'Password did not conform with policy: ';

/** Every rule `password` fails, in Cognito's order; empty when it conforms. */
export function failedPasswordRules(password: string): PasswordRule[] {
  return PASSWORD_RULES.filter((rule) => !rule.pattern.test(password));
}

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
