import { z } from 'zod';
import { isFolderSegment, MAX_KEY_BYTES } from '@/lib/aws/keys';
import { MAX_OBJECT_BYTES, MAX_PARTS } from '@/lib/aws/s3-limits';
import {
  AVATAR_MAX_BYTES,
  fitsFolderLimits,
  fitsNameLimit,
  MAX_FOLDER_DEPTH,
  MAX_NAME_ATTEMPTS,
  MAX_NAME_BYTES,
  MAX_PAGE_SIZE,
  MAX_PREVIEW_KEYS,
} from './limits';
import { ZIP_LINKS_PER_CALL } from './zip';

/**
 * What every server action accepts, as zod schemas: the one declaration of each input. The limits
 * come from their one source (lib/files/limits.ts, lib/aws/keys.ts, lib/aws/s3-limits.ts) and the
 * input types are inferred here (lib/files/types.ts re-exports them for the browser, types only).
 * Client-safe: no server-only import, so it may validate in the browser too. A refused rule that
 * names its code (`params: { code }`) is answered with that code by lib/actions.ts's runAction.
 */

/** Strings the browser only echoes back (an upload id, a name S3 refused): bounded so a forged one cannot be huge. */
const MAX_ECHOED_LENGTH = 1024;
/** A listing cursor or search text. */
const MAX_CURSOR_LENGTH = 200;
const MAX_QUERY_LENGTH = 200;
/** A declared content type (the upload URL signs it). */
const MAX_CONTENT_TYPE_LENGTH = 255;
/** An ETag as S3 gives it for a part (an MD5 in hex, quoted). */
const MAX_ETAG_LENGTH = 200;
/** Part URLs one presignParts call may ask for. */
const MAX_PART_NUMBERS_PER_CALL = 100;
/** Keys one delete takes. */
const MAX_DELETE_KEYS = 1000;

/** An object key as the browser sends it back; lib/aws/keys.ts decides whether it is the person's. */
export const KeySchema = z.string().min(1).max(MAX_KEY_BYTES);

/** A file name: lib/files/limits.ts's rule, answered as `name_too_long` (its message states the limit). */
export const NameSchema = z
  .string()
  .trim()
  .min(1)
  .refine(fitsNameLimit, { params: { code: 'name_too_long' } });

/**
 * A folder (its names, outermost first; `[]` the top level): each name exactly as lib/aws/keys.ts
 * builds folder names, the depth and length within lib/files/limits.ts (`folder_too_deep`).
 */
export const FolderPathSchema = z
  .array(z.string().max(MAX_NAME_BYTES).refine(isFolderSegment))
  .max(MAX_FOLDER_DEPTH + 1)
  .refine(fitsFolderLimits, { params: { code: 'folder_too_deep' } });

const UploadIdSchema = z.string().min(1).max(MAX_ECHOED_LENGTH);
const PartNumberSchema = z.number().int().min(1).max(MAX_PARTS);

/** The column a listing is sorted by. */
export const SortFieldSchema = z.enum(['name', 'size', 'lastModified']);
/** The direction a listing is sorted in. */
export const SortOrderSchema = z.enum(['asc', 'desc']);

/** listFiles: one page of the person's files, sorted, maybe filtered. */
export const ListFilesSchema = z.object({
  /** Opaque cursor from the previous page; absent for the first page. */
  cursor: z.string().max(MAX_CURSOR_LENGTH).optional(),
  sort: SortFieldSchema,
  order: SortOrderSchema,
  /** Case-insensitive substring of the name. */
  query: z.string().max(MAX_QUERY_LENGTH).optional(),
  /** Page size, 1-200 (default 50). */
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
  /** The folder listed (default: the top level); its folders come first, on the first page. */
  path: FolderPathSchema.optional(),
  /** With a query: search only this folder (default) or every file the person has. */
  scope: z.enum(['folder', 'all']).optional(),
});

