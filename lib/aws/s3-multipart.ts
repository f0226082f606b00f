import 'server-only';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { AppError } from '@/lib/errors';
import { isValidContentType } from './content-types';
import type { AwsCredentials } from './credentials';
import { copySourceOf } from './s3-address';
import { bareEtag, bucket, s3Call, s3ClientFor, s3ErrorOf, storageError, urlLifetime } from './s3-client';
import { MAX_OBJECT_BYTES, MAX_PARTS } from './s3-limits';
import { presignObjectUrl } from './s3-signer';

/**
 * Multipart uploads for big files: the server creates the upload and presigns one PUT per part
 * (each part's Content-Length signed); the browser uploads parts in parallel straight to S3 and
 * reports their ETags; a failed part is retried alone, and {@link listUploadedParts} tells what
 * S3 already holds after an interruption.
 */

const MiB = 1024 * 1024;

/** Files larger than this (100 MB) are uploaded in parts. */
export const MULTIPART_THRESHOLD = 100 * 1000 * 1000;
/** Cubby's smallest part (S3's floor is 5 MiB for every part but the last). */
export const MIN_PART_SIZE = 8 * MiB;
/**
 * Default life of a part URL (capped by the credentials), longer than other URLs: the parts of a
 * batch are sent one after another, and without it the last parts of a slow upload would find
 * their URLs expired.
 */
export const PART_URL_TTL_SECONDS = 3600;
/** The most part URLs one call presigns. */
export const MAX_PART_URLS_PER_CALL = 1000;

/** How a file is cut into parts: every part is `partSize` bytes except the last, `lastPartSize`. */
export interface MultipartPlan {
  partSize: number;
  count: number;
  lastPartSize: number;
}

/** Parts a file is cut into while they stay between {@link MIN_PART_SIZE} and {@link PREFERRED_MAX_PART_SIZE}. */
export const TARGET_PARTS = 8;
/** Parts grow past this only when 10,000 of them could not hold the file. */
export const PREFERRED_MAX_PART_SIZE = 64 * MiB;

/**
 * Cuts `size` bytes into parts of a whole number of MiB: about {@link TARGET_PARTS} of them
 * between 8 and 64 MiB (each part costs a request, a signature and a round trip, so a 200 MB
 * file goes as 8 parts of 24 MiB, not 24 of 8), never more than 10,000.
 * @throws {AppError} `invalid_file` for a size that is not 1 byte..5 TiB.
 */
export function planMultipart(size: number): MultipartPlan {
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_OBJECT_BYTES) {
    throw new AppError('invalid_file', 'size outside what S3 can store');
  }
  const preferred = Math.min(PREFERRED_MAX_PART_SIZE, Math.max(MIN_PART_SIZE, Math.ceil(size / TARGET_PARTS / MiB) * MiB));
  const partSize = Math.max(preferred, Math.ceil(size / MAX_PARTS / MiB) * MiB);
  const count = Math.ceil(size / partSize);
  return { partSize, count, lastPartSize: size - (count - 1) * partSize };
}

/**
 * Starts a multipart upload of `key` with its Content-Type and returns S3's upload id.
 * @throws {AppError} `invalid_file` for a malformed type; S3 failures as in `storageError`.
 */
export async function createMultipartUpload(
  credentials: AwsCredentials,
  input: { key: string; contentType: string },
): Promise<string> {
  if (!isValidContentType(input.contentType)) throw new AppError('invalid_file', 'malformed content type');
  const { UploadId } = await s3Call('create-multipart', () =>
    s3ClientFor(credentials).send(
      new CreateMultipartUploadCommand({ Bucket: bucket(), Key: input.key, ContentType: input.contentType }),
    ),
  );
  if (!UploadId) throw new AppError('storage_unavailable', 'CreateMultipartUpload returned no UploadId');
  return UploadId;
}

/**
 * Presigned PUTs for the given parts, each with its exact Content-Length signed (`partSize`, or
 * `lastPartSize` for part `totalParts`). URLs live `ttlSeconds`, never past the credentials.
 * No network call.
 * @throws {AppError} `invalid_input` for part numbers outside 1..totalParts or too many at once.
 */
