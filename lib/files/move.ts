import 'server-only';
import { createHash } from 'node:crypto';
import {
  type FolderPath,
  folderMarkerKey,
  folderPrefix,
  isFolderPath,
  isOwnKey,
  ownFileKeyIn,
  splitOwnKey,
  withCollisionSuffix,
} from '@/lib/aws/keys';
import {
  copyCreateOnly,
  deleteFiles,
  type FileDetails,
  headFile,
  listAllFiles,
  listFiles,
  MODIFIED_AT_METADATA,
} from '@/lib/aws/s3';
import { AppError, type ErrorCode } from '@/lib/errors';
import { listWholeFolder } from './folder-listing';
import { MAX_NAME_ATTEMPTS } from './limits';
import { isWithinFolder, type MoveSource, movedKey, nextFreeFolderName, planMove } from './move-plan';
import type { MoveBatchResult, MoveJob, StartMoveInput } from './move-schemas';
import { type Owner, storageChanged } from './service';

/**
 * Carrying out a move (lib/files/move-plan.ts decides where everything goes): each object is a
 * create-only copy (`If-None-Match: *`; multipart part copies past 5 GiB) and, only once the copy
 * is confirmed, a delete of the source. Nothing is ever replaced: a name taken at the destination
 * gets the next free one. The browser drives it in batches ({@link moveBatch}) and holds the job
 * between them, so it shows progress and can resume: a folder's remaining work is whatever S3
 * still lists under it, and a copy made by an earlier, interrupted attempt is recognised by its
 * {@link MOVED_FROM_METADATA} and not made twice. Server only.
 */

/** Objects one {@link moveBatch} call moves at most. */
export const MOVE_BATCH_SIZE = 100;
/** Copies under way at once within a batch. */
const MOVE_CONCURRENCY = 8;
/** The most objects a folder move takes (its listing is read whole when the move starts). */
export const MAX_MOVED_OBJECTS = 20_000;
/** Candidate names tried for one object whose name is taken at the destination. */
const MAX_CANDIDATES = 4 * MAX_NAME_ATTEMPTS;

/**
 * The user metadata a moved copy carries: a digest of the source key and the source's ETag, so an
 * attempt that meets the copy again (a resumed move, a batch whose answer was lost) knows it is a
 * copy of exactly that content from exactly there, and only deletes the source.
 */
export const MOVED_FROM_METADATA = 'cubby-moved-from';
/** Metadata that belongs to one copy only and is never carried on (lib/aws/s3-objects.ts's rename marker). */
const NOT_CARRIED = new Set([MOVED_FROM_METADATA, 'cubby-rename']);

function movedFromOf(source: FileDetails): string {
  const digest = createHash('sha256').update(source.key).digest('base64url').slice(0, 22);
  return `${digest}.${source.etag}`;
}

function isCopyOf(candidate: FileDetails | null, source: FileDetails): boolean {
  return candidate !== null && candidate.size === source.size && candidate.metadata[MOVED_FROM_METADATA] === movedFromOf(source);
}

/** Whether any object is at or under the folder `path` (its marker, or anything inside). */
async function folderExists(owner: Owner, path: FolderPath): Promise<boolean> {
  const page = await listFiles(owner.credentials, folderPrefix(owner.identityId, path), { recursive: true, maxKeys: 1 });
  if (page.files.length > 0 || page.nextCursor) return true;
  return (await headFile(owner.credentials, folderMarkerKey(owner.identityId, path))) !== null;
}

/** Folder names at `destination` that the folders to move might want: each wanted name and its next forms, up to the first free one. */
async function takenFolderNames(owner: Owner, destination: FolderPath, wanted: readonly string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (const name of new Set(wanted)) {
    for (let n = 0; n <= MAX_CANDIDATES; n += 1) {
      const candidate = n === 0 ? name : nextFreeFolderName(name, (seen) => seen === name || taken.has(seen));
      if (taken.has(candidate)) break;
      if (!(await folderExists(owner, [...destination, candidate]))) break;
      taken.add(candidate);
    }
  }
  return taken;
}

/**
 * Starts a move: reads what is taken at the destination and every key under each folder to
 * move (so nothing starts that could not finish: depth, a folder into itself), then plans it.
 * Nothing is copied yet; pass the job to {@link moveBatch} until it is done.
 * @throws {AppError} as lib/files/move-plan.ts's planMove (`move_into_itself`, `folder_too_deep`,
 * `forbidden`, `invalid_input`, `name_taken`/`folder_taken` for a rename); `invalid_input` past
 * {@link MAX_MOVED_OBJECTS}; S3 failures as AppError.
 */
