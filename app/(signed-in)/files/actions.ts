'use server';

import { z } from 'zod';
import { runAction } from '@/lib/actions';
import { publishOwnFile, unpublishOwnFile } from '@/lib/files/gallery';
import { fitsNameLimit } from '@/lib/files/limits';
import {
  cancelUpload,
  downloadUrl,
  finishUpload,
  listOwnFiles,
  ownFileDetails,
  planUpload,
  presignParts as presignMoreParts,
  removeFiles,
  renameOwnFile,
} from '@/lib/files/service';
import type {
  ActionResult,
  CompletedPart,
  CreateUploadInput,
  FileDetails,
  FileItem,
  FilePage,
  ListFilesInput,
  PublishOutcome,
  UploadPlan,
} from '@/lib/files/types';
import { MAX_NAME_ATTEMPTS } from '@/lib/files/types';

const Key = z.string().min(1).max(1024);
/** A file name: lib/files/limits.ts's rule, answered as `name_too_long` (its message states the limit). */
const Name = z
  .string()
  .trim()
  .min(1)
  .refine(fitsNameLimit, { params: { code: 'name_too_long' } });

const ListSchema = z.object({
  cursor: z.string().max(200).optional(),
  sort: z.enum(['name', 'size', 'lastModified']),
  order: z.enum(['asc', 'desc']),
  query: z.string().max(200).optional(),
  pageSize: z.number().int().min(1).max(200).optional(),
});
const CreateSchema = z.object({
  name: Name,
  size: z
    .number()
    .int()
    .min(0)
    .max(5 * 1024 ** 4),
  type: z
    .string()
    .max(255)
    .regex(/^$|^[\w.+-]+\/[\w.+-]+$/),
  taken: z.array(z.string().min(1).max(1024)).max(MAX_NAME_ATTEMPTS).optional(),
});
const PartsSchema = z.object({
  key: Key,
  uploadId: z.string().min(1).max(1024),
  size: z.number().int().min(1),
  partNumbers: z.array(z.number().int().min(1).max(10_000)).min(1).max(100),
});
const CompleteSchema = z.object({
  key: Key,
  /** The file's name, for a multipart upload (its key is under incoming/). */
  name: Name.optional(),
  uploadId: z.string().min(1).max(1024).optional(),
  parts: z
    .array(z.object({ partNumber: z.number().int().min(1).max(10_000), etag: z.string().min(1).max(200) }))
    .max(10_000)
    .optional(),
});
const AbortSchema = z.object({ key: Key, uploadId: z.string().min(1).max(1024).optional() });
const DownloadSchema = z.object({ key: Key, disposition: z.enum(['attachment', 'inline']) });
const PreviewSchema = z.object({ keys: z.array(Key).max(100) });
const DeleteSchema = z.object({ keys: z.array(Key).min(1).max(1000) });
const RenameSchema = z.object({ key: Key, name: Name });

export async function listFiles(input: ListFilesInput): Promise<ActionResult<FilePage>> {
  return runAction('files.list', ListSchema, input, async (valid, access) => listOwnFiles(access, valid));
}

export async function createUpload(input: CreateUploadInput): Promise<ActionResult<UploadPlan>> {
  return runAction('files.create_upload', CreateSchema, input, async (valid, access) => planUpload(access, valid));
}

export async function presignParts(input: {
  key: string;
  uploadId: string;
  size: number;
  partNumbers: number[];
}): Promise<ActionResult<{ partNumber: number; url: string }[]>> {
  return runAction('files.presign_parts', PartsSchema, input, async (valid, access) => presignMoreParts(access, valid));
}

export async function completeUpload(input: {
  key: string;
  name?: string;
  uploadId?: string;
  parts?: CompletedPart[];
}): Promise<ActionResult<FileItem>> {
  return runAction('files.complete_upload', CompleteSchema, input, async (valid, access) => finishUpload(access, valid));
}

/** Cancels an upload (single or multipart): S3 drops the parts and the name and bytes are freed. */
export async function abortUpload(input: { key: string; uploadId?: string }): Promise<ActionResult<null>> {
  return runAction('files.abort_upload', AbortSchema, input, async (valid, access) => {
    await cancelUpload(access, valid);
    return null;
  });
}

export async function getDownloadUrl(input: {
  key: string;
  disposition: 'attachment' | 'inline';
}): Promise<ActionResult<{ url: string }>> {
  return runAction('files.download_url', DownloadSchema, input, async (valid, access) => ({
    url: await downloadUrl(access, valid.key, valid.disposition),
  }));
}

export async function getPreviewUrls(input: { keys: string[] }): Promise<ActionResult<Record<string, string>>> {
  return runAction('files.preview_urls', PreviewSchema, input, async (valid, access) => {
    const owner = access;
    const entries = await Promise.all(valid.keys.map(async (key) => [key, await downloadUrl(owner, key, 'inline')] as const));
    return Object.fromEntries(entries);
  });
}

export async function deleteFiles(input: { keys: string[] }): Promise<ActionResult<{ deleted: string[] }>> {
  return runAction('files.delete', DeleteSchema, input, async (valid, access) => ({
    deleted: await removeFiles(access, valid.keys),
  }));
}

export async function renameFile(input: { key: string; name: string }): Promise<ActionResult<FileItem>> {
  return runAction('files.rename', RenameSchema, input, async (valid, access) => renameOwnFile(access, valid.key, valid.name));
}

/** One file's details from S3 (HeadObject): its own modification time, kept across renames. */
export async function getFileDetails(input: { key: string }): Promise<ActionResult<FileDetails>> {
  return runAction('files.details', z.object({ key: Key }), input, async (valid, access) => ownFileDetails(access, valid.key));
}

/** Copies one of the person's own files to the public gallery on the landing page (or says it is there already). */
export async function publishFile(input: { key: string }): Promise<ActionResult<PublishOutcome>> {
  return runAction('files.publish', z.object({ key: Key }), input, async (valid, access) => publishOwnFile(access, valid.key));
}

/** Takes one of the person's own files out of the public gallery (the file itself stays). */
export async function unpublishFile(input: { key: string }): Promise<ActionResult<{ key: string }>> {
  return runAction('files.unpublish', z.object({ key: Key }), input, async (valid, access) =>
    unpublishOwnFile(access, valid.key),
  );
}
