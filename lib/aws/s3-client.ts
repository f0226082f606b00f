import 'server-only';
import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getEnv } from '@/lib/env';
import { AppError, type ErrorCode } from '@/lib/errors';
import { describeError, log } from '@/lib/log';
import { AWS_REQUEST_HANDLER, UPSTREAM_MAX_ATTEMPTS } from '@/lib/upstream';
import type { AwsCredentials } from './credentials';
import { s3ClientAddressing } from './s3-address';

/**
 * The S3 client of one credential set, URL lifetimes and the mapping of S3's errors to Cubby's
 * codes. The server holds no AWS keys of its own: every call signs with a person's (or guest's)
 * temporary Identity Pool credentials, so IAM stands behind every check the app makes.
 */

/** An object as Cubby sees it (reshaped from the SDK's types). */
export interface StoredFile {
  key: string;
  /** The key's last segment. */
  name: string;
  /** Bytes. */
  size: number;
  /** ISO 8601. */
  lastModified: string;
  /** The ETag without its quotes (`<md5 hex>`, or `<hex>-<parts>` after a multipart upload). */
  etag: string;
}

/**
 * A presigned URL stops this long before the credentials that signed it expire. Without it a URL
 * could promise to live until the very second its credentials die, and a browser starting (or
 * resuming) the transfer in that last moment, or with a clock a little ahead of S3's, would get
 * ExpiredToken from a URL it was told was still good.
 */
export const PRESIGNED_URL_CREDENTIALS_MARGIN_SECONDS = 30;
/**
 * SigV4's ceiling on X-Amz-Expires (7 days). Without it a long TTL would yield a URL S3 refuses
 * outright (AuthorizationQueryParametersError), whatever the credentials allow.
 */
const SIGV4_MAX_EXPIRES_SECONDS = 604_800;
const MAX_CLIENTS = 200;
/** An evicted client is destroyed this long after eviction, once requests still using it are done. */
const DESTROY_DELAY_MS = 60_000;

const clients = new Map<string, S3Client>();

/**
 * The S3 client for one credential set, cached (at most 200, least recently used evicted) by
 * access key id. Checksums only when an operation requires one (cognito-wire-facts §7.2: the
 * default would put a CRC32 of an empty body into presigned PUTs); addressing from
 * lib/aws/s3-address.ts (path-style under an endpoint override, the emulator). Server only.
 */
export function s3ClientFor(credentials: AwsCredentials): S3Client {
  const cached = clients.get(credentials.accessKeyId);
  if (cached) {
    clients.delete(credentials.accessKeyId);
    clients.set(credentials.accessKeyId, cached);
    return cached;
  }
  const env = getEnv();
  const client = new S3Client({
    region: env.AWS_REGION,
    ...s3ClientAddressing(env),
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      expiration: credentials.expiration,
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Bounded: lib/upstream.ts (enforced connect and request timeouts, one retry).
    maxAttempts: UPSTREAM_MAX_ATTEMPTS,
    requestHandler: AWS_REQUEST_HANDLER,
  });
  clients.set(credentials.accessKeyId, client);
  for (const [accessKeyId, old] of clients) {
    if (clients.size <= MAX_CLIENTS) break;
    clients.delete(accessKeyId);
    setTimeout(() => old.destroy(), DESTROY_DELAY_MS).unref();
  }
  return client;
}

/** The bucket every key lives in (S3_BUCKET). */
export function bucket(): string {
  return getEnv().S3_BUCKET;
}

/**
 * How long a presigned URL may live: `ttlSeconds`, but never past the credentials' expiry minus
 * {@link PRESIGNED_URL_CREDENTIALS_MARGIN_SECONDS} (S3 refuses a URL once its temporary credentials expire,
 * cognito-wire-facts §7.1, so promising more would be a lie) and never past SigV4's 7 days ({@link SIGV4_MAX_EXPIRES_SECONDS}).
 * @throws {AppError} `storage_unavailable` when the credentials are too close to expiry to sign.
 */
export function urlLifetime(ttlSeconds: number, expiration: Date, now: number = Date.now()): number {
  const remaining = Math.floor((expiration.getTime() - now) / 1000) - PRESIGNED_URL_CREDENTIALS_MARGIN_SECONDS;
  const lifetime = Math.min(Math.floor(ttlSeconds), remaining, SIGV4_MAX_EXPIRES_SECONDS);
  if (!(lifetime >= 1)) throw new AppError('storage_unavailable', 'credentials expire too soon to sign a URL');
  return lifetime;
}