/** createUpload: a file the browser wants to send (its name, size in bytes and declared type). */
export const CreateUploadSchema = z.object({
  name: NameSchema,
  size: z.number().int().min(0).max(MAX_OBJECT_BYTES),
  type: z
    .string()
    .max(MAX_CONTENT_TYPE_LENGTH)
    .regex(/^$|^[\w.+-]+\/[\w.+-]+$/),
  /** Names a create-only PUT found taken (412/409): never planned again for this file. */
  taken: z.array(z.string().min(1).max(MAX_ECHOED_LENGTH)).max(MAX_NAME_ATTEMPTS).optional(),
  /** The folder the file goes into (default: the top level). */
  folder: FolderPathSchema.optional(),
});

/** presignParts: more part URLs of a multipart upload (`size` is the whole file's, to size each part). */
export const PresignPartsSchema = z.object({
  key: KeySchema,
  uploadId: UploadIdSchema,
  size: z.number().int().min(1),
  partNumbers: z.array(PartNumberSchema).min(1).max(MAX_PART_NUMBERS_PER_CALL),
});

/** A part S3 has, as the browser reports it to finish a multipart upload. */
export const CompletedPartSchema = z.object({ partNumber: PartNumberSchema, etag: z.string().min(1).max(MAX_ETAG_LENGTH) });

/** completeUpload: confirms an upload (a multipart one with its id, name and parts). */
export const CompleteUploadSchema = z.object({
  key: KeySchema,
  /** The file's name, for a multipart upload (its key is under incoming/). */
  name: NameSchema.optional(),
  uploadId: UploadIdSchema.optional(),
  parts: z.array(CompletedPartSchema).max(MAX_PARTS).optional(),
  /** The folder a multipart upload goes into (as it was planned). */
  folder: FolderPathSchema.optional(),
});

/** abortUpload: cancels an upload (a multipart one with its id). */
export const AbortUploadSchema = z.object({ key: KeySchema, uploadId: UploadIdSchema.optional() });
/** getDownloadUrl: a presigned GET, as an attachment or inline. */
export const DownloadUrlSchema = z.object({ key: KeySchema, disposition: z.enum(['attachment', 'inline']) });
/** getPreviewUrls: inline GETs for the image rows on screen. */
export const PreviewUrlsSchema = z.object({ keys: z.array(KeySchema).max(MAX_PREVIEW_KEYS) });
/** deleteFiles: the keys to delete. */
export const DeleteFilesSchema = z.object({ keys: z.array(KeySchema).min(1).max(MAX_DELETE_KEYS) });
/** renameFile: a file's key and its new name. */
export const RenameFileSchema = z.object({ key: KeySchema, name: NameSchema });
/** One file by its key: details, publish, unpublish, removal from the gallery. */
export const FileKeySchema = z.object({ key: KeySchema });

/** The size of the PNG the browser made of the picked avatar. */
export const SetAvatarSchema = z.object({ size: z.number().int().min(1).max(AVATAR_MAX_BYTES) });

/* The inputs, inferred: what each action (and the browser calling it) passes. */
export type SortField = z.infer<typeof SortFieldSchema>;
export type SortOrder = z.infer<typeof SortOrderSchema>;
export type ListFilesInput = z.infer<typeof ListFilesSchema>;
export type CreateUploadInput = z.infer<typeof CreateUploadSchema>;
export type PresignPartsInput = z.infer<typeof PresignPartsSchema>;
export type CompletedPart = z.infer<typeof CompletedPartSchema>;
export type CompleteUploadInput = z.infer<typeof CompleteUploadSchema>;
export type AbortUploadInput = z.infer<typeof AbortUploadSchema>;
export type DownloadUrlInput = z.infer<typeof DownloadUrlSchema>;
export type PreviewUrlsInput = z.infer<typeof PreviewUrlsSchema>;
export type DeleteFilesInput = z.infer<typeof DeleteFilesSchema>;
export type RenameFileInput = z.infer<typeof RenameFileSchema>;
export type FileKeyInput = z.infer<typeof FileKeySchema>;
export type SetAvatarInput = z.infer<typeof SetAvatarSchema>;

/** getZipLinks: the keys of the person's own files to put in a zip, at most ZIP_LINKS_PER_CALL per call. */
export const ZipLinksSchema = z.object({ keys: z.array(KeySchema).min(1).max(ZIP_LINKS_PER_CALL) });

export type ZipLinksInput = z.infer<typeof ZipLinksSchema>;
