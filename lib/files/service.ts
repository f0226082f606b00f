import 'server-only';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { AwsCredentials } from '@/lib/aws/credentials';
import { fileNameOf, isOwnKey, nextFreeName, nextFreeNameAfter, ownFileKey, publicPrefix } from '@/lib/aws/keys';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  deleteFiles as deleteObjects,
  headFile,
  listAllFiles,
  MULTIPART_THRESHOLD,
  planMultipart,
  presignDownload,
  presignUpload,
  presignUploadParts,
  renameFile as renameObject,
  type StoredFile,
} from '@/lib/aws/s3';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import type { FileDetails, FileItem, FilePage, ListedFile, ListFilesInput, UploadPlan } from './types';

/** What one person's files are worked on with: their identity and credentials. */
export interface Owner {
  identityId: string;
  credentials: AwsCredentials;
}

/** Presigned URLs live at most this long (and never past the credentials). */
const URL_TTL_SECONDS = 15 * 60;
/** Multipart part URLs are handed out in batches of this many. */
export const PART_BATCH = 20;
/** A person's listing is reused this long unless this process changed their files. */
const LISTING_TTL_MS = 20_000;

const listings = new LRUCache<string, StoredFile[]>({ max: 500, ttl: LISTING_TTL_MS });
/** Uploads planned but not finished, per identity: name → size (their names are taken, their bytes count). */
const pendingUploads = new LRUCache<string, Map<string, number>>({ max: 5000, ttl: 60 * 60 * 1000 });

function pendingOf(owner: Owner): Map<string, number> {
  let pending = pendingUploads.get(owner.identityId);
  if (!pending) {
    pending = new Map();
    pendingUploads.set(owner.identityId, pending);
  }
  return pending;
}

function settle(owner: Owner, key: string): void {
  pendingUploads.get(owner.identityId)?.delete(fileNameOf(key));
  changed(owner);
}

const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  html: 'text/html',
  htm: 'text/html',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A MIME type from a file name's extension (S3 listings carry none). */
export function typeOfName(name: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  return MIME_BY_EXTENSION[extension] ?? 'application/octet-stream';
}

function toItem(file: StoredFile): FileItem {
  return { key: file.key, name: file.name, size: file.size, type: typeOfName(file.name), lastModified: file.lastModified };
}

function home(owner: Owner): string {
  return `private/${owner.identityId}/`;
}

async function allFiles(owner: Owner): Promise<StoredFile[]> {
  const cached = listings.get(owner.identityId);
  if (cached) return cached;
  const files = await listAllFiles(owner.credentials, home(owner));
  listings.set(owner.identityId, files);
  return files;
}

function changed(owner: Owner): void {
  listings.delete(owner.identityId);
}

/** Names the person has in the gallery, per identity; dropped by {@link forgetPublished} on every publish/unpublish. */
const publishedListings = new LRUCache<string, ReadonlySet<string>>({ max: 500, ttl: LISTING_TTL_MS });

/** The names under the person's `public/{identityId}/` folder, read from S3 (ListObjectsV2), kept briefly. */
async function publishedNames(owner: Owner): Promise<ReadonlySet<string>> {
  const cached = publishedListings.get(owner.identityId);
  if (cached) return cached;
  const names = new Set((await listAllFiles(owner.credentials, publicPrefix(owner.identityId))).map((file) => file.name));
  publishedListings.set(owner.identityId, names);
  return names;
}

/**
 * Drops this process's cached list of what `identityId` has published: call after any change to
 * `public/{identityId}/` (lib/files/gallery.ts does on publish and removal). Server only.
 */
export function forgetPublished(identityId: string): void {
  publishedListings.delete(identityId);
}

function requireOwnKey(owner: Owner, key: string): void {
  if (!isOwnKey(owner.identityId, key)) throw new AppError('forbidden', 'key outside the caller identity');
}

const CursorSchema = z.object({ offset: z.number().int().min(0) });

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString())).offset;
  } catch {
    throw new AppError('invalid_input', 'bad cursor');
  }
}

