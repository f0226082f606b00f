import 'server-only';
import { AppError } from '@/lib/errors';
import { downloadHeaders, isValidContentType } from './content-types';
import { type S3Credentials, s3Call, urlLifetime } from './s3-client';
import { presignObjectUrl } from './s3-signer';

/** S3's largest single PUT (5 GiB); bigger files must use multipart. */
export const MAX_SINGLE_PUT_BYTES = 5 * 1024 ** 3;

/** A presigned PUT and the headers the browser must send with it, exactly. */
export interface PresignedUpload {
  url: string;
  /** Signed request headers to send as-is (`Content-Type`); the browser sets `Content-Length` itself from the body. */
  headers: Record<string, string>;
}

/**
 * A presigned PUT for `key` with `Content-Length` AND `Content-Type` signed
 * (X-Amz-SignedHeaders `content-length;content-type;host`): S3 refuses a body of any other size
 * or a different type with 403 SignatureDoesNotMatch, and stores nothing. The URL lives
 * `ttlSeconds`, never past the credentials (see {@link urlLifetime}). The key must come from
 * lib/aws/keys.ts. Server only; makes no network call.
 * @throws {AppError} `invalid_file` for a size outside 0..5 GiB or a malformed content type.
 */
export async function presignUpload(
  credentials: S3Credentials,
  input: { key: string; size: number; contentType: string },
  ttlSeconds: number,
): Promise<PresignedUpload> {
  if (!Number.isSafeInteger(input.size) || input.size < 0 || input.size > MAX_SINGLE_PUT_BYTES) {
    throw new AppError('invalid_file', 'size outside what one PUT can carry');
  }
  if (!isValidContentType(input.contentType)) throw new AppError('invalid_file', 'malformed content type');
  const expiresIn = urlLifetime(ttlSeconds, credentials.expiration);
  const url = await s3Call('presign-put', () =>
    presignObjectUrl(
      credentials,
      {
        method: 'PUT',
        key: input.key,
        operation: 'PutObject',
        headers: { 'content-length': String(input.size), 'content-type': input.contentType },
      },
      expiresIn,
      new Set(['content-type']),
    ),
  );
  return { url, headers: { 'Content-Type': input.contentType } };
}

/**
 * A presigned GET for `key` that makes S3 answer with safe headers
 * (`response-content-disposition`, `response-content-type`): allow-listed raster images whose
 * extension matches `contentType` are `inline` with their own type when `inline` is not false;
 * anything else (HTML, SVG, XML, scripts, PDF...) is an `attachment` served as
 * `application/octet-stream`. `fileName` becomes an RFC 6266/5987 filename, stripped of CR, LF
 * and quotes. The URL lives `ttlSeconds`, never past the credentials. Server only; no network call.
 */
export async function presignDownload(
  credentials: S3Credentials,
  input: { key: string; fileName: string; contentType: string; inline?: boolean },
  ttlSeconds: number,
): Promise<string> {
  const expiresIn = urlLifetime(ttlSeconds, credentials.expiration);
  const headers = downloadHeaders(input.fileName, input.contentType, input.inline !== false);
  return s3Call('presign-get', () =>
    presignObjectUrl(
      credentials,
      {
        method: 'GET',
        key: input.key,
        operation: 'GetObject',
        query: { 'response-content-disposition': headers.contentDisposition, 'response-content-type': headers.contentType },
      },
      expiresIn,
    ),
  );
}