export async function presignUploadParts(
  credentials: AwsCredentials,
  input: {
    key: string;
    uploadId: string;
    partNumbers: readonly number[];
    partSize: number;
    lastPartSize: number;
    totalParts: number;
  },
  ttlSeconds: number = PART_URL_TTL_SECONDS,
): Promise<{ partNumber: number; url: string }[]> {
  const valid = (n: number) => Number.isInteger(n) && n >= 1 && n <= input.totalParts && n <= MAX_PARTS;
  if (input.partNumbers.length > MAX_PART_URLS_PER_CALL || !input.partNumbers.every(valid) || !input.uploadId) {
    throw new AppError('invalid_input', 'part numbers outside the upload');
  }
  const expiresIn = urlLifetime(ttlSeconds, credentials.expiration);
  return s3Call('presign-part', () =>
    Promise.all(
      input.partNumbers.map(async (partNumber) => {
        const size = partNumber === input.totalParts ? input.lastPartSize : input.partSize;
        const url = await presignObjectUrl(
          credentials,
          {
            method: 'PUT',
            key: input.key,
            operation: 'UploadPart',
            headers: { 'content-length': String(size) },
            query: { partNumber: String(partNumber), uploadId: input.uploadId },
          },
          expiresIn,
        );
        return { partNumber, url };
      }),
    ),
  );
}

function quoted(etag: string): string {
  return `"${bareEtag(etag)}"`;
}

/**
 * Assembles the uploaded parts into the object, create-only (`If-None-Match: *`). Parts may come
 * in any order and with quoted or bare ETags (as a browser reads them from the `ETag` header).
 * @throws {AppError} `invalid_file` when S3 refuses the parts (missing, wrong ETag, too small);
 * `not_found` when the upload no longer exists; `name_taken` when `key` exists.
 */
export async function completeMultipartUpload(
  credentials: AwsCredentials,
  input: { key: string; uploadId: string; parts: readonly { partNumber: number; etag: string }[] },
): Promise<void> {
  const parts = [...input.parts]
    .sort((a, b) => a.partNumber - b.partNumber)
    .map((part) => ({ PartNumber: part.partNumber, ETag: quoted(part.etag) }));
  await s3Call('complete-multipart', () =>
    s3ClientFor(credentials).send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket(),
        Key: input.key,
        UploadId: input.uploadId,
        MultipartUpload: { Parts: parts },
        // Create-only, as every write that makes a file: never replaces an object at `key`.
        IfNoneMatch: '*',
      }),
    ),
  );
}

/** Abandons a multipart upload and frees its parts. Aborting an upload that is already gone succeeds. */
export async function abortMultipartUpload(credentials: AwsCredentials, input: { key: string; uploadId: string }): Promise<void> {
  try {
    await s3ClientFor(credentials).send(
      new AbortMultipartUploadCommand({ Bucket: bucket(), Key: input.key, UploadId: input.uploadId }),
    );
  } catch (error) {
    if (s3ErrorOf(error)?.name === 'NoSuchUpload') return;
    throw storageError(error, 'abort-multipart');
  }
}

/** A part S3 already holds. */
export interface UploadedPart {
  partNumber: number;
  /** Without quotes. */
  etag: string;
  size: number;
}

/**
 * The parts S3 holds for an upload, in part-number order (all pages of ListParts): what is left
 * to send after a failed or interrupted part.
 * @throws {AppError} `not_found` when the upload no longer exists.
 */
export async function listUploadedParts(
  credentials: AwsCredentials,
  input: { key: string; uploadId: string },
): Promise<UploadedPart[]> {
  const client = s3ClientFor(credentials);
  const parts: UploadedPart[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PARTS / 1000 + 1; page += 1) {
    const answer = await s3Call('list-parts', () =>
      client.send(new ListPartsCommand({ Bucket: bucket(), Key: input.key, UploadId: input.uploadId, PartNumberMarker: marker })),
    );
    for (const part of answer.Parts ?? []) {
      if (part.PartNumber !== undefined) {
        parts.push({ partNumber: part.PartNumber, etag: bareEtag(part.ETag), size: part.Size ?? 0 });
      }
    }
    if (!answer.IsTruncated || !answer.NextPartNumberMarker) break;
    marker = answer.NextPartNumberMarker;
  }
  return parts.sort((a, b) => a.partNumber - b.partNumber);
}

