import 'server-only';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { type FolderPath, folderMarkerKey, folderPrefix, isOwnFolderKey, isOwnKey, safeFileName } from '@/lib/aws/keys';
import { listAllFiles } from '@/lib/aws/s3';
import { bucket, s3Call, s3ClientFor } from '@/lib/aws/s3-client';
import { AppError } from '@/lib/errors';
import { fitsFolderLimits } from './limits';
import { type Owner, storageChanged } from './service';
import { moveToTrash } from './trash';

/**
 * Folders of a person's files: creating one (a zero-byte marker, create-only), counting what is in
 * one, and deleting one with everything in it (to the trash). Keys come from lib/aws/keys.ts;
 * listing a folder is lib/files/folder-listing.ts. Server only.
 */

/** What is in a folder, counted before it is deleted. */
export interface FolderContents {
  /** Files in it and in every folder inside it. */
  files: number;
  /** Folders inside it (at any depth). */
  folders: number;
  bytes: number;
}

/**
 * Creates the folder `name` in the person's folder `parent`: a create-only PUT (`If-None-Match: *`)
 * of the zero-byte marker `private/{id}/…/{name}/`, as the S3 console makes. A folder that already
 * exists, with a marker or only implied by files in it, is never made again.
 * @throws {AppError} `folder_taken` when it exists; `folder_too_deep`; `name_too_long`; S3 errors as AppError.
 */
export async function createFolder(owner: Owner, parent: FolderPath, name: string): Promise<string[]> {
  const path = [...parent, safeFileName(name)];
  if (!fitsFolderLimits(path)) throw new AppError('folder_too_deep', `folder path of depth ${path.length}`);
  const key = folderMarkerKey(owner.identityId, path);
  const client = s3ClientFor(owner.credentials);
  const existing = await s3Call('list', () =>
    client.send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: key, MaxKeys: 1 })),
  );
  if ((existing.KeyCount ?? existing.Contents?.length ?? 0) > 0) throw new AppError('folder_taken', 'folder exists');
  try {
    await s3Call('put', () =>
      client.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: new Uint8Array(0), IfNoneMatch: '*' })),
    );
  } catch (error) {
    if (error instanceof AppError && error.code === 'name_taken')
      throw new AppError('folder_taken', 'folder exists', { cause: error });
    throw error;
  } finally {
    await storageChanged(owner);
  }
  return path;
}

/** Every key under the folder (files and folder markers, at any depth), listed without a delimiter. */
async function keysUnder(owner: Owner, path: FolderPath): Promise<{ key: string; size: number }[]> {
  if (path.length === 0) throw new AppError('invalid_input', 'the top level is not a folder');
  return listAllFiles(owner.credentials, folderPrefix(owner.identityId, path), { recursive: true, limit: 100_000 });
}

/**
 * Counts what the folder `path` holds (files, folders inside it, bytes): what the delete
 * confirmation shows.
 * @throws {AppError} `invalid_input` for the top level or a bad path; S3 errors as AppError.
 */
export async function countFolder(owner: Owner, path: FolderPath): Promise<FolderContents> {
  return countKeys(folderPrefix(owner.identityId, path), await keysUnder(owner, path));
}

function countKeys(prefix: string, keys: readonly { key: string; size: number }[]): FolderContents {
  const folders = new Set<string>();
  let files = 0;
  let bytes = 0;
  for (const { key, size } of keys) {
    bytes += size;
    if (!key.endsWith('/')) files += 1;
    const inner = key.slice(prefix.length).split('/');
    inner.pop();
    for (let depth = 1; depth <= inner.length; depth += 1) folders.add(inner.slice(0, depth).join('/'));
  }
  return { files, folders: folders.size, bytes };
}

/** What deleting a folder did. */
export interface FolderDeletion extends FolderContents {
  /** The trash batch: restoring it brings the whole folder back (lib/files/trash.ts). */
  batch: string;
  /** Keys that could not be moved (they stay where they were); 0 when the folder is gone. */
  failed: number;
}

/**
 * Deletes the folder `path` with everything in it: every file and folder marker under it moves to
 * the trash as one batch (lib/files/trash.ts `moveToTrash`, so it can be restored). Keys under it
 * that Cubby would never build (a hidden folder, a name with control characters) are left in place
 * and counted in `failed`, never deleted without a trash copy.
 * @throws {AppError} `invalid_input` for the top level; S3 errors as AppError.
 */
export async function deleteFolder(owner: Owner, path: FolderPath): Promise<FolderDeletion> {
  const listed = await keysUnder(owner, path);
  const counts = countKeys(folderPrefix(owner.identityId, path), listed);
  // The listing leaves out the folder's own marker (a key equal to the prefix): it goes too.
  const keys = [...listed.map(({ key }) => key), folderMarkerKey(owner.identityId, path)];
  const movable = keys.filter((key) => isOwnKey(owner.identityId, key) || isOwnFolderKey(owner.identityId, key));
  const moved = movable.length > 0 ? await moveToTrash(owner, movable) : { trashed: [], failed: [], batch: '' };
  return { ...counts, batch: moved.batch, failed: moved.failed.length + (keys.length - movable.length) };
}
