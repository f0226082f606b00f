/**
 * The /account forms' length limits, declared once. Free of zod on purpose: client components import
 * it, and zod in the browser bundle probes `Function('')`, which the production CSP reports as a
 * blocked eval. lib/account/schemas.ts builds the server actions' schemas from these.
 */

/** The longest display name Cubby stores (Cognito allows 2,048 characters per attribute). */
export const MAX_NAME_LENGTH = 100;
/** Cognito's longest password. */
export const MAX_PASSWORD_LENGTH = 256;
/** The longest email address (RFC 5321's path limit). */
export const MAX_EMAIL_LENGTH = 254;