/** CopyObject's ceiling (5 GiB): bigger objects are copied in parts (UploadPartCopy). */
export const MAX_SINGLE_COPY_BYTES = 5 * 1024 ** 3;
/** The smallest part of a copy in parts (512 MiB, more when 10,000 parts would not cover the object). */
const COPY_PART_SIZE = 512 * MiB;
/** Parts copied at once. */
const COPY_CONCURRENCY = 4;

/** The byte ranges (inclusive, as `x-amz-copy-source-range` takes them) a copy in parts uses. */
export function copyRanges(size: number, minPartSize = COPY_PART_SIZE): { partNumber: number; first: number; last: number }[] {
  const partSize = Math.max(minPartSize, Math.ceil(size / MAX_PARTS));
  const ranges: { partNumber: number; first: number; last: number }[] = [];
  for (let first = 0, partNumber = 1; first < size; first += partSize, partNumber += 1) {
    ranges.push({ partNumber, first, last: Math.min(size, first + partSize) - 1 });
  }
  return ranges;
}

/**
 * Copies `from` (`size` bytes, over {@link MAX_SINGLE_COPY_BYTES}) to `to` in parts: a new
 * multipart upload at `to`, UploadPartCopy of each range of `from` ({@link COPY_CONCURRENCY} at a
 * time, S3 moves the bytes), then a create-only Complete. The upload is aborted on any failure, so
 * nothing is left behind. `partSize` is for tests (S3's floor is 5 MiB).
 * @throws {AppError} `name_taken` when `to` exists by the time the copy completes; S3 failures as AppError.
 */
export async function copyFileInParts(
  credentials: AwsCredentials,
  input: {
    from: string;
    to: string;
    size: number;
    contentType: string;
    metadata: Record<string, string>;
    /** The source's ETag (without quotes): every part copy is conditional on it. */
    sourceEtag?: string;
    partSize?: number;
  },
): Promise<void> {
  const client = s3ClientFor(credentials);
  const name = bucket();
  const { UploadId } = await s3Call('create-multipart-copy', () =>
    client.send(
      new CreateMultipartUploadCommand({ Bucket: name, Key: input.to, ContentType: input.contentType, Metadata: input.metadata }),
    ),
  );
  if (!UploadId) throw new AppError('storage_unavailable', 'CreateMultipartUpload returned no UploadId');
  const source = copySourceOf(name, input.from);
  try {
    const ranges = copyRanges(input.size, input.partSize);
    const etags = new Map<number, string>();
    let next = 0;
    let failed = false;
    const worker = async () => {
      for (let range = ranges[next++]; range !== undefined && !failed; range = ranges[next++]) {
        const { partNumber, first, last } = range;
        try {
          const answer = await s3Call('upload-part-copy', () =>
            client.send(
              new UploadPartCopyCommand({
                Bucket: name,
                Key: input.to,
                UploadId,
                PartNumber: partNumber,
                CopySource: source,
                CopySourceRange: `bytes=${first}-${last}`,
                // Every part from the same object: a source replaced halfway fails instead of mixing.
                ...(input.sourceEtag ? { CopySourceIfMatch: `"${input.sourceEtag}"` } : {}),
              }),
            ),
          );
          etags.set(partNumber, bareEtag(answer.CopyPartResult?.ETag));
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    // Every worker has stopped before the upload is aborted: a part still being copied during an
    // abort might survive it.
    const results = await Promise.allSettled(Array.from({ length: Math.min(COPY_CONCURRENCY, ranges.length) }, worker));
    const rejected = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (rejected) throw rejected.reason;
    await completeMultipartUpload(credentials, {
      key: input.to,
      uploadId: UploadId,
      parts: [...etags].map(([partNumber, etag]) => ({ partNumber, etag })),
    });
  } catch (error) {
    await abortMultipartUpload(credentials, { key: input.to, uploadId: UploadId }).catch(() => undefined);
    throw error;
  }
}
