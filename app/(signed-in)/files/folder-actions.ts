'use server';

import { runAction } from '@/lib/actions';
import { type CreateFolderInput, CreateFolderSchema, type FolderInput, FolderSchema } from '@/lib/files/folder-schemas';
import { countFolder, createFolder, deleteFolder, type FolderContents, type FolderDeletion } from '@/lib/files/folders';
import type { ActionResult } from '@/lib/files/types';

/** Creates a folder (create-only: an existing one is `folder_taken`); answers its path. */
export async function makeFolder(input: CreateFolderInput): Promise<ActionResult<{ path: string[] }>> {
  return runAction('files.create_folder', CreateFolderSchema, input, async (valid, access) => ({
    path: await createFolder(access, valid.parent, valid.name),
  }));
}

/** Counts what a folder holds, for the delete confirmation. */
export async function folderContents(input: FolderInput): Promise<ActionResult<FolderContents>> {
  return runAction('files.count_folder', FolderSchema, input, async (valid, access) => countFolder(access, valid.path));
}

/** Deletes a folder with everything in it (to the trash, as one batch that Undo restores). */
export async function removeFolder(input: FolderInput): Promise<ActionResult<FolderDeletion>> {
  return runAction('files.delete_folder', FolderSchema, input, async (valid, access) => deleteFolder(access, valid.path));
}
