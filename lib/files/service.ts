import 'server-only';
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { AwsCredentials } from '@/lib/aws/credentials';
import {
  type FolderPath,
  fileNameOf,
  folderPrefix,
  incomingKey,
  isOwnIncomingKey,
  isOwnKey,
  nextFreeName,
  nextFreeNameAfter,
  ownFileKeyIn,
  ownPrefix,
  publicPrefix,
  safeFileName,
  splitOwnKey,
  withCollisionSuffix,
} from '@/lib/aws/keys';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  copyCreateOnly,
  createMultipartUpload,
  deleteFiles as deleteObjects,
  headFile,
  listAllFiles,
  MAX_LISTED_FILES,
  MULTIPART_THRESHOLD,
  planMultipart,
  presignDownload,
  presignUpload,
  presignUploadParts,
  renameFile as renameObject,
  type StoredFile,
  storageUsed,
} from '@/lib/aws/s3';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { listWholeFolder } from './folder-listing';
import { DEFAULT_PAGE_SIZE, MAX_NAME_ATTEMPTS, PART_URL_BATCH, PRESIGNED_URL_TTL_SECONDS } from './limits';
import { LISTING_TTL_MS, ListingCache } from './listing-cache';
import { sharedBytes } from './share-usage';
import { trashBytes } from './trash-usage';
import type {
  AbortUploadInput,
  CompleteUploadInput,
  CreateUploadInput,
  FileDetails,
  FileItem,
  FilePage,
  ListedFile,
  ListedFolder,
  ListFilesInput,
  PresignPartsInput,
  UploadPlan,
} from './types';

/** What one person's files are worked on with: their identity and credentials. */
export interface Owner {
  identityId: string;
  credentials: AwsCredentials;
}

/** The user metadata that ties a promoted multipart upload to its `incoming/` uuid (a retried finish finds its own copy). */
const UPLOAD_METADATA = 'cubby-upload';

/** Bytes of uploads planned but not finished, per identity and key: a soft addition to the quota. */
const inFlight = new LRUCache<string, Map<string, number>>({ max: 5000, ttl: 60 * 60 * 1000 });

/** This instance's listings, current across instances through the shared store's generations. */
const listings = new ListingCache<{ files: StoredFile[]; usedBytes: number; trashBytes: number }>();
/** This instance's listings of single folders (slot: the folder's prefix), under the same generations. */
const folderListings = new ListingCache<{ folders: string[]; files: StoredFile[] }>();

/** Records a finished change to the person's files (lib/files/listing-cache.ts); never throws. */
async function changed(owner: Owner): Promise<void> {
  folderListings.forget(owner.identityId); // One bump (below) makes both caches stale everywhere.
  await listings.changed(owner.identityId);
}

