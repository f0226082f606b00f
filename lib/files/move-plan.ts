/**
 * Planning a move (files and folders into another folder, or a folder renamed in place): pure, no
 * I/O, so it is tested with tables. lib/files/move.ts carries the plan out with create-only copies
 * and deletes. Keys are built by lib/aws/keys.ts only; this module decides where each one goes.
 */
import {
  type FolderPath,
  fileNameOf,
  folderMarkerKey,
  folderPrefix,
  isFolderSegment,
  isOwnFolderKey,
  isOwnKey,
  nextFreeName,
  ownFileKeyIn,
  parseFolderPath,
  safeFileName,
  splitOwnKey,
} from '@/lib/aws/keys';
import { AppError } from '@/lib/errors';
import { fitsFolderLimits, MAX_NAME_BYTES, utf8Bytes } from './limits';

/** What a move takes: one file by its key, or a folder by its path with every key under it (as listed from S3). */
export type MoveSource =
  | { kind: 'file'; key: string }
  | {
      kind: 'folder';
      path: FolderPath;
      /** Every object key under the folder, nested files and folder markers included (the folder's own marker may be among them). */
      keys: readonly string[];
    };

/** Where the sources go, and which names are taken there (read from S3 just before planning). */
export interface MoveDestination {
  path: FolderPath;
  /** File names directly in the destination folder. */
  takenFiles: ReadonlySet<string>;
  /** Folder names directly in the destination folder. */
  takenFolders: ReadonlySet<string>;
}

/** One file's move: from its key to its new key. */
export interface FileMove {
  from: string;
  to: string;
}

/** One folder's move: every key under `from` goes to the same relative path under `to`. */
export interface FolderMove {
  from: string[];
  to: string[];
}

/** What {@link planMove} decided. */
export interface MovePlan {
  files: FileMove[];
  folders: FolderMove[];
  /** Objects the plan moves: the files, and every key under each folder (markers included). */
  total: number;
}

/** Options of {@link planMove}. */
export interface MoveOptions {
  /**
   * The new name of the one source (a rename, or a move under another name). A taken name is then
   * refused (`name_taken` / `folder_taken` with `details.suggestion`) rather than replaced by the next free one.
   */
  rename?: string;
}

/** Whether `inner` is `outer` or lies inside it. */
export function isWithinFolder(inner: FolderPath, outer: FolderPath): boolean {
  return outer.length <= inner.length && outer.every((segment, index) => inner[index] === segment);
}

/** `name`, or the first of `name (1)`, `name (2)`... that is not taken (folders have no extension to keep). */
export function nextFreeFolderName(name: string, taken: (candidate: string) => boolean): string {
  if (!taken(name)) return name;
  for (let n = 1; n <= 1_000_000; n += 1) {
    const suffix = ` (${n})`;
    let base = name;
    while (utf8Bytes(base + suffix) > MAX_NAME_BYTES) base = Array.from(base).slice(0, -1).join('');
    const candidate = `${base.trimEnd()}${suffix}`;
    if (!taken(candidate)) return candidate;
  }
  throw new RangeError('no free folder name');
}

function requireFolderPath(path: FolderPath): string[] {
  if (!Array.isArray(path) || !path.every(isFolderSegment)) throw new AppError('invalid_input', 'not a folder path');
  requireFits(path);
  return [...path];
}

function requireFits(path: FolderPath): void {
  if (!fitsFolderLimits(path)) throw new AppError('folder_too_deep', `folder path of ${path.length} levels`);
}

/**
 * Where `key`, under the folder `from`, goes when that folder becomes `to`: the same relative path
 * (a folder marker stays a marker). Pure; used by the plan and by every batch of the move.
 * @throws {AppError} `forbidden` when `key` is not under `from`; `folder_too_deep` when the new
 * path passes lib/files/limits.ts's limits; `invalid_input` for a key whose folders are not well formed.
 */
export function movedKey(identityId: string, key: string, from: FolderPath, to: FolderPath): string {
  const prefix = folderPrefix(identityId, from);
  if (!key.startsWith(prefix) || key === prefix) throw new AppError('forbidden', 'key outside the moved folder');
  const segments = key.slice(prefix.length).split('/');
  const name = segments.pop() ?? '';
  const inner = segments.length > 0 ? parseFolderPath(segments) : [];
  if (!inner || inner.length !== segments.length) throw new AppError('invalid_input', 'a key with malformed folders');
  const path = [...to, ...inner];
  requireFits(path);
  return name === '' ? folderMarkerKey(identityId, path) : ownFileKeyIn(identityId, path, name);
}

function parentOf(identityId: string, key: string): string[] {
  const split = splitOwnKey(identityId, key);
  if (!split) throw new AppError('forbidden', 'key outside the caller identity');
  return split.path;
}

