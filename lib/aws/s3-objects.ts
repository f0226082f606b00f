import 'server-only';
import { randomUUID } from 'node:crypto';
import {
  type _Object,
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { AppError, type ErrorCode } from '@/lib/errors';
import { log } from '@/lib/log';
import type { AwsCredentials } from './credentials';
import { fileNameOf } from './keys';
import { copySourceOf } from './s3-address';
import { bareEtag, bucket, errorCodeOf, type StoredFile, s3Call, s3ClientFor, s3ErrorOf, storageError } from './s3-client';

/** Listing, deleting, copying, renaming and reading object metadata with a person's credentials. */

/** ListObjectsV2's largest page. */
const MAX_PAGE_KEYS = 1000;
/** {@link listAllFiles} stops after this many files. */
export const MAX_LISTED_FILES = 20_000;
/** {@link storageUsed} stops counting after this many objects. */
const MAX_COUNTED_OBJECTS = 200_000;
/** DeleteObjects takes at most 1,000 keys. */
const DELETE_BATCH = 1000;

function reshape(object: _Object): StoredFile | null {
  if (!object.Key) return null;
  return {
    key: object.Key,
    name: fileNameOf(object.Key),
    size: object.Size ?? 0,
    lastModified: (object.LastModified ?? new Date(0)).toISOString(),
    etag: bareEtag(object.ETag),
  };
}

function requireFolder(prefix: string): void {
  if (!prefix.endsWith('/') || prefix.startsWith('/')) throw new TypeError('a listing prefix is a folder ending in "/"');
}

/** One page of a folder's files. */
export interface FileListPage {
  files: StoredFile[];
  /** Opaque (S3's continuation token); null on the last page. */
  nextCursor: string | null;
}

/**
 * One page (up to `maxKeys`, at most 1,000) of the files directly in the folder `prefix`, in
 * UTF-8 binary key order. Nested pseudo-folders are left out (delimiter `/`), and so is a folder
 * marker object equal to the prefix. Pass `nextCursor` back as `cursor` for the next page; as on
 * S3, nested folders take slots of a page, so a page may hold fewer files (even none) and still
 * have a `nextCursor`. With `recursive`, nested keys are listed too (no delimiter).
 * @throws {TypeError} for a prefix that is not a folder; AppError (`forbidden` outside the
 * caller's allowed prefixes, `storage_unavailable`...) when S3 fails.
 */
export async function listFiles(
  credentials: AwsCredentials,
  prefix: string,
  options: { cursor?: string | null; maxKeys?: number; recursive?: boolean } = {},
): Promise<FileListPage> {
  requireFolder(prefix);
  const maxKeys = Math.min(MAX_PAGE_KEYS, Math.max(1, Math.floor(options.maxKeys ?? MAX_PAGE_KEYS)));
  const answer = await s3Call('list', () =>
    s3ClientFor(credentials).send(
      new ListObjectsV2Command({
        Bucket: bucket(),
        Prefix: prefix,
        Delimiter: options.recursive ? undefined : '/',
        MaxKeys: maxKeys,
        ContinuationToken: options.cursor || undefined,
      }),
    ),
  );
  const files = (answer.Contents ?? []).map(reshape).filter((file): file is StoredFile => file !== null && file.key !== prefix);
  return { files, nextCursor: answer.IsTruncated && answer.NextContinuationToken ? answer.NextContinuationToken : null };
}

/**
 * Every file directly in the folder `prefix` (or under it, with `recursive`: all pages of {@link listFiles}), stopping at
 * `limit` (default {@link MAX_LISTED_FILES}); a cut listing is logged.
 */
export async function listAllFiles(
  credentials: AwsCredentials,
  prefix: string,
  options: { limit?: number; recursive?: boolean } = {},
): Promise<StoredFile[]> {
  const limit = options.limit ?? MAX_LISTED_FILES;
  const files: StoredFile[] = [];
  let cursor: string | null = null;
  do {
    const page: FileListPage = await listFiles(credentials, prefix, {
      cursor,
      maxKeys: MAX_PAGE_KEYS,
      recursive: options.recursive ?? false,
    });
    files.push(...page.files);
    cursor = page.nextCursor;
  } while (cursor && files.length < limit);
  if (files.length > limit || cursor) log('warn', 's3.listing_cut', { limit });
  return files.slice(0, limit);
}

/**
 * Bytes stored under `prefix`, nested keys included (the basis of the quota). Counts at most
 * 200,000 objects.
 */
export async function storageUsed(credentials: AwsCredentials, prefix: string): Promise<number> {
  requireFolder(prefix);
  const client = s3ClientFor(credentials);
  let total = 0;
  let counted = 0;
  let token: string | undefined;
  do {
    const answer = await s3Call('list', () =>
      client.send(
        new ListObjectsV2Command({ Bucket: bucket(), Prefix: prefix, MaxKeys: MAX_PAGE_KEYS, ContinuationToken: token }),
      ),
    );
    for (const object of answer.Contents ?? []) total += object.Size ?? 0;
    counted += answer.KeyCount ?? answer.Contents?.length ?? 0;
    token = answer.IsTruncated ? answer.NextContinuationToken : undefined;
  } while (token && counted < MAX_COUNTED_OBJECTS);
  return total;
}

/** What a batch delete did: keys gone, and keys S3 refused with the reason as a code. */
export interface DeleteResult {
  deleted: string[];
  errors: { key: string; code: ErrorCode; s3Code: string }[];
}

const DELETE_ERROR_CODES: Readonly<Record<string, ErrorCode>> = { AccessDenied: 'forbidden', NoSuchKey: 'not_found' };

/**
 * Deletes keys in batches of 1,000 (DeleteObjects). Deleting a key that does not exist counts as
 * deleted (S3 is idempotent). A refused key (e.g. AccessDenied outside the caller's prefix) or a
 * failed batch is reported per key in `errors`; never throws for S3 failures.
 */
export async function deleteFiles(credentials: AwsCredentials, keys: readonly string[]): Promise<DeleteResult> {
  const unique = [...new Set(keys)];
  const result: DeleteResult = { deleted: [], errors: [] };
  const client = s3ClientFor(credentials);
  for (let start = 0; start < unique.length; start += DELETE_BATCH) {
    const batch = unique.slice(start, start + DELETE_BATCH);
    try {
      const answer = await client.send(
        new DeleteObjectsCommand({
          Bucket: bucket(),
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: false },
        }),
      );
      for (const deleted of answer.Deleted ?? []) if (deleted.Key) result.deleted.push(deleted.Key);
      for (const error of answer.Errors ?? []) {
        if (!error.Key) continue;
        const s3Code = error.Code ?? 'InternalError';
        result.errors.push({ key: error.Key, code: DELETE_ERROR_CODES[s3Code] ?? 'storage_unavailable', s3Code });
      }
    } catch (error) {
      const mapped = storageError(error, 'delete-batch');
      const s3Code = s3ErrorOf(error)?.name ?? 'NetworkError';
      for (const key of batch) result.errors.push({ key, code: mapped.code, s3Code });
    }
  }
  if (result.errors.length > 0)
    log('warn', 's3.delete_refused', { refused: result.errors.length, deleted: result.deleted.length });
  return result;
}

