import 'server-only';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/log';
import { downloadHeaders, hasImageSignature, inlineImageType, isValidContentType, SNIFF_BYTES } from './content-types';
import type { AwsCredentials } from './credentials';
import { bucket, errorCodeOf, s3Call, s3ClientFor, urlLifetime } from './s3-client';
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
 * or a different type with 403 SignatureDoesNotMatch, and stores nothing. Unless `createOnly` is
 * false, `If-None-Match: *` is signed too, so the PUT only ever creates: when `key` exists S3
 * answers 412 PreconditionFailed (409 ConditionalRequestConflict when another conditional write
 * raced it) and keeps what is there, and a browser that drops the header breaks the signature. The URL lives
 * `ttlSeconds`, never past the credentials (see {@link urlLifetime}). The key must come from
 * lib/aws/keys.ts. Server only; makes no network call.
 * @throws {AppError} `invalid_file` for a size outside 0..5 GiB or a malformed content type.
 */
export async function presignUpload(
  credentials: AwsCredentials,
  input: { key: string; size: number; contentType: string; createOnly?: boolean },
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
        headers: {
          'content-length': String(input.size),
          'content-type': input.contentType,
          ...(input.createOnly === false ? {} : { 'if-none-match': '*' }),
        },
      },
      expiresIn,
      new Set(input.createOnly === false ? ['content-type'] : ['content-type', 'if-none-match']),
    ),
  );
  return {
    url,
    headers: { 'Content-Type': input.contentType, ...(input.createOnly === false ? {} : { 'If-None-Match': '*' }) },
  };
}

/** Reads up to `length` leading bytes of `key` (what {@link presignDownload} checks before offering inline). */
export type HeadReader = (credentials: AwsCredentials, key: string, length: number) => Promise<Uint8Array>;

/**
 * The first `length` bytes of `key`: a ranged GetObject with the caller's own credentials (so IAM
 * decides, as for the URL itself), bounded like every S3 call. An empty file reads as no bytes.
 * @throws the SDK's error as it came (map it with lib/aws/s3-client.ts's `errorCodeOf`/`storageError`).
 */
export const readFirstBytes: HeadReader = async (credentials, key, length) => {
  try {
    const answer = await s3ClientFor(credentials).send(
      new GetObjectCommand({ Bucket: bucket(), Key: key, Range: `bytes=0-${length - 1}` }),
    );
    return (await answer.Body?.transformToByteArray())?.subarray(0, length) ?? new Uint8Array();
  } catch (error) {
    if ((error as { name?: unknown }).name === 'InvalidRange') return new Uint8Array(); // A zero-byte file.
    throw error;
  }
};

/**
 * Whether `key`'s first bytes carry the magic number of `imageType`. A file that does not (HTML or
 * SVG named photo.png), or that cannot be read now, is not shown inline: one warn line, no error.
 */
async function bytesAreImage(credentials: AwsCredentials, key: string, imageType: string, read: HeadReader): Promise<boolean> {
  try {
    if (hasImageSignature(imageType, await read(credentials, key, SNIFF_BYTES))) return true;
    log('warn', 's3.inline_refused', { reason: 'signature_mismatch', type: imageType });
  } catch (error) {
    log('warn', 's3.inline_refused', { reason: 'unreadable', code: errorCodeOf(error) });
  }
  return false;
}

/**
 * A presigned GET for `key` that makes S3 answer with safe headers
 * (`response-content-disposition`, `response-content-type`): allow-listed raster images whose
 * extension matches `contentType` AND whose first bytes carry that type's magic number (one ranged
 * GET of {@link SNIFF_BYTES} bytes, read by `readHead`) are `inline` with their own type when
 * `inline` is not false; anything else (HTML, SVG, XML, scripts, PDF, a file lying about its
 * type...) is an `attachment` served as `application/octet-stream`. `fileName` becomes an RFC
 * 6266/5987 filename, stripped of CR, LF and quotes. The URL lives `ttlSeconds`, never past the
 * credentials. Server only; the only network call is that ranged GET, and only for inline images.
 */
export async function presignDownload(
  credentials: AwsCredentials,
  input: { key: string; fileName: string; contentType: string; inline?: boolean },
  ttlSeconds: number,
  readHead: HeadReader = readFirstBytes,
): Promise<string> {
  const expiresIn = urlLifetime(ttlSeconds, credentials.expiration);
  const imageType = input.inline === false ? null : inlineImageType(input.contentType, input.fileName);
  const inline = imageType !== null && (await bytesAreImage(credentials, input.key, imageType, readHead));
  const headers = downloadHeaders(input.fileName, input.contentType, inline);
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
