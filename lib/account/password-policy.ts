/**
 * The pool's password policy, declared once: the emulator enforces it (emulator/cognito/password.ts),
 * the deployment stack sets the same (infra/lib/auth.ts; infra/test/auth.test.ts holds the two
 * together), and /account shows and checks it before asking Cognito to change a password.
 * Pure data and pure helpers, no imports: client-safe, and loadable by Node's type stripping.
 */

/**
 * The pool's password policy, in the shape of Cognito's PasswordPolicyType: Cognito's default of
 * 8+ characters with upper, lower and digit, symbols not required.
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

/** Every rule `password` fails, in Cognito's order; empty when it conforms. */
export function failedPasswordRules(password: string): PasswordRule[] {
  return PASSWORD_RULES.filter((rule) => !rule.pattern.test(password));
}
