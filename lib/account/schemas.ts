import { z } from 'zod';
import { MAX_EMAIL_LENGTH, MAX_NAME_LENGTH, MAX_PASSWORD_LENGTH } from './limits';
import { failedPasswordRules } from './password-policy';

/**
 * What the /account server actions accept, as zod schemas: the one declaration of each input,
 * with the input types inferred. Not for client components (zod in the browser bundle trips the
 * CSP); they take the limits from ./limits. A refused rule that names its code (`params: { code }`) is answered with
 * that code by lib/actions.ts's runAction (e.g. `weak_password`).
 */

/** A name shown on the person's files and profile; control characters refused. */
const DisplayNameSchema = z
  .string()
  .trim()
  .max(MAX_NAME_LENGTH)
  .refine((value) => !/\p{Cc}/u.test(value));

/** updateProfile: the name others see, and optionally given and family names (empty clears one). */
export const UpdateProfileSchema = z.object({
  name: DisplayNameSchema.pipe(z.string().min(1)),
  givenName: DisplayNameSchema.optional(),
  familyName: DisplayNameSchema.optional(),
});
export type UpdateProfileInput = z.input<typeof UpdateProfileSchema>;

/** changeEmail: the new address, compared and stored in lower case (the pool's sign-in name). */
export const ChangeEmailSchema = z.object({
  email: z.string().trim().toLowerCase().max(MAX_EMAIL_LENGTH).pipe(z.email()),
});
export type ChangeEmailInput = z.input<typeof ChangeEmailSchema>;

/** A 6-digit code: a mailed verification code, or one from an authenticator app. */
export const CodeSchema = z.object({
  code: z
    .string()
    .trim()
    .refine((value) => /^\d{6}$/.test(value), { params: { code: 'code_mismatch' } }),
});
export type CodeInput = z.input<typeof CodeSchema>;

/** changePassword: the current password, and a new one that meets the pool's policy. */
export const ChangePasswordSchema = z.object({
  current: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  next: z
    .string()
    .max(MAX_PASSWORD_LENGTH)
    .refine((value) => failedPasswordRules(value).length === 0, { params: { code: 'weak_password' } }),
});
export type ChangePasswordInput = z.input<typeof ChangePasswordSchema>;
