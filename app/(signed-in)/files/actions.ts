'use server';

import { runAction } from '@/lib/actions';
import { publishOwnFile, unpublishOwnFile } from '@/lib/files/gallery';
import {
  AbortUploadSchema,
  CompleteUploadSchema,
  CreateUploadSchema,
  DeleteFilesSchema,
  DownloadUrlSchema,
  FileKeySchema,
  ListFilesSchema,
  PresignPartsSchema,
  PreviewUrlsSchema,
  RenameFileSchema,
} from '@/lib/files/schemas';
import {
  cancelUpload,
  downloadUrl,
  finishUpload,
  listOwnFiles,
  ownFileDetails,
  planUpload,
  presignParts as presignMoreParts,
  renameOwnFile,
} from '@/lib/files/service';
import { moveToTrash } from '@/lib/files/trash';
import type {
  AbortUploadInput,
  ActionResult,
  CompleteUploadInput,
  CreateUploadInput,
  DeleteFilesInput,
  DownloadUrlInput,
  FileDetails,
  FileItem,
  FileKeyInput,
  FilePage,
  ListFilesInput,
  PresignPartsInput,
  PreviewUrlsInput,
  PublishOutcome,
  RenameFileInput,
  UploadPlan,
} from '@/lib/files/types';

export async function listFiles(input: ListFilesInput): Promise<ActionResult<FilePage>> {
  return runAction('files.list', ListFilesSchema, input, async (valid, access) => listOwnFiles(access, valid));
}

export async function createUpload(input: CreateUploadInput): Promise<ActionResult<UploadPlan>> {
  return runAction('files.create_upload', CreateUploadSchema, input, async (valid, access) => planUpload(access, valid));
}

export async function presignParts(input: PresignPartsInput): Promise<ActionResult<{ partNumber: number; url: string }[]>> {
  return runAction('files.presign_parts', PresignPartsSchema, input, async (valid, access) => presignMoreParts(access, valid));
}

export async function completeUpload(input: CompleteUploadInput): Promise<ActionResult<FileItem>> {
  return runAction('files.complete_upload', CompleteUploadSchema, input, async (valid, access) => finishUpload(access, valid));
}

/** Cancels an upload (single or multipart): S3 drops the parts and the name and bytes are freed. */
export async function abortUpload(input: AbortUploadInput): Promise<ActionResult<null>> {
  return runAction('files.abort_upload', AbortUploadSchema, input, async (valid, access) => {
    await cancelUpload(access, valid);
    return null;
  });
}

export async function getDownloadUrl(input: DownloadUrlInput): Promise<ActionResult<{ url: string }>> {
  return runAction('files.download_url', DownloadUrlSchema, input, async (valid, access) => ({
    url: await downloadUrl(access, valid.key, valid.disposition),
  }));
}

export async function getPreviewUrls(input: PreviewUrlsInput): Promise<ActionResult<Record<string, string>>> {
  return runAction('files.preview_urls', PreviewUrlsSchema, input, async (valid, access) => {
    const owner = access;
    const entries = await Promise.all(valid.keys.map(async (key) => [key, await downloadUrl(owner, key, 'inline')] as const));
    return Object.fromEntries(entries);
  });
}

/** Deletes = moves to the trash (lib/files/trash.ts): `batch` is what Undo restores. */
export async function deleteFiles(input: DeleteFilesInput): Promise<ActionResult<{ deleted: string[]; batch: string }>> {
  return runAction('files.delete', DeleteFilesSchema, input, async (valid, access) => {
    const { trashed, batch } = await moveToTrash(access, valid.keys);
    return { deleted: trashed, batch };
  });
}

export async function renameFile(input: RenameFileInput): Promise<ActionResult<FileItem>> {
  return runAction('files.rename', RenameFileSchema, input, async (valid, access) =>
    renameOwnFile(access, valid.key, valid.name),
  );
}

/** One file's details from S3 (HeadObject): its own modification time, kept across renames. */
export async function getFileDetails(input: FileKeyInput): Promise<ActionResult<FileDetails>> {
  return runAction('files.details', FileKeySchema, input, async (valid, access) => ownFileDetails(access, valid.key));
}

/** Copies one of the person's own files to the public gallery on the landing page (or says it is there already). */
export async function publishFile(input: FileKeyInput): Promise<ActionResult<PublishOutcome>> {
  return runAction('files.publish', FileKeySchema, input, async (valid, access) => publishOwnFile(access, valid.key));
}

/** Takes one of the person's own files out of the public gallery (the file itself stays). */
export async function unpublishFile(input: FileKeyInput): Promise<ActionResult<{ key: string }>> {
  return runAction('files.unpublish', FileKeySchema, input, async (valid, access) => unpublishOwnFile(access, valid.key));
}