function inFlightOf(owner: Owner): Map<string, number> {
  let pending = inFlight.get(owner.identityId);
  if (!pending) {
    pending = new Map();
    inFlight.set(owner.identityId, pending);
  }
  return pending;
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

/**
 * All the person's files, in every folder (at most MAX_LISTED_FILES of them), and the bytes they
 * use (all of them: past the listing's cut, counted by paging the whole prefix), from this
 * instance's cache while no instance has changed them since (lib/files/listing-cache.ts), else
 * from S3. Searches across all files and the quota read it.
 */
function readAllFiles(owner: Owner): Promise<{ files: StoredFile[]; usedBytes: number; trashBytes: number }> {
  return listings.get(owner.identityId, async () => {
    const prefix = ownPrefix(owner.identityId);
    // Share links are copies, and deleted files wait in the trash: both count toward the quota too
    // (lib/files/share-usage.ts, lib/files/trash-usage.ts).
    const [listed, shared, trash] = await Promise.all([
      listAllFiles(owner.credentials, prefix, { recursive: true }),
      sharedBytes(owner.credentials, owner.identityId),
      trashBytes(owner.credentials, owner.identityId),
    ]);
    // Folder markers and keys Cubby would not build count toward the quota, but are not files.
    const files = listed.filter((file) => isOwnKey(owner.identityId, file.key));
    const usedBytes =
      listed.length >= MAX_LISTED_FILES
        ? await storageUsed(owner.credentials, prefix)
        : listed.reduce((sum, file) => sum + file.size, 0);
    return { files, usedBytes: usedBytes + shared + trash, trashBytes: trash };
  });
}

/**
 * The folders and files directly in the person's folder `path` (ListObjectsV2 with a delimiter,
 * lib/files/folder-listing.ts), cached like {@link readAllFiles}.
 */
function readFolder(owner: Owner, path: FolderPath): Promise<{ folders: string[]; files: StoredFile[] }> {
  return folderListings.get(
    owner.identityId,
    () => listWholeFolder(owner.credentials, owner.identityId, path),
    folderPrefix(owner.identityId, path),
  );
}

/**
 * Records a finished change to the person's stored bytes made outside this module (a share link
 * created or revoked: lib/files/share.ts), so the next listing and quota check read S3 afresh.
 */
export function storageChanged(owner: Owner): Promise<void> {
  return changed(owner);
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

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * One page of one of the person's folders (`input.path`, default the top level), sorted and
 * filtered on the server: its folders (by name, on the first page) then its files. The folder's
 * listing is read once (ListObjectsV2 with a delimiter, paged) and kept briefly, so paging,
 * sorting and searching through 10,000 files in a folder costs no further S3 calls. A search with
 * `scope: 'all'` looks through every file in every folder instead (each file then names its
 * folder). Each file says whether it is in the gallery, from a listing of the person's
 * `public/{identityId}/` folder read alongside (kept as briefly, and dropped by
 * {@link forgetPublished} on publish and unpublish).
 * @throws {AppError} `invalid_input`/`folder_too_deep` for a bad path; S3 errors as AppError.
 */
export async function listOwnFiles(owner: Owner, input: ListFilesInput): Promise<FilePage> {
  const path = input.path ?? [];
  const query = input.query?.trim().toLowerCase();
  const everywhere = Boolean(query) && input.scope === 'all';
  const [folder, all, published] = await Promise.all([
    everywhere ? null : readFolder(owner, path),
    readAllFiles(owner),
    publishedNames(owner),
  ]);
  const files = folder?.files ?? all.files;
  const { usedBytes, trashBytes } = all;
  const matching = query ? files.filter((file) => file.name.toLowerCase().includes(query)) : files;
  const direction = input.order === 'asc' ? 1 : -1;
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
  const pageSize = input.pageSize ?? DEFAULT_PAGE_SIZE;
  const items = sorted.slice(offset, offset + pageSize).map((file): ListedFile => {
    const item: ListedFile = { ...toItem(file), isPublic: published.has(file.name) };
    return everywhere ? { ...item, folder: splitOwnKey(owner.identityId, file.key)?.path ?? [] } : item;
  });
  const folderDirection = input.sort === 'name' ? direction : 1;
  const folders =
    offset === 0 && folder && !query
      ? folder.folders
          .toSorted((a, b) => collator.compare(a, b) * folderDirection)
          .map((name): ListedFolder => ({ name, path: [...path, name] }))
      : [];
  const next = offset + pageSize;
  return {
    path: [...path],
    folders,
    items,
    nextCursor: next < sorted.length ? encodeCursor(next) : null,
    totalCount: sorted.length,
    usedBytes,
    trashBytes,
    quotaBytes: getEnv().FILES_QUOTA_BYTES,
  };
}

/**
 * Plans an upload under the person's own prefix. The quota counts every stored byte (not just the
 * listed files) plus this instance's uploads in flight. Under 100 MB: a presigned create-only PUT
 * (Content-Length, Content-Type and `If-None-Match: *` signed) to a name that looks free in the
 * (possibly cached) listing and is none of `taken`; when S3 answers 412 because the name was taken
 * meanwhile, the browser asks again with that name in `taken`: the listing is never trusted to be
 * right, S3's precondition is. Over 100 MB: a multipart upload to a unique `incoming/` key with the
 * first batch of part URLs; {@link finishUpload} gives it its name.
 * @throws {AppError} `quota_exceeded` when the file would pass the person's quota; `name_too_long`.
 */
export async function planUpload(owner: Owner, input: CreateUploadInput): Promise<UploadPlan> {
  const path = input.folder ?? [];
  const [{ usedBytes }, { folders, files }] = await Promise.all([readAllFiles(owner), readFolder(owner, path)]);
  const pending = inFlightOf(owner);
  let used = usedBytes;
  for (const size of pending.values()) used += size;
  const quota = getEnv().FILES_QUOTA_BYTES;
  if (used + input.size > quota) throw new AppError('quota_exceeded', `${used} + ${input.size} > ${quota}`);
  const contentType = input.type || 'application/octet-stream';
  if (input.taken?.length) await changed(owner); // S3 says the listing is behind: read it afresh next time.
  // A file never takes the name of a folder beside it (S3 would allow both; people would not tell them apart).
  const unavailable = new Set([...folders, ...files.map((file) => file.name), ...(input.taken ?? []).map(safeFileName)]);
  const name = nextFreeName(input.name, (candidate) => unavailable.has(candidate));
  if (input.size <= MULTIPART_THRESHOLD) {
    const key = ownFileKeyIn(owner.identityId, path, name);
    const { url, headers } = await presignUpload(
      owner.credentials,
      { key, size: input.size, contentType },
      PRESIGNED_URL_TTL_SECONDS,
    );
    pending.set(key, input.size);
    return { kind: 'single', key, name, url, headers };
  }
  const plan = planMultipart(input.size);
  const key = incomingKey(owner.identityId, randomUUID());
  const uploadId = await createMultipartUpload(owner.credentials, { key, contentType });
  pending.set(key, input.size);
  const parts = await presignParts(owner, {
    key,
    uploadId,
    size: input.size,
    partNumbers: range(1, Math.min(PART_URL_BATCH, plan.count)),
  });
  return { kind: 'multipart', key, name, uploadId, partSize: plan.partSize, partCount: plan.count, parts };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);
}

function requireOwnUploadKey(owner: Owner, key: string): void {
  if (!isOwnKey(owner.identityId, key) && !isOwnIncomingKey(owner.identityId, key)) {
    throw new AppError('forbidden', 'key outside the caller identity');
  }
}

/** Presigned URLs for more parts of a multipart upload (each part's Content-Length signed). */
export async function presignParts(owner: Owner, input: PresignPartsInput): Promise<{ partNumber: number; url: string }[]> {
  requireOwnUploadKey(owner, input.key);
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

/** Probes S3 (HeadObject, never a listing) for whether a file name is taken in the folder `path`. */
function takenInS3(owner: Owner, path: FolderPath = []): (name: string) => Promise<boolean> {
  return async (name) => (await headFile(owner.credentials, ownFileKeyIn(owner.identityId, path, name))) !== null;
}

/**
 * Gives a finished multipart upload (`incoming/{id}/{uuid}`) its name: a create-only copy to
 * `private/{id}/{name}`, or, when S3 says that name is taken, to the next free one (asked of S3),
 * a few times at most; then removes the incoming object. A retried finish whose copy already
 * happened finds it by its {@link UPLOAD_METADATA} and does not copy again.
 * @throws {AppError} `name_taken` when no free name was found in the attempts; S3 errors as AppError.
 */
async function promoteUpload(owner: Owner, incoming: string, wanted: string, path: FolderPath): Promise<string> {
  const source = await headFile(owner.credentials, incoming);
  if (!source) throw new AppError('not_found', 'finished upload not found');
  const uploadUuid = fileNameOf(incoming);
  const metadata = { [UPLOAD_METADATA]: uploadUuid };
  let name = safeFileName(wanted);
  for (let attempt = 1; ; attempt += 1) {
    const target = ownFileKeyIn(owner.identityId, path, name);
    try {
      await copyCreateOnly(owner.credentials, source, target, metadata);
      break;
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'name_taken') throw error;
      if ((await headFile(owner.credentials, target))?.metadata[UPLOAD_METADATA] === uploadUuid) break; // Ours already.
      if (attempt >= MAX_NAME_ATTEMPTS) throw error;
      name = await nextFreeNameAfter(name, takenInS3(owner, path));
    }
  }
  await deleteObjects(owner.credentials, [incoming]);
  return ownFileKeyIn(owner.identityId, path, name);
}

/**
 * Where an earlier finish of the `incoming/` upload put it: the first of its wanted name and
 * that name's next forms whose {@link UPLOAD_METADATA} names the upload, or null.
 */
async function findPromoted(owner: Owner, incoming: string, wanted: string, path: FolderPath): Promise<string | null> {
  const uploadUuid = fileNameOf(incoming);
  const safe = safeFileName(wanted);
  const candidates = [safe, ...Array.from({ length: 4 * MAX_NAME_ATTEMPTS }, (_, index) => withCollisionSuffix(safe, index + 1))];
  for (const name of candidates) {
    const file = await headFile(owner.credentials, ownFileKeyIn(owner.identityId, path, name));
    if (!file) return null; // Names are taken in order: past the first free one there is nothing of ours.
    if (file.metadata[UPLOAD_METADATA] === uploadUuid) return file.key;
  }
  return null;
}

/**
 * Confirms an upload. Single PUT: reads the object back. Multipart (an `incoming/` key): completes
 * it (create-only), then gives it `name` or the next free name (see {@link promoteUpload}); nothing
 * uploaded is thrown away when the name was taken meanwhile, and nothing is left in `incoming/`.
 * @throws {AppError} `not_found` when the upload or object is gone; S3 errors as AppError.
 */
export async function finishUpload(owner: Owner, input: CompleteUploadInput): Promise<FileItem> {
  requireOwnUploadKey(owner, input.key);
  let key = input.key;
  try {
    if (isOwnIncomingKey(owner.identityId, input.key)) {
      if (!input.uploadId || !input.name) throw new AppError('invalid_input', 'a multipart finish needs its upload id and name');
      let promoted: string | null = null;
      try {
        await completeMultipartUpload(owner.credentials, { key: input.key, uploadId: input.uploadId, parts: input.parts ?? [] });
      } catch (error) {
        // A retried finish (its answer was lost): the upload was completed before, and its object
        // either still waits in incoming/ or already has its name.
        if (!(error instanceof AppError && error.code === 'not_found')) throw error;
        if (!(await headFile(owner.credentials, input.key))) {
          promoted = await findPromoted(owner, input.key, input.name, input.folder ?? []);
          if (!promoted) throw error;
        }
      }
      key = promoted ?? (await promoteUpload(owner, input.key, input.name, input.folder ?? []));
    }
  } finally {
    await changed(owner);
  }
  inFlight.get(owner.identityId)?.delete(input.key);
  const file = await headFile(owner.credentials, key);
  if (!file) throw new AppError('not_found', 'uploaded object not found');
  return toItem(file);
}

/** Cancels an upload: aborts a multipart upload (when `uploadId` is given) and frees its bytes. */
export async function cancelUpload(owner: Owner, input: AbortUploadInput): Promise<void> {
  requireOwnUploadKey(owner, input.key);
  if (input.uploadId) await abortMultipartUpload(owner.credentials, { key: input.key, uploadId: input.uploadId });
  inFlight.get(owner.identityId)?.delete(input.key); // Nothing was stored: the listing stands.
}

/** A presigned GET: attachment, or inline for allow-listed image types only. */
export async function downloadUrl(owner: Owner, key: string, disposition: 'attachment' | 'inline'): Promise<string> {
  requireOwnKey(owner, key);
  const name = fileNameOf(key);
  return presignDownload(
    owner.credentials,
    { key, fileName: name, contentType: typeOfName(name), inline: disposition === 'inline' },
    PRESIGNED_URL_TTL_SECONDS,
  );
}

export async function removeFiles(owner: Owner, keys: string[]): Promise<string[]> {
  for (const key of keys) requireOwnKey(owner, key);
  try {
    return (await deleteObjects(owner.credentials, keys)).deleted;
  } finally {
    await changed(owner); // After S3 changed: a listing read meanwhile is not served again.
  }
}

/**
 * Renames within the person's folder (copy, then delete; the file keeps its own modification time,
 * see lib/aws/s3-objects.ts). The copy is create-only (`If-None-Match: *`), so the new name is
 * never taken from anyone, whatever another tab or instance did a moment before; when S3 says the
 * name is taken, the answer offers the next free one (probed with HeadObject, never the listing).
 * @throws {AppError} `name_taken` with `details.suggestion`; `name_too_long`; `not_found` when the file is gone.
 */
export async function renameOwnFile(owner: Owner, key: string, newName: string): Promise<FileItem> {
  requireOwnKey(owner, key);
  // A rename stays in the file's folder.
  const target = ownFileKeyIn(owner.identityId, splitOwnKey(owner.identityId, key)?.path ?? [], newName);
  if (target !== key) {
    try {
      await renameObject(owner.credentials, key, target);
    } catch (error) {
      if (error instanceof AppError && error.code === 'name_taken') {
        const suggestion = await nextFreeNameAfter(
          fileNameOf(target),
          takenInS3(owner, splitOwnKey(owner.identityId, target)?.path),
        );
        throw new AppError('name_taken', 'rename target exists', { details: { suggestion } });
      }
      throw error;
    } finally {
      await changed(owner);
    }
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
