/**
 * The shapes the /files server actions and the browser exchange. Types only: safe to import from
 * client components (nothing here pulls server code into the bundle). The actions' inputs are
 * inferred from their zod schemas (lib/files/schemas.ts) and re-exported here.
 */

export type {
  AbortUploadInput,
  CompletedPart,
  CompleteUploadInput,
  CreateUploadInput,
  DeleteFilesInput,
  DownloadUrlInput,
  FileKeyInput,
  ListFilesInput,
  PresignPartsInput,
  PreviewUrlsInput,
  RenameFileInput,
  SetAvatarInput,
  SortField,
  SortOrder,
} from './schemas';

/** A file as the file manager shows it; `key` is opaque to the browser. */
export interface FileItem {
  key: string;
  name: string;
  size: number;
  /** MIME type guessed from the name (S3 listings carry none). */
  type: string;
  /** ISO 8601. */
  lastModified: string;
}

/** A file in a listing of /files, with whether a copy of it is in the public gallery. */
export interface ListedFile extends FileItem {
  /** A file of this name is under the person's `public/{identityId}/` (read from S3, not remembered). */
  isPublic: boolean;
  /** The folder the file is in, when a search across all files found it (absent in a folder's listing). */
  folder?: string[];
}

/** A folder in a listing of /files. */
export interface ListedFolder {
  name: string;
  /** Its whole path (the URL is `/files/` + these names, each encoded). */
  path: string[];
}

/** What publishing answered: the public key, and whether it was there already (nothing was copied then). */
export interface PublishOutcome {
  key: string;
  alreadyPublic: boolean;
}

/** A file with what only a HeadObject tells (the preview shows it). */
export interface FileDetails extends FileItem {
  /**
   * ISO 8601: when the file's content last changed, kept across renames. `lastModified` (what the
   * list shows) is S3's time of the last write, which a rename is (S3 copies to rename).
   */
  modifiedAt: string;
}

export interface FilePage {
  /** The folder listed (`[]`: the top level). */
  path: string[];
  /** The folders in it, sorted by name, on the first page only (and none in a search). */
  folders: ListedFolder[];
  items: ListedFile[];
  nextCursor: string | null;
  totalCount: number;
  usedBytes: number;
  /** Bytes in the trash, already part of `usedBytes` (deleted files count until they leave the trash). */
  trashBytes: number;
  quotaBytes: number;
}

/** A single presigned PUT, or a multipart plan for files over 100 MB. */
/**
 * How the browser sends one file. `single`: one create-only PUT to `key` (S3 answers 412 when the
 * name was taken meanwhile: ask again with that name in `taken`). `multipart`: parts to a unique
 * key under `incoming/`; completeUpload then gives the file `name` (or the next free one).
 */
export type UploadPlan =
  | { kind: 'single'; key: string; name: string; url: string; headers: Record<string, string> }
  | {
      kind: 'multipart';
      /** `incoming/{identityId}/{uuid}`, not the file's key. */
      key: string;
      name: string;
      uploadId: string;
      partSize: number;
      partCount: number;
      /** Presigned in batches: ask for more with `presignParts`. */
      parts: { partNumber: number; url: string }[];
    };

/**
 * Every action answers with this: expected failures are values with a stable code, never throws.
 * `details` carries facts for the code (e.g. `suggestion` with `name_taken`), never upstream text.
 */
export type ActionResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: string; message: string; details?: Readonly<Record<string, string>> };
