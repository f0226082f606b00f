import 'server-only';
import { type FolderPath, folderPrefix } from '@/lib/aws/keys';
import { listAllFiles } from '@/lib/aws/s3';
import { AppError } from '@/lib/errors';
import { ZIP_FOLDER_MAX_FILES } from './limits';
import { downloadUrl, type Owner } from './service';
import type { ZipFolderFile, ZipLink } from './zip';
import { folderZipPath } from './zip-names';

/**
 * Presigned GETs (attachments, {@link downloadUrl}'s: the person's own credentials, the usual
 * lifetime) for some of the person's own files, in the order given, for a zip the browser builds
 * itself. All or nothing: one key outside the person's folder refuses the whole call. Makes no
 * network call (presigning is local). Server only.
 * @throws {AppError} `forbidden` for a key that is not the person's.
 */
export async function zipDownloadLinks(owner: Owner, keys: readonly string[]): Promise<ZipLink[]> {
  return Promise.all(keys.map(async (key) => ({ key, url: await downloadUrl(owner, key, 'attachment') })));
}

/**
 * Every file under the person's folder `path`, at any depth (ListObjectsV2 without a delimiter,
 * the person's own credentials), with its path in the folder's zip ({@link folderZipPath}: the
 * folder's name first, structure kept), in S3's key order. Folder markers and keys Cubby would
 * not read are left out. The browser then asks {@link zipDownloadLinks} for their links.
 * @throws {AppError} `zip_too_many` past ZIP_FOLDER_MAX_FILES files; `invalid_input` /
 * `folder_too_deep` for a bad path; S3 errors as AppError.
 */
export async function folderZipFiles(owner: Owner, path: FolderPath): Promise<ZipFolderFile[]> {
  if (path.length === 0) throw new AppError('invalid_input', 'the top level is not a folder');
  const listed = await listAllFiles(owner.credentials, folderPrefix(owner.identityId, path), {
    recursive: true,
    // Markers count in the listing: room for them, and one past the cap to tell a full folder from a bigger one.
    limit: 2 * ZIP_FOLDER_MAX_FILES + 1,
  });
  const files: ZipFolderFile[] = [];
  for (const file of listed) {
    const name = folderZipPath(owner.identityId, path, file.key);
    if (name === null) continue;
    if (files.length === ZIP_FOLDER_MAX_FILES) throw new AppError('zip_too_many', `more than ${ZIP_FOLDER_MAX_FILES} files`);
    files.push({ key: file.key, name, size: file.size, lastModified: file.lastModified });
  }
  return files;
}
