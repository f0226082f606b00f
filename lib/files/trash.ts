import 'server-only';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  isOwnFolderKey,
  isOwnKey,
  isTrashBatch,
  nextFreeNameAfter,
  ownFileKeyIn,
  parseTrashKey,
  type TrashAddress,
  trashBatch,
  trashBatchPrefix,
  trashKey,
  trashPrefix,
} from '@/lib/aws/keys';
import { TRASH_RETENTION_DAYS } from '@/lib/aws/policies';
import { copyCreateOnly, deleteFiles, headFile, listAllFiles, listFiles, MODIFIED_AT_METADATA } from '@/lib/aws/s3';
import { AppError, type ErrorCode } from '@/lib/errors';
import { log } from '@/lib/log';
import { MAX_NAME_ATTEMPTS } from './limits';
import { type Owner, storageChanged } from './service';

/**
 * The trash: deleting moves a person's files to `trash/{identityId}/{batch}/{path}` (lib/aws/keys.ts
 * `trashKey`), a create-only copy made with their own credentials, then the original is deleted.
 * Only the owner may list, read, write and delete there (lib/aws/policies.ts). Entries stay
 * {@link TRASH_RETENTION_DAYS} days: the trash view purges older ones, and one S3 lifecycle rule on
 * `trash/` (infra/lib/storage.ts) deletes them even if Cubby is down. Restoring copies an entry
 * back to where it was, create-only (the next free name when that name is taken: nothing is ever
 * overwritten), then deletes the trash copy. The trash counts toward the storage quota
 * (lib/files/trash-usage.ts). Server only.
 */

/** User metadata on a trash copy (`x-amz-meta-*`; ASCII, so the path is URI-encoded; the key holds it anyway). */
const META = { original: 'trash-original', deletedAt: 'trash-deleted-at' } as const;
/** Marks a restore's copy, so a retried copy that meets its own object is not taken for a taken name. */
const RESTORE_METADATA = 'cubby-restore';
/** S3 allows 2 KB of user metadata: a longer original path is left to the key. */
const MAX_ORIGINAL_METADATA = 1024;
/** Files moved or restored at once (each is a HEAD, a copy and part of a batch delete). */
const CONCURRENCY = 8;
/** Emptying the trash gives up after this many pages of 1,000 (a million entries). */
const MAX_EMPTY_PAGES = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A key that could not be moved or restored, and why. */
export interface TrashFailure {
  key: string;
  code: ErrorCode;
}

/** What {@link moveToTrash} did. */
export interface TrashMove {
  /** The original keys now in the trash (or already gone): they are no longer among the person's files. */
  trashed: string[];
  /** Keys still where they were. */
  failed: TrashFailure[];
  /** The delete's batch in the trash: {@link restoreTrashBatch} undoes exactly this delete. */
  batch: string;
}

/** One entry of the trash as the Trash view shows it. */
export interface TrashEntry {
  /** The trash object's key (opaque to the browser; only the owner's own trash keys are accepted back). */
  key: string;
  batch: string;
  name: string;
  /** Where it was, e.g. `Photos/2026/beach.jpg` (relative to the person's files). */
  originalPath: string;
  isFolder: boolean;
  size: number;
  /** ISO 8601. */
  deletedAt: string;
  /** Whole days, rounded up, before it leaves the trash for good (1 on its last day). */
  daysLeft: number;
}

/** The person's trash, newest first. */
export interface TrashListing {
  entries: TrashEntry[];
  /** Bytes the listed entries hold (they count toward the quota). */
  totalBytes: number;
}

/** What restoring did: each restored entry's trash key and where it went (its name may be the next free one). */
export interface TrashRestore {
  restored: { key: string; restoredKey: string; name: string; renamed: boolean }[];
  failed: TrashFailure[];
}

/** Runs `work` on every item, at most `limit` at once; results in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function codeOf(error: unknown): ErrorCode {
  return error instanceof AppError ? error.code : 'storage_unavailable';
}

/** The user metadata of a file without what the trash or a restore added. */
function ownMetadata(metadata: Readonly<Record<string, string>>): Record<string, string> {
  const { [META.original]: _original, [META.deletedAt]: _deletedAt, [RESTORE_METADATA]: _restore, ...rest } = metadata;
  return rest;
}

/**
 * Copies one own file (or folder marker) to its trash key. The batch is fresh and random, so a
 * taken trash key can only be this very copy (a retry whose first answer was lost).
 * @returns false when the original is already gone.
 */