export async function startMove(owner: Owner, input: StartMoveInput): Promise<MoveJob> {
  const id = owner.identityId;
  for (const path of [input.destination, ...input.folders]) {
    if (!isFolderPath(path)) throw new AppError('invalid_input', 'not a folder path');
  }
  for (const key of input.files) if (!isOwnKey(id, key)) throw new AppError('forbidden', 'key outside the caller identity');
  const sources: MoveSource[] = input.files.map((key) => ({ kind: 'file', key }));
  for (const path of input.folders) {
    if (path.length === 0) throw new AppError('invalid_input', 'the top folder cannot be moved');
    if (isWithinFolder(input.destination, path)) throw new AppError('move_into_itself', 'a folder into itself');
    const listed = await listAllFiles(owner.credentials, folderPrefix(id, path), {
      recursive: true,
      limit: MAX_MOVED_OBJECTS + 1,
    });
    if (listed.length > MAX_MOVED_OBJECTS) throw new AppError('invalid_input', 'too many objects to move at once');
    sources.push({ kind: 'folder', path, keys: listed.map((file) => file.key) });
  }
  const [files, folders] = await Promise.all([
    listAllFiles(owner.credentials, folderPrefix(id, input.destination)),
    takenFolderNames(
      owner,
      input.destination,
      input.folders.map((path) => input.rename ?? path[path.length - 1] ?? ''),
    ),
  ]);
  const plan = planMove(
    id,
    sources,
    { path: input.destination, takenFiles: new Set(files.map((file) => file.name)), takenFolders: folders },
    input.rename === undefined ? {} : { rename: input.rename },
  );
  return { files: plan.files, folders: plan.folders, total: plan.total, moved: 0 };
}

type Outcome =
  | { kind: 'copied'; from: string; to: string }
  | { kind: 'gone'; from: string }
  | { kind: 'failed'; from: string; code: ErrorCode };

/** `to` and then its next free forms (`a (1).txt`...), for a file; a folder marker has only itself. */
function candidatesFor(identityId: string, to: string): string[] {
  if (to.endsWith('/')) return [to];
  const parts = splitOwnKey(identityId, to);
  if (!parts) throw new AppError('forbidden', 'key outside the caller identity');
  return [
    to,
    ...Array.from({ length: MAX_CANDIDATES }, (_, index) =>
      ownFileKeyIn(identityId, parts.path, withCollisionSuffix(parts.name, index + 1)),
    ),
  ];
}

/**
 * Copies one object to `to`, create-only, or (when that name is taken by something that is not
 * this very copy) to the first free one of its next names; never deletes. A folder marker whose
 * folder already exists needs no copy.
 */
async function copyOne(owner: Owner, from: string, to: string): Promise<Outcome> {
  const { credentials } = owner;
  const source = await headFile(credentials, from);
  if (!source) return { kind: 'gone', from };
  const marker = movedFromOf(source);
  const kept = Object.fromEntries(Object.entries(source.metadata).filter(([name]) => !NOT_CARRIED.has(name)));
  const metadata = { ...kept, [MODIFIED_AT_METADATA]: source.modifiedAt, [MOVED_FROM_METADATA]: marker };
  for (const candidate of candidatesFor(owner.identityId, to)) {
    try {
      await copyCreateOnly(credentials, source, candidate, metadata);
      return { kind: 'copied', from, to: candidate };
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'name_taken') throw error;
      // The folder is there already, or this is our own copy from an earlier attempt: only the delete is left.
      if (candidate.endsWith('/') || isCopyOf(await headFile(credentials, candidate), source)) {
        return { kind: 'copied', from, to: candidate };
      }
    }
  }
  return { kind: 'failed', from, code: 'name_taken' };
}

async function settleOne(owner: Owner, from: string, to: string): Promise<Outcome> {
  try {
    return await copyOne(owner, from, to);
  } catch (error) {
    return { kind: 'failed', from, code: error instanceof AppError ? error.code : 'storage_unavailable' };
  }
}

/** Runs `work` over `items`, {@link MOVE_CONCURRENCY} at a time, keeping their order. */
async function eachLimited<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index] as T);
  };
  await Promise.all(Array.from({ length: Math.min(MOVE_CONCURRENCY, items.length) }, worker));
  return results;
}

function requireJob(owner: Owner, job: MoveJob): void {
  const id = owner.identityId;
  for (const { from, to } of job.files) {
    if (!isOwnKey(id, from) || !isOwnKey(id, to)) throw new AppError('forbidden', 'key outside the caller identity');
  }
  for (const { from, to } of job.folders) {
    if (!isFolderPath(from) || !isFolderPath(to)) throw new AppError('invalid_input', 'not a folder path');
    if (isWithinFolder(to, from) || isWithinFolder(from, to)) throw new AppError('move_into_itself', 'a folder into itself');
  }
}

