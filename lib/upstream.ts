/**
 * Deadlines for every call Cubby makes to the outside world (Cognito, the Identity Pool, S3),
 * declared once. A timeout that only logs is not a timeout: each value here is enforced, so a
 * server action answers within {@link UPSTREAM_ACTION_BOUND_MS} whatever an upstream does (never
 * answers, accepts the connection and stalls, answers 5xx), ending in the retryable
 * `storage_unavailable` (S3, Identity Pool) or `idp_unavailable` (Cognito). Pure: safe anywhere.
 */

/** An AWS SDK call (S3, Identity Pool) gives up connecting after this long. */
export const UPSTREAM_CONNECT_TIMEOUT_MS = 2_000;

/**
 * One AWS SDK attempt, connection included, must have its answer's status and headers within this
 * long (@smithy/node-http-handler's `requestTimeout`, made to throw with `throwOnRequestTimeout`).
 * S3 answers long copies and CompleteMultipartUpload with an early 200 and keeps the body alive,
 * so this bounds waiting for S3, not the size of a copy.
 */
export const UPSTREAM_ATTEMPT_TIMEOUT_MS = 4_000;

/** Attempts per AWS SDK call (the first and one retry, on 5xx, throttling, timeouts and network errors). */
export const UPSTREAM_MAX_ATTEMPTS = 2;

/**
 * Every Cognito call (discovery, token, revoke, JWKS, userInfo) gives up after this long. One
 * attempt: openid-client does not retry, and a token request must not be replayed blindly
 * (a refresh under rotation or an authorization code is single-use).
 */
export const IDP_TIMEOUT_SECONDS = 5;

/**
 * The longest one upstream call can hold a request: every attempt timing out, plus the SDK's
 * retry backoff (at most a second for one retry). What the integration tests assert against.
 */
export const UPSTREAM_CALL_BOUND_MS = UPSTREAM_MAX_ATTEMPTS * UPSTREAM_ATTEMPT_TIMEOUT_MS + 1_000;

/**
 * What a person waits at most when one upstream is down or stalls: the first failing call ends
 * the action, so this is one {@link UPSTREAM_CALL_BOUND_MS} plus the time the healthy calls
 * before it took (milliseconds against the emulator).
 */
export const UPSTREAM_ACTION_BOUND_MS = 10_000;

/**
 * The `requestHandler` options of every AWS SDK client Cubby builds: connect and request
 * timeouts, with the request timeout enforced (without `throwOnRequestTimeout`, the handler only
 * logs a warning and keeps waiting).
 */
export const AWS_REQUEST_HANDLER = {
  connectionTimeout: UPSTREAM_CONNECT_TIMEOUT_MS,
  requestTimeout: UPSTREAM_ATTEMPT_TIMEOUT_MS,
  throwOnRequestTimeout: true,
} as const;

/**
 * The shared store (Redis/Valkey, lib/store): connecting and every command give up after this
 * long. Short: the store holds locks and counters, never anything slow.
 */
export const STORE_TIMEOUT_MS = 500;
