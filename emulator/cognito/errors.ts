/**
 * A user-pool failure as Cognito reports it: `type` is the JSON API's `__type`
 * (e.g. `NotAuthorizedException`), `message` its exact wording. The JSON API answers
 * `400 {"__type","message"}`; the managed-login pages show `pageMessage` when there is one (a
 * friendlier or fuller text for a person), else `message`.
 */
export class CognitoError extends Error {
  readonly type: string;
  readonly pageMessage: string | undefined;

  constructor(type: string, message: string, options: { pageMessage?: string } = {}) {
    super(message);
    this.name = 'CognitoError';
    this.type = type;
    this.pageMessage = options.pageMessage;
  }
}

/** Cognito's wording, shared by the pages and the JSON API. */
export const MESSAGES = {
  badCredentials: 'Incorrect username or password.',
  userNotFound: 'User does not exist.',
  notConfirmed: 'User is not confirmed.',
  codeMismatch: 'Invalid verification code provided, please try again.',
  codeExpired: 'Invalid code provided, please request a code again.',
  emailExists: 'An account with the given email already exists.',
  disabled: 'User is disabled.',
  mfaCodeMismatch: 'Invalid code received for user',
  passwordAttemptsExceeded: 'Password attempts exceeded',
} as const;
