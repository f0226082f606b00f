'use server';

import { runAction } from '@/lib/actions';
import { folderZipFiles, zipDownloadLinks } from '@/lib/files/download-many';
import { type FolderInput, FolderSchema } from '@/lib/files/folder-schemas';
import { type ZipLinksInput, ZipLinksSchema } from '@/lib/files/schemas';
import type { ActionResult } from '@/lib/files/types';
import type { ZipFolderFile, ZipLink } from '@/lib/files/zip';

/** Presigned GETs for up to ZIP_LINKS_PER_CALL of the person's own files, for a zip built in the browser. */
export async function getZipLinks(input: ZipLinksInput): Promise<ActionResult<ZipLink[]>> {
  return runAction('files.zip_links', ZipLinksSchema, input, async (valid, access) => zipDownloadLinks(access, valid.keys));
}

/** Every file in one of the person's folders (at any depth), with its path in the folder's zip. */
export async function getFolderZipFiles(input: FolderInput): Promise<ActionResult<ZipFolderFile[]>> {
  return runAction('files.zip_folder', FolderSchema, input, async (valid, access) => folderZipFiles(access, valid.path));
}