/**
 * One page of the person's files, sorted and filtered on the server: the whole listing is read
 * once (paginated ListObjectsV2) and kept briefly, so paging, sorting and searching through
 * 10,000 files costs no further S3 calls. Each file says whether it is in the gallery, from a
 * listing of the person's `public/{identityId}/` folder read alongside (kept as briefly, and
 * dropped by {@link forgetPublished} on publish and unpublish).
 */
export async function listOwnFiles(owner: Owner, input: ListFilesInput): Promise<FilePage> {
  const [files, published] = await Promise.all([allFiles(owner), publishedNames(owner)]);
  const query = input.query?.trim().toLowerCase();
  const matching = query ? files.filter((file) => file.name.toLowerCase().includes(query)) : files;
  const direction = input.order === 'asc' ? 1 : -1;
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  const sorted = [...matching].sort((a, b) => {
    const difference =
      input.sort === 'name'
        ? collator.compare(a.name, b.name)
        : input.sort === 'size'
          ? a.size - b.size
          : a.lastModified.localeCompare(b.lastModified);
    return difference * direction || collator.compare(a.name, b.name);
  });
  const offset = decodeCursor(input.cursor);
  const pageSize = input.pageSize ?? 50;
  const items = sorted
    .slice(offset, offset + pageSize)
    .map((file): ListedFile => ({ ...toItem(file), isPublic: published.has(file.name) }));
  const next = offset + pageSize;
  return {
    items,
    nextCursor: next < sorted.length ? encodeCursor(next) : null,
    totalCount: sorted.length,
    usedBytes: files.reduce((sum, file) => sum + file.size, 0),
    quotaBytes: getEnv().FILES_QUOTA_BYTES,
  };
}

/**
 * Plans an upload under the person's own prefix: a free name ("name (1).ext" on collision), the
 * quota check, then one presigned PUT (Content-Length and Content-Type signed) or, over 100 MB,
 * a multipart upload with the first batch of part URLs. Until it is finished or cancelled the
 * upload holds its name and counts towards the quota, so parallel uploads neither collide nor
 * pass the quota together; the listing is not re-read for each plan.
 * @throws {AppError} `quota_exceeded` when the file would pass the person's quota.
 */
export async function planUpload(owner: Owner, input: { name: string; size: number; type: string }): Promise<UploadPlan> {
  const files = await allFiles(owner);
  const pending = pendingOf(owner);
  const stored = new Set(files.map((file) => file.name));
  let used = files.reduce((sum, file) => sum + file.size, 0);
  for (const [name, size] of pending) if (!stored.has(name)) used += size;
  const quota = getEnv().FILES_QUOTA_BYTES;
  if (used + input.size > quota) throw new AppError('quota_exceeded', `${used} + ${input.size} > ${quota}`);
  const key = ownFileKey(
    owner.identityId,
    nextFreeName(input.name, (candidate) => stored.has(candidate) || pending.has(candidate)),
  );
  const name = fileNameOf(key);
  const contentType = input.type || 'application/octet-stream';
  pending.set(name, input.size);
  if (input.size <= MULTIPART_THRESHOLD) {
    const { url, headers } = await presignUpload(owner.credentials, { key, size: input.size, contentType }, URL_TTL_SECONDS);
    return { kind: 'single', key, name, url, headers };
  }
  const plan = planMultipart(input.size);
  const uploadId = await createMultipartUpload(owner.credentials, { key, contentType });
  const parts = await presignParts(owner, {
    key,
    uploadId,
    size: input.size,
    partNumbers: range(1, Math.min(PART_BATCH, plan.count)),
  });
  return { kind: 'multipart', key, name, uploadId, partSize: plan.partSize, partCount: plan.count, parts };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);
}