function suggestionError(code: 'name_taken' | 'folder_taken', suggestion: string): AppError {
  return new AppError(code, 'move target exists', { details: { suggestion } });
}

/**
 * Plans moving `sources` into the folder `destination.path` (or renaming one source in place with
 * `options.rename`). Each file keeps its name, or gets the next free one (`a (1).txt`) when the
 * name is taken at the destination, never replacing anything; each folder likewise (`Photos (1)`),
 * and every key under it keeps its path relative to the folder. A source already where it would go
 * (same folder, same name) is left out. A file inside a folder that is also moved is left to its folder.
 * @throws {AppError} `move_into_itself` when a folder would go into itself or one of its own
 * folders; `folder_too_deep` when any moved key would be nested past lib/files/limits.ts's limits;
 * `forbidden` for a key or folder that is not the person's; `invalid_input` for an empty or
 * duplicate selection, a malformed path, or a rename of several sources; `name_taken` /
 * `folder_taken` (with `details.suggestion`) when a renamed source's new name is taken;
 * `name_too_long` for a new name past MAX_NAME_BYTES.
 */
export function planMove(
  identityId: string,
  sources: readonly MoveSource[],
  destination: MoveDestination,
  options: MoveOptions = {},
): MovePlan {
  if (sources.length === 0) throw new AppError('invalid_input', 'nothing to move');
  if (options.rename !== undefined && sources.length !== 1) throw new AppError('invalid_input', 'a rename takes one source');
  const target = requireFolderPath(destination.path);
  const takenFiles = new Set(destination.takenFiles);
  const takenFolders = new Set(destination.takenFolders);
  const folderPaths = sources.flatMap((source) => (source.kind === 'folder' ? [requireFolderPath(source.path)] : []));
  const seen = new Set<string>();
  const plan: MovePlan = { files: [], folders: [], total: 0 };

  for (const source of sources) {
    if (source.kind === 'file') {
      if (!isOwnKey(identityId, source.key)) throw new AppError('forbidden', 'key outside the caller identity');
      if (seen.has(source.key)) throw new AppError('invalid_input', 'a source given twice');
      seen.add(source.key);
      const parent = parentOf(identityId, source.key);
      if (folderPaths.some((folder) => folder.length > 0 && isWithinFolder(parent, folder))) continue;
      const current = fileNameOf(source.key);
      const wanted = options.rename ?? current;
      const stays = isWithinFolder(parent, target) && parent.length === target.length;
      if (stays && ownFileKeyIn(identityId, target, wanted) === source.key) continue;
      requireFits(target);
      // In the same folder, the file's own name is not "taken" by itself.
      if (stays) takenFiles.delete(current);
      const free = nextFreeName(wanted, (candidate) => takenFiles.has(candidate));
      if (free !== safeFileName(wanted) && options.rename !== undefined) throw suggestionError('name_taken', free);
      takenFiles.add(free);
      plan.files.push({ from: source.key, to: ownFileKeyIn(identityId, target, free) });
      plan.total += 1;
      continue;
    }
    const from = requireFolderPath(source.path);
    if (from.length === 0) throw new AppError('invalid_input', 'the top folder cannot be moved');
    const key = from.join('/');
    if (seen.has(key)) throw new AppError('invalid_input', 'a source given twice');
    seen.add(key);
    if (folderPaths.some((folder) => folder.length < from.length && isWithinFolder(from, folder))) continue;
    if (isWithinFolder(target, from)) throw new AppError('move_into_itself', 'a folder into itself');
    const current = from[from.length - 1] ?? '';
    const wanted = options.rename ?? current;
    if (!isFolderSegment(wanted)) throw new AppError('invalid_input', 'not a folder name');
    const sameParent = from.length === target.length + 1 && isWithinFolder(from, target);
    if (sameParent && wanted === current) continue;
    if (sameParent) takenFolders.delete(current);
    const free = nextFreeFolderName(wanted, (candidate) => takenFolders.has(candidate));
    if (free !== wanted && options.rename !== undefined) throw suggestionError('folder_taken', free);
    takenFolders.add(free);
    const to = [...target, free];
    requireFits(to);
    const prefix = folderPrefix(identityId, from);
    for (const inner of source.keys) {
      if (!isOwnKey(identityId, inner) && !isOwnFolderKey(identityId, inner))
        throw new AppError('forbidden', 'key outside the caller identity');
      if (inner === prefix) continue;
      movedKey(identityId, inner, from, to); // Refuses what would end up too deep, before anything moves.
    }
    plan.folders.push({ from, to });
    plan.total += source.keys.filter((inner) => inner !== prefix).length + 1;
  }
  return plan;
}