const CODES: Readonly<Record<string, ErrorCode>> = {
  AccessDenied: 'forbidden',
  Forbidden: 'forbidden',
  AllAccessDisabled: 'forbidden',
  InvalidAccessKeyId: 'forbidden',
  SignatureDoesNotMatch: 'forbidden',
  ExpiredToken: 'session_ended',
  InvalidToken: 'session_ended',
  NoSuchKey: 'not_found',
  NotFound: 'not_found',
  NoSuchUpload: 'not_found',
  // A create-only write (If-None-Match: *) whose key exists, or that raced another one for it.
  PreconditionFailed: 'name_taken',
  ConditionalRequestConflict: 'name_taken',
  KeyTooLongError: 'invalid_file',
  EntityTooLarge: 'invalid_file',
  EntityTooSmall: 'invalid_file',
  InvalidPart: 'invalid_file',
  InvalidPartOrder: 'invalid_file',
};

/** For answers without an S3 error code (HEAD has no body: the SDK calls them `Unknown`). */
function codeOfStatus(status: number | undefined): ErrorCode {
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  return status === undefined || status >= 500 ? 'storage_unavailable' : 'internal';
}

/** S3's error code (`AccessDenied`, `NoSuchKey`...) and HTTP status of an SDK error, if it is one. */
export function s3ErrorOf(error: unknown): { name: string; status: number | undefined } | null {
  return error instanceof S3ServiceException ? { name: error.name, status: error.$metadata?.httpStatusCode } : null;
}

/**
 * S3's "try again" codes. CopyObject and CompleteMultipartUpload may carry them inside a 200
 * answer (the SDK rewrites such an answer's status to 503 and throws it with S3's code as its
 * name), so they are matched by name as well as by status.
 */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'InternalError',
  'ServiceUnavailable',
  'SlowDown',
  'RequestTimeout',
  'OperationAborted',
]);

/** S3's answers to a create-only write whose key exists or that raced another conditional write. */
const CONDITIONAL_CODES: ReadonlySet<string> = new Set(['PreconditionFailed', 'ConditionalRequestConflict']);

/**
 * The AppError code of a failed S3 call (see {@link storageError}), without logging. A 5xx is
 * `storage_unavailable` whatever code it carries: an upstream failure never reads as a wrong
 * answer such as `not_found` for a file that exists.
 */
export function errorCodeOf(error: unknown): ErrorCode {
  if (error instanceof AppError) return error.code;
  const s3 = s3ErrorOf(error);
  if (!s3) return 'storage_unavailable';
  // A failed precondition is an answer, not an outage, even when it came inside a copy's 200
  // (which the SDK reports as a 503): the name was taken.
  if (CONDITIONAL_CODES.has(s3.name)) return 'name_taken';
  if ((s3.status ?? 0) >= 500 || RETRYABLE_CODES.has(s3.name)) return 'storage_unavailable';
  return CODES[s3.name] ?? codeOfStatus(s3.status);
}

/**
 * The AppError for a failed S3 call: any 5xx, and S3's retryable codes even inside a 200 (SlowDown,
 * InternalError...), → `storage_unavailable`; AccessDenied and other refusals → `forbidden`; NoSuchKey,
 * NotFound, NoSuchUpload → `not_found`; ExpiredToken → `session_ended`; a refused part or key →
 * `invalid_file`; a bodiless 403/404 (HEAD) by its status; 5xx, timeouts, network failures and unreadable answers → `storage_unavailable`;
 * any other 4xx → `internal`. Logs one line (operation, codes, status: never a URL or key).
 */
export function storageError(error: unknown, operation: string): AppError {
  if (error instanceof AppError) return error;
  const s3 = s3ErrorOf(error);
  const status = s3?.status;
  const code = errorCodeOf(error);
  log(code === 'internal' || code === 'storage_unavailable' ? 'error' : 'warn', 's3.failed', {
    operation,
    code,
    s3Code: s3?.name ?? describeError(error),
    status,
  });
  return new AppError(code, `S3 ${operation} failed: ${s3?.name ?? describeError(error)}`, { cause: error });
}

/** Runs one S3 call, turning any failure into an AppError (see {@link storageError}). */
export async function s3Call<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw storageError(error, operation);
  }
}

/** An ETag without its surrounding quotes. */
export function bareEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^"|"$/g, '');
}