/**
 * Copies `from` to `to` in the same bucket, keeping content type and metadata (CopyObject:
 * objects up to 5 GiB), create-only: `If-None-Match: *` makes S3 refuse when `to` exists, so a
 * copy never replaces a file. `metadata` replaces the user metadata when given (content type
 * and the other content headers are kept).
 * @throws {AppError} `name_taken` when `to` exists (or another create-only write raced this one);
 * `not_found` when `from` is missing, `forbidden` outside the caller's prefixes.
 */
export async function copyFile(
  credentials: AwsCredentials,
  from: string,
  to: string,
  options: { metadata?: Record<string, string>; contentType?: string } = {},
): Promise<void> {
  const name = bucket();
  await s3Call('copy', () =>
    s3ClientFor(credentials).send(
      new CopyObjectCommand({
        Bucket: name,
        Key: to,
        CopySource: copySourceOf(name, from),
        IfNoneMatch: '*',
        ...(options.metadata
          ? { MetadataDirective: 'REPLACE', Metadata: options.metadata, ContentType: options.contentType }
          : {}),
      }),
    ),
  );
}

/**
 * The user metadata (`x-amz-meta-modified-at`, ISO 8601) that carries a file's own modification
 * time across renames: S3 has no rename, and the copy a rename makes gets a new LastModified.
 */
export const MODIFIED_AT_METADATA = 'modified-at';

/** The user metadata naming the rename that made a copy (see {@link renameFile}). */
const RENAME_METADATA = 'cubby-rename';