/** The next up-to-{@link MOVE_BATCH_SIZE} objects of the job: its files first, then what S3 still lists under its first folder. */
async function nextWork(owner: Owner, job: MoveJob): Promise<{ from: string; to: string }[] | 'folder-empty'> {
  if (job.files.length > 0) return job.files.slice(0, MOVE_BATCH_SIZE);
  const folder = job.folders[0];
  if (!folder) return [];
  const page = await listFiles(owner.credentials, folderPrefix(owner.identityId, folder.from), {
    recursive: true,
    maxKeys: MOVE_BATCH_SIZE + 1, // The folder's own marker is listed first and left for last.
  });
  if (page.files.length === 0 && !page.nextCursor) return 'folder-empty';
  return page.files
    .slice(0, MOVE_BATCH_SIZE)
    .map((file) => ({ from: file.key, to: movedKey(owner.identityId, file.key, folder.from, folder.to) }));
}

/**
 * A folder whose contents have all moved: its marker is copied to the new place (create-only; a
 * folder already there needs none). A folder without a marker existed only through its files,
 * which now make the new one exist.
 */
async function finishFolder(owner: Owner, folder: { from: string[]; to: string[] }): Promise<Outcome> {
  return settleOne(owner, folderMarkerKey(owner.identityId, folder.from), folderMarkerKey(owner.identityId, folder.to));
}

/**
 * Moves the next batch of a job started by {@link startMove}: up to {@link MOVE_BATCH_SIZE}
 * objects, each copied create-only and then deleted at its source once the copy is confirmed.
 * Never throws for one object's failure: the answer names what moved, what failed (left in
 * place and retried by the next call with the returned job) and what had gone meanwhile. Call
 * again with the returned job until `done`; after a failure, calling again is "Resume".
 * @throws {AppError} `forbidden`/`invalid_input` for a job that is not the person's; S3 failures
 * of the folder listing as AppError (the job sent is still good to resume with).
 */
export async function moveBatch(owner: Owner, job: MoveJob): Promise<MoveBatchResult> {
  requireJob(owner, job);
  const next: MoveJob = { ...job, files: [...job.files], folders: [...job.folders] };
  const result: MoveBatchResult = { job: next, moved: [], failed: [], gone: [], done: false };
  try {
    const work = await nextWork(owner, job);
    const folder = job.folders[0];
    if (work === 'folder-empty' && folder) {
      const outcome = await finishFolder(owner, folder);
      if (outcome.kind === 'failed') result.failed.push({ from: outcome.from, code: outcome.code });
      else {
        const removed = await deleteFiles(owner.credentials, [folderMarkerKey(owner.identityId, folder.from)]);
        const refused = removed.errors[0];
        if (refused) result.failed.push({ from: refused.key, code: refused.code });
        else {
          next.folders.shift();
          next.moved += 1;
        }
      }
    } else if (work !== 'folder-empty') {
      const outcomes = await eachLimited(work, ({ from, to }) => settleOne(owner, from, to));
      const copied = outcomes.filter((outcome) => outcome.kind === 'copied');
      // Only now, with every copy confirmed, may a source go.
      const removed = await deleteFiles(
        owner.credentials,
        copied.map((outcome) => outcome.from),
      );
      const refused = new Map(removed.errors.map((error) => [error.key, error.code]));
      for (const outcome of outcomes) {
        if (outcome.kind === 'failed') result.failed.push({ from: outcome.from, code: outcome.code });
        else if (outcome.kind === 'gone') result.gone.push(outcome.from);
        else {
          const code = refused.get(outcome.from);
          if (code) result.failed.push({ from: outcome.from, code });
          else result.moved.push({ from: outcome.from, to: outcome.to });
        }
      }
      const settled = new Set([...result.moved.map((move) => move.from), ...result.gone]);
      next.files = next.files.filter((move) => !settled.has(move.from));
      next.moved += result.moved.length;
      next.total = Math.max(next.total - result.gone.length, next.moved);
    }
  } finally {
    await storageChanged(owner);
  }
  result.done = next.files.length === 0 && next.folders.length === 0;
  return result;
}

/**
 * The folders directly in the person's folder `path` (names, sorted), for the "Move to…" picker.
 * @throws {AppError} `invalid_input` for a malformed path; S3 failures as AppError.
 */
export async function moveTargets(owner: Owner, path: FolderPath): Promise<{ path: string[]; folders: string[] }> {
  if (!isFolderPath(path)) throw new AppError('invalid_input', 'not a folder path');
  const { folders } = await listWholeFolder(owner.credentials, owner.identityId, path);
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  return { path: [...path], folders: [...folders].sort(collator.compare) };
}
