import 'server-only';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { getEnv } from '@/lib/env';
import { AppError, type ErrorCode } from '@/lib/errors';
import { AWS_REQUEST_HANDLER, UPSTREAM_MAX_ATTEMPTS } from '@/lib/upstream';

let client: CognitoIdentityProviderClient | undefined;

/**
 * The user pool API client (`cognito-idp`), for the calls a person makes about their own account
 * with their access token (GetUser, ChangePassword, UpdateUserAttributes, AssociateSoftwareToken,
 * GlobalSignOut, the WebAuthn operations, DeleteUser...). Those operations are unsigned: the
 * access token is the authorization, so the client holds no AWS keys. The endpoint is Cognito's
 * regional one unless `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER` points elsewhere (the
 * emulator). Every call is bounded by lib/upstream.ts: enforced connect and per-attempt timeouts
 * and {@link UPSTREAM_MAX_ATTEMPTS} attempts (one retry, on 5xx, throttling, timeouts and network
 * errors only). Server only.
 */
export function userPoolClient(): CognitoIdentityProviderClient {
  if (!client) {
    const env = getEnv();
    client = new CognitoIdentityProviderClient({
      region: env.AWS_REGION,
      endpoint: env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER,
      maxAttempts: UPSTREAM_MAX_ATTEMPTS,
      requestHandler: AWS_REQUEST_HANDLER,
      // Token-authorised operations only; an explicit empty provider keeps the SDK from looking for keys.
      credentials: async () => ({ accessKeyId: '', secretAccessKey: '' }),
    });
  }
  return client;
}

/**
 * Cognito's exception names (the `__type` of its JSON errors, the SDK's `error.name`) and the
 * stable code each becomes. `NotAuthorizedException` is decided by {@link accountErrorOf} (a
 * wrong current password or a refused token share it). Unlisted client errors are `internal`;
 * server faults, timeouts and network errors are `idp_unavailable`.
 */
export const COGNITO_ERROR_CODES: Readonly<Record<string, ErrorCode>> = {
  InvalidPasswordException: 'weak_password',
  PasswordHistoryPolicyViolationException: 'weak_password',
  CodeMismatchException: 'code_mismatch',
  // VerifySoftwareToken's answer to a wrong authenticator code.
  EnableSoftwareTokenMFAException: 'code_mismatch',
  ExpiredCodeException: 'code_expired',
  AliasExistsException: 'email_taken',
  UsernameExistsException: 'email_taken',
  LimitExceededException: 'rate_limited',
  TooManyRequestsException: 'rate_limited',
  TooManyFailedAttemptsException: 'rate_limited',
  InvalidParameterException: 'invalid_input',
  SoftwareTokenMFANotFoundException: 'invalid_input',
  // The token's user is gone, disabled or must reset their password: this session cannot go on.
  UserNotFoundException: 'session_ended',
  UserNotConfirmedException: 'session_ended',
  PasswordResetRequiredException: 'session_ended',
  ForbiddenException: 'forbidden',
  CodeDeliveryFailureException: 'idp_unavailable',
  InternalErrorException: 'idp_unavailable',
};

/** The one wording Cognito uses for a wrong password (ChangePassword's PreviousPassword). */
const WRONG_PASSWORD = /incorrect username or password/i;

/** The SDK's name and fault of an error, whatever its class (a generic ServiceException for unmodelled types). */
function shapeOf(error: unknown): { name: string; fault: 'client' | 'server' | undefined; message: string } {
  if (typeof error !== 'object' || error === null) return { name: '', fault: undefined, message: '' };
  const record = error as { name?: unknown; $fault?: unknown; message?: unknown };
  return {
    name: typeof record.name === 'string' ? record.name : '',
    fault: record.$fault === 'client' || record.$fault === 'server' ? record.$fault : undefined,
    message: typeof record.message === 'string' ? record.message : '',
  };
}

/**
 * The AppError a failed user pool call becomes, with a stable code whose friendly words
 * lib/errors.ts holds (Cognito's own message never reaches a person; it stays in `cause`).
 * `NotAuthorizedException` is `wrong_password` for Cognito's "Incorrect username or password."
 * and otherwise `session_ended`: the access token was revoked (GlobalSignOut), expired, lacks the
 * `aws.cognito.signin.user.admin` scope or its user is disabled, and the person gets the usual
 * signed-out handling. An AppError passes through unchanged. Pure: safe anywhere on the server.
 */
export function accountErrorOf(error: unknown, operation = 'user pool call'): AppError {
  if (error instanceof AppError) return error;
  const { name, fault, message } = shapeOf(error);
  let code: ErrorCode;
  if (name === 'NotAuthorizedException') code = WRONG_PASSWORD.test(message) ? 'wrong_password' : 'session_ended';
  else if (Object.hasOwn(COGNITO_ERROR_CODES, name)) code = COGNITO_ERROR_CODES[name] ?? 'internal';
  else code = fault === 'client' ? 'internal' : 'idp_unavailable';
  return new AppError(code, `${operation} failed: ${name || 'network or timeout'}`, { cause: error });
}