/** A file as HeadObject describes it: what a listing gives, plus what only a HEAD returns. */
export interface FileDetails extends StoredFile {
  /**
   * When the file's content last changed, ISO 8601: the {@link MODIFIED_AT_METADATA} a rename
   * kept, else S3's LastModified (the last write). ListObjectsV2 returns no user metadata, so
   * listings only have `lastModified`.
   */
  modifiedAt: string;
  /** The stored Content-Type. */
  contentType: string;
  /** User metadata (`x-amz-meta-*`, names lower case). */
  metadata: Readonly<Record<string, string>>;
}

/** The file's own modification time from a HeadObject answer (see {@link FileDetails.modifiedAt}). */
function modifiedAtOf(head: HeadObjectCommandOutput): string {
  const kept = Date.parse(head.Metadata?.[MODIFIED_AT_METADATA] ?? '');
  return new Date(Number.isNaN(kept) ? (head.LastModified ?? new Date(0)).getTime() : kept).toISOString();
}

async function headObject(credentials: AwsCredentials, key: string): Promise<HeadObjectCommandOutput | null> {
  try {
    return await s3ClientFor(credentials).send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
  } catch (error) {
    if (errorCodeOf(error) === 'not_found') return null;
    throw storageError(error, 'head');
  }
}

/**
 * Renames `from` to `to`: HeadObject, copy, then delete the original. The copy replaces the
 * metadata with the original's own (content type, disposition, cache control, encoding, language,
 * expiry and user metadata) plus {@link MODIFIED_AT_METADATA}, so the file keeps its modification
 * time through any number of renames. If the delete fails the copy is removed again (best
 * effort) so no duplicate is left behind, and the error is thrown.
 * The copy is create-only (`If-None-Match: *`): `to` is never replaced, whoever took it when.
 * @throws {AppError} `name_taken` when `to` exists; `not_found` when `from` is missing, `forbidden` outside the caller's
 * prefixes, or the delete's error.
 */
export async function renameFile(credentials: AwsCredentials, from: string, to: string): Promise<void> {
  if (from === to) return;
  const source = await headObject(credentials, from);
  if (!source) throw new AppError('not_found', 'rename source not found');
  const client = s3ClientFor(credentials);
  const name = bucket();
  // Marks this copy, so a copy whose answer was lost (timeout, then the SDK's retry meets its own
  // object and S3's 412) is recognised as ours instead of as a taken name.
  const renameId = randomUUID();
  const { [RENAME_METADATA]: _previous, ...metadata } = source.Metadata ?? {};
  try {
    await s3Call('copy', () =>
      client.send(
        new CopyObjectCommand({
          Bucket: name,
          Key: to,
          CopySource: copySourceOf(name, from),
          // Create-only: a name another tab or instance took since the caller looked is never replaced.
          IfNoneMatch: '*',
          MetadataDirective: 'REPLACE',
          ContentType: source.ContentType,
          ContentDisposition: source.ContentDisposition,
          CacheControl: source.CacheControl,
          ContentEncoding: source.ContentEncoding,
          ContentLanguage: source.ContentLanguage,
          Expires: source.Expires,
          Metadata: { ...metadata, [MODIFIED_AT_METADATA]: modifiedAtOf(source), [RENAME_METADATA]: renameId },
        }),
      ),
    );
  } catch (error) {
    const landed = error instanceof AppError && error.code === 'name_taken' && (await headObject(credentials, to));
    if (!landed || landed.Metadata?.[RENAME_METADATA] !== renameId) throw error;
  }
  try {
    await client.send(new DeleteObjectCommand({ Bucket: bucket(), Key: from }));
  } catch (error) {
    const mapped = storageError(error, 'rename-delete');
    await client.send(new DeleteObjectCommand({ Bucket: bucket(), Key: to })).catch(() => undefined);
    throw mapped;
  }
}

/**
 * The metadata of `key` (HeadObject), or null when it does not exist. Also the existence check
 * that picks free names: S3 itself, never a cached listing.
 * @throws {AppError} `forbidden` outside the caller's prefixes, `storage_unavailable`...
 */
export async function headFile(credentials: AwsCredentials, key: string): Promise<FileDetails | null> {
  const answer = await headObject(credentials, key);
  if (!answer) return null;
  return {
    key,
    name: fileNameOf(key),
    size: answer.ContentLength ?? 0,
    lastModified: (answer.LastModified ?? new Date(0)).toISOString(),
    etag: bareEtag(answer.ETag),
    modifiedAt: modifiedAtOf(answer),
    contentType: answer.ContentType ?? 'application/octet-stream',
    metadata: answer.Metadata ?? {},
  };
}
