import { MAX_FOLDER_DEPTH, MAX_NAME_BYTES, ZIP_FOLDER_MAX_FILES } from './files/limits.ts';

/**
 * Errors are values with stable codes. Pages and responses map a code to friendly words at the
 * edge (app/); the `cause` is for logs only and never reaches a person.
 */
export const ERROR_MESSAGES = {
  /** The sign-in attempt is unknown, expired or was already used (state/transaction cookie). */
  login_expired: 'That sign-in link has expired. Please sign in again.',
  /** Cognito answered the authorization request with an error (e.g. access_denied). */
  login_denied: 'Sign-in was cancelled or refused. Please try again.',
  /** A protocol check failed: state, iss, ID token signature or claims, nonce... */
  login_failed: 'We could not complete your sign-in. Please try again.',
  /** Cognito (or the network to it) is slow or down. */
  idp_unavailable: 'Sign-in is unavailable right now, try again in a moment.',
  /** The tokens would not fit in the session cookies. */
  session_too_large: 'Your account has too much sign-in data for a browser session. Please contact support.',
  /** The session ended: refresh refused (revoked, expired, signed out everywhere). */
  session_ended: 'Your session has ended. Please sign in again.',
  /** Not signed in where a session is required. */
  unauthenticated: 'Please sign in to continue.',
  /** A request from another site, or with a bad shape. */
  forbidden: 'That request was not allowed.',
  /** Input that failed validation (a server action's zod schema, a bad cursor...). */
  invalid_input: 'Some of the information sent was not valid. Please check it and try again.',
  /** The file cannot be stored as asked (bad size, type or name; a part of an upload was refused). */
  invalid_file: 'That file cannot be uploaded. Please check its size and type and try again.',
  /** A file name longer than lib/files/limits.ts allows (refused, never shortened). */
  name_too_long: `Names can be at most ${MAX_NAME_BYTES} bytes. Shorten the name and try again.`,
  /** Another file already has that name; `details.suggestion` holds the next free one. */
  name_taken: 'There is already a file with that name. Choose another name.',
  /** A folder path deeper than MAX_FOLDER_DEPTH or longer than MAX_FOLDER_PATH_BYTES (lib/files/limits.ts). */
  folder_too_deep: `Folders can be at most ${MAX_FOLDER_DEPTH} levels deep, with a short enough path. Choose a shorter name or another place.`,
  /** A folder with that name already exists where a new one was asked for. */
  folder_taken: 'There is already a folder with that name here. Choose another name.',
  /** Moving a folder into itself or into one of its own folders. */
  move_into_itself: 'A folder cannot be moved into itself or into one of its own folders. Choose another place.',
  /** The upload would take the person past their storage quota. */
  quota_exceeded: 'This file would take you past your storage limit. Delete some files and try again.',
  /** The file (or upload) does not exist, or no longer does. */
  not_found: 'That file could not be found. It may have been deleted or renamed.',
  /** S3 (or the network to it) is slow, down or answered unexpectedly. */
  storage_unavailable: 'File storage is unavailable right now, try again in a moment.',
  /** The shared store (Redis/Valkey) is slow or down. */
  store_unavailable: 'Cubby is busy right now, try again in a moment.',
  /** Changing the password: the current password given is not the person's password. */
  wrong_password: 'That is not your current password. Check it and try again.',
  /** A new password that breaks the pool's password policy (lib/account/password-policy.ts). */
  weak_password: 'That password does not meet every rule shown. Choose another one.',
  /** A verification or authenticator code that does not match. */
  code_mismatch: 'That code is not right. Check it and try again.',
  /** A verification code past its life (or already used). */
  code_expired: 'That code has expired. Ask for a new one and try again.',
  /** Another account already signs in with that email address. */
  email_taken: 'Another account already uses that email address.',
  /** Adding a passkey failed at Cognito (challenge expired or used, wrong site, unsupported or unverifiable credential). */
  passkey_failed: 'The passkey could not be added. Please try again.',
  /** Passkeys are not turned on for this user pool, or not set up for it (relying party). */
  passkeys_unavailable: 'Passkeys cannot be used with Cubby right now.',
  /** Deleting an account: the typed confirmation does not match what the page asked for. */
  confirmation_mismatch: 'That does not match. Type it exactly as shown to confirm.',
  /** Deleting an account stopped part-way (storage or Cognito failed): the account is still there. */
  account_delete_incomplete: 'Not everything could be deleted yet. Your account is still here: please try again to finish.',
  /** Adding a passkey: the person already has as many passkeys as Cognito allows. */
  passkey_limit: 'You have as many passkeys as an account can hold. Remove one, then add the new one.',
  /** A change that needs a sign-in from the last few minutes (turning off two-step verification). */
  recent_sign_in_required: 'For your security, sign in again (with your authenticator code), then try again.',
  /** Sharing a file: the person already has as many active share links as Cubby allows (lib/files/share-rules.ts). */
  share_limit: 'You have as many shared links as Cubby allows. Revoke one, then share again.',
  /** Zipping a folder that holds more files than ZIP_FOLDER_MAX_FILES (lib/files/limits.ts). */
  zip_too_many: `This folder holds more than ${ZIP_FOLDER_MAX_FILES.toLocaleString('en-US')} files, too many for one zip. Zip the folders inside it one at a time.`,
  /** Too many requests from one person or address (the message the UI shows carries the wait). */
  rate_limited: 'Too many requests, try again in a moment.',
  /** Anything unexpected. */
  internal: 'Something went wrong on our side. Please try again.',
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

/** Facts a person may see with an error (e.g. `{ suggestion: 'a (1).txt' }` for `name_taken`); never upstream text. */
export type ErrorDetails = Readonly<Record<string, string>>;

/**
 * Cubby's one error type: a stable `code` for people and tests, a `cause` for logs, and optional
 * `details` that actions pass on to the browser with the code.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(detail ?? code, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options?.details;
  }
}

/** The message a person sees for a code (never upstream text). */
export function userMessage(code: ErrorCode): string {
  return ERROR_MESSAGES[code];
}

/**
 * What a person sees when a rate limit refuses them, with the wait (`Retry-After`) in whole
 * seconds: the one wording for the 429 pages, `/api/me`'s JSON and the `rate_limited` action answer.
 */
export function rateLimitedMessage(retryAfterSeconds: number): string {
  return `Too many requests, try again in ${Math.max(1, Math.ceil(retryAfterSeconds))} s`;
}

/** Narrows an unknown string (e.g. from a query parameter) to a known code. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_MESSAGES, value);
}