async function copyToTrash(owner: Owner, key: string, target: string, deletedAt: string): Promise<boolean> {
  const source = await headFile(owner.credentials, key);
  if (!source) return false;
  const original = encodeURIComponent(key);
  const metadata = {
    ...ownMetadata(source.metadata),
    // The file keeps its own modification time through the trash and back (lib/aws/s3-objects.ts).
    [MODIFIED_AT_METADATA]: source.modifiedAt,
    [META.deletedAt]: deletedAt,
    ...(original.length <= MAX_ORIGINAL_METADATA ? { [META.original]: original } : {}),
  };
  try {
    await copyCreateOnly(owner.credentials, source, target, metadata);
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'name_taken')) throw error;
  }
  return true;
}

/**
 * Moves the person's own files and folder markers to the trash, as one batch: each is copied
 * create-only to its trash key (keeping its folder path, with the original key in its metadata),
 * then the originals are deleted. A key whose copy failed stays where it was; a copy whose original
 * could not be deleted is removed again (best effort), so nothing is left in both places.
 * A key that is already gone counts as trashed. Large batches (a folder) run a few at a time.
 * @throws {AppError} `forbidden` when any key is not one of the person's own file or folder keys
 * (nothing is moved then).
 */
export async function moveToTrash(
  owner: Owner,
  keys: string[],
  now: Date = new Date(),
): Promise<{ trashed: string[]; failed: { key: string; code: string }[]; batch: string }> {
  const unique = [...new Set(keys)];
  for (const key of unique) {
    if (!isOwnKey(owner.identityId, key) && !isOwnFolderKey(owner.identityId, key)) {
      throw new AppError('forbidden', 'trash of a key outside the caller identity');
    }
  }
  const batch = trashBatch(now.getTime(), randomBytes(8).toString('hex'));
  const failed: TrashFailure[] = [];
  const copied: { key: string; target: string }[] = [];
  const gone: string[] = [];
  try {
    await mapLimit(unique, CONCURRENCY, async (key) => {
      try {
        const target = trashKey(owner.identityId, batch, key);
        if (await copyToTrash(owner, key, target, now.toISOString())) copied.push({ key, target });
        else gone.push(key);
      } catch (error) {
        failed.push({ key, code: codeOf(error) });
      }
    });
    const { deleted, errors } = await deleteFiles(
      owner.credentials,
      copied.map(({ key }) => key),
    );
    const refused = new Set(errors.map(({ key }) => key));
    failed.push(...errors.map(({ key, code }) => ({ key, code })));
    const duplicates = copied.filter(({ key }) => refused.has(key)).map(({ target }) => target);
    if (duplicates.length > 0) await deleteFiles(owner.credentials, duplicates);
    log('info', 'trash.moved', { moved: deleted.length, failed: failed.length });
    return { trashed: [...deleted, ...gone], failed, batch };
  } finally {
    await storageChanged(owner);
  }
}

/** When an entry deleted at `deletedAt` (ms) leaves the trash: {@link TRASH_RETENTION_DAYS} days later. */
export function trashExpiry(deletedAt: number): number {
  return deletedAt + TRASH_RETENTION_DAYS * DAY_MS;
}

/** Whole days, rounded up, before an entry deleted at `deletedAt` (ms) leaves the trash; 0 or less once it is due. */
export function trashDaysLeft(deletedAt: number, now: Date): number {
  return Math.ceil((trashExpiry(deletedAt) - now.getTime()) / DAY_MS);
}

function relativePath(address: TrashAddress): string {
  return [...(address.isFolder ? address.path.slice(0, -1) : address.path), address.name].join('/');
}

/**
 * The person's trash, newest first (up to lib/aws/s3.ts MAX_LISTED_FILES entries). Entries past
 * {@link TRASH_RETENTION_DAYS} days are deleted on the way (S3's lifecycle rule deletes them
 * anyway, a little later); objects under the trash that Cubby did not put there are left alone and
 * not shown.
 * @throws {AppError} as the S3 layer maps failures.
 */
export async function listTrash(owner: Owner, now: Date = new Date()): Promise<TrashListing> {
  const objects = await listAllFiles(owner.credentials, trashPrefix(owner.identityId), { recursive: true });
  const entries: TrashEntry[] = [];
  const expired: string[] = [];
  for (const object of objects) {
    const address = parseTrashKey(owner.identityId, object.key);
    if (!address) continue;
    const daysLeft = trashDaysLeft(address.deletedAt, now);
    if (daysLeft <= 0) {
      expired.push(object.key);
      continue;
    }
    entries.push({
      key: object.key,
      batch: address.batch,
      name: address.name,
      originalPath: relativePath(address),
      isFolder: address.isFolder,
      size: object.size,
      deletedAt: new Date(address.deletedAt).toISOString(),
      daysLeft,
    });
  }
  if (expired.length > 0) {
    const { deleted } = await deleteFiles(owner.credentials, expired);
    log('info', 'trash.purged', { purged: deleted.length });
    await storageChanged(owner);
  }
  entries.sort((a, b) => b.deletedAt.localeCompare(a.deletedAt) || a.originalPath.localeCompare(b.originalPath));
  return { entries, totalBytes: entries.reduce((sum, entry) => sum + entry.size, 0) };
}