/** Presigned URLs for more parts of a multipart upload (each part's Content-Length signed). */
export async function presignParts(
  owner: Owner,
  input: { key: string; uploadId: string; size: number; partNumbers: number[] },
): Promise<{ partNumber: number; url: string }[]> {
  requireOwnKey(owner, input.key);
  const plan = planMultipart(input.size);
  return presignUploadParts(owner.credentials, {
    key: input.key,
    uploadId: input.uploadId,
    partNumbers: input.partNumbers.filter((part) => part >= 1 && part <= plan.count),
    partSize: plan.partSize,
    lastPartSize: plan.lastPartSize,
    totalParts: plan.count,
  });
}

/** Confirms an upload: completes a multipart upload, then reads the object back. */
export async function finishUpload(
  owner: Owner,
  input: { key: string; uploadId?: string; parts?: { partNumber: number; etag: string }[] },
): Promise<FileItem> {
  requireOwnKey(owner, input.key);
  if (input.uploadId) {
    await completeMultipartUpload(owner.credentials, { key: input.key, uploadId: input.uploadId, parts: input.parts ?? [] });
  }
  settle(owner, input.key);
  const file = await headFile(owner.credentials, input.key);
  if (!file) throw new AppError('not_found', 'uploaded object not found');
  return toItem(file);
}

/** Cancels an upload: aborts a multipart upload (when `uploadId` is given) and frees its name and bytes. */
export async function cancelUpload(owner: Owner, input: { key: string; uploadId?: string | undefined }): Promise<void> {
  requireOwnKey(owner, input.key);
  if (input.uploadId) await abortMultipartUpload(owner.credentials, { key: input.key, uploadId: input.uploadId });
  pendingUploads.get(owner.identityId)?.delete(fileNameOf(input.key)); // Nothing was stored: the listing stands.
}

/** A presigned GET: attachment, or inline for allow-listed image types only. */
export async function downloadUrl(owner: Owner, key: string, disposition: 'attachment' | 'inline'): Promise<string> {
  requireOwnKey(owner, key);
  const name = fileNameOf(key);
  return presignDownload(
    owner.credentials,
    { key, fileName: name, contentType: typeOfName(name), inline: disposition === 'inline' },
    URL_TTL_SECONDS,
  );
}

export async function removeFiles(owner: Owner, keys: string[]): Promise<string[]> {
  for (const key of keys) requireOwnKey(owner, key);
  changed(owner);
  const result = await deleteObjects(owner.credentials, keys);
  return result.deleted;
}

/**
 * Renames within the person's folder (copy, then delete; the file keeps its own modification time,
 * see lib/aws/s3-objects.ts). Whether the new name is free is asked of S3 (HeadObject), never the
 * cached listing; a name held by an upload in flight counts as taken.
 * @throws {AppError} `name_taken` with `details.suggestion`, the next free name (`name (1).ext`...,
 * probed the same way); `name_too_long`; `not_found` when the file is gone.
 */
export async function renameOwnFile(owner: Owner, key: string, newName: string): Promise<FileItem> {
  requireOwnKey(owner, key);
  const target = ownFileKey(owner.identityId, newName);
  if (target !== key) {
    const pending = pendingUploads.get(owner.identityId);
    const isTaken = async (name: string) =>
      pending?.has(name) === true || (await headFile(owner.credentials, ownFileKey(owner.identityId, name))) !== null;
    const wanted = fileNameOf(target);
    if (await isTaken(wanted)) {
      const suggestion = await nextFreeNameAfter(wanted, isTaken);
      throw new AppError('name_taken', 'rename target exists', { details: { suggestion } });
    }
    changed(owner);
    // Another tab may take the name between the check and the copy; a copy conditional on the
    // target's absence (If-None-Match) would close that window, and would answer name_taken too.
    await renameObject(owner.credentials, key, target);
  }
  const file = await headFile(owner.credentials, target);
  if (!file) throw new AppError('not_found', 'file not found');
  return toItem(file);
}

/** One of the person's files as HeadObject describes it, with its own modification time (kept across renames). */
export async function ownFileDetails(owner: Owner, key: string): Promise<FileDetails> {
  requireOwnKey(owner, key);
  const file = await headFile(owner.credentials, key);
  if (!file) throw new AppError('not_found', 'file not found');
  return { ...toItem(file), modifiedAt: file.modifiedAt };
}