/** Probes S3 (HeadObject) for whether `name` is taken in the folder `path`. */
function takenIn(owner: Owner, path: readonly string[]): (name: string) => Promise<boolean> {
  return async (name) => (await headFile(owner.credentials, ownFileKeyIn(owner.identityId, path, name))) !== null;
}

/**
 * Restores one trash entry: a create-only copy to where it was, or, when that name is taken, to
 * the next free name in the same folder (probed with HeadObject), a few times at most; then the
 * trash copy is deleted. A folder marker whose folder exists again needs no copy.
 */
async function restoreOne(owner: Owner, address: TrashAddress): Promise<TrashRestore['restored'][number]> {
  const source = await headFile(owner.credentials, address.key);
  if (!source) throw new AppError('not_found', 'trash entry not found');
  const restoreId = randomUUID();
  const metadata = { ...ownMetadata(source.metadata), [RESTORE_METADATA]: restoreId };
  let target = address.originalKey;
  let name = address.name;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await copyCreateOnly(owner.credentials, source, target, metadata);
      break;
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'name_taken') throw error;
      if (address.isFolder) break; // The folder exists again: a marker holds nothing to keep.
      if ((await headFile(owner.credentials, target))?.metadata[RESTORE_METADATA] === restoreId) break; // Ours already.
      if (attempt >= MAX_NAME_ATTEMPTS) throw error;
      name = await nextFreeNameAfter(name, takenIn(owner, address.path));
      target = ownFileKeyIn(owner.identityId, address.path, name);
    }
  }
  const { errors } = await deleteFiles(owner.credentials, [address.key]);
  if (errors[0]) log('warn', 'trash.restore_left_copy', { code: errors[0].code });
  return { key: address.key, restoredKey: target, name, renamed: target !== address.originalKey };
}

async function restoreAddresses(owner: Owner, addresses: readonly TrashAddress[]): Promise<TrashRestore> {
  const result: TrashRestore = { restored: [], failed: [] };
  try {
    await mapLimit(addresses, CONCURRENCY, async (address) => {
      try {
        result.restored.push(await restoreOne(owner, address));
      } catch (error) {
        result.failed.push({ key: address.key, code: codeOf(error) });
      }
    });
  } finally {
    await storageChanged(owner);
  }
  log('info', 'trash.restored', { restored: result.restored.length, failed: result.failed.length });
  return result;
}

/**
 * Restores trash entries to where they were, never overwriting anything (see {@link restoreOne}).
 * @throws {AppError} `forbidden` when any key is not one of the person's own trash keys (nothing is restored then).
 */
export async function restoreFromTrash(owner: Owner, keys: string[]): Promise<TrashRestore> {
  const addresses = [...new Set(keys)].map((key) => {
    const address = parseTrashKey(owner.identityId, key);
    if (!address) throw new AppError('forbidden', 'restore of a key outside the caller’s trash');
    return address;
  });
  return restoreAddresses(owner, addresses);
}

/**
 * Undoes one delete: restores every entry of the trash batch {@link moveToTrash} answered with.
 * @throws {AppError} `invalid_input` for a malformed batch; S3 errors as AppError.
 */
export async function restoreTrashBatch(owner: Owner, batch: string): Promise<TrashRestore> {
  if (!isTrashBatch(batch)) throw new AppError('invalid_input', 'not a trash batch');
  const objects = await listAllFiles(owner.credentials, trashBatchPrefix(owner.identityId, batch), { recursive: true });
  const addresses = objects.flatMap((object) => parseTrashKey(owner.identityId, object.key) ?? []);
  return restoreAddresses(owner, addresses);
}

/**
 * Empties the person's trash for good: pages of up to 1,000 entries, one DeleteObjects each, until
 * it lists empty. Returns how many objects were deleted.
 * @throws {AppError} the first refusal's code when S3 refuses a delete; S3 errors as AppError.
 */
export async function emptyTrash(owner: Owner): Promise<number> {
  const prefix = trashPrefix(owner.identityId);
  let removed = 0;
  try {
    for (let page = 0; page < MAX_EMPTY_PAGES; page += 1) {
      const { files } = await listFiles(owner.credentials, prefix, { recursive: true });
      if (files.length === 0) break;
      const { deleted, errors } = await deleteFiles(
        owner.credentials,
        files.map((file) => file.key),
      );
      removed += deleted.length;
      const refused = errors[0];
      if (refused) throw new AppError(refused.code, `S3 refused ${errors.length} deletes: ${refused.s3Code}`);
    }
  } finally {
    await storageChanged(owner);
  }
  log('info', 'trash.emptied', { removed });
  return removed;
}
