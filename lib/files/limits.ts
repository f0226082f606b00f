/**
 * Cubby's limits on files, each declared once. Pure and import-free: safe in client components
 * (the rename dialog, uploads, thumbnails), in the actions' zod schemas (lib/files/schemas.ts) and
 * in lib/aws/keys.ts.
 */

/**
 * Cubby's limit on a file name, in UTF-8 bytes: what common file systems accept, so a downloaded
 * file can always be saved under its name. Longer names are refused (never silently shortened).
 * With the longest key prefix (`private/{identityId}/`, under 70 bytes) a key stays far below
 * S3's 1,024 bytes.
 */
export const MAX_NAME_BYTES = 255;

/**
 * How many folders deep a file may be (`private/{id}/a/b/…/j/file` has 10). Each folder name obeys
 * the file-name rule ({@link MAX_NAME_BYTES}, one path segment).
 */
export const MAX_FOLDER_DEPTH = 10;

/**
 * The most UTF-8 bytes a folder path may take in a key (its segments joined by `/`, with the
 * trailing `/`). With the longest own prefix (`private/{identityId}/`, under 80 bytes) and a name
 * of {@link MAX_NAME_BYTES}, every file in every folder stays below S3's 1,024-byte key limit, so a
 * folder that exists always has room for any file name.
 */
export const MAX_FOLDER_PATH_BYTES = 640;

const encoder = new TextEncoder();

/** The length of `text` in UTF-8 bytes (what S3 and file systems count). */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/**
 * Whether a name as typed or picked fits {@link MAX_NAME_BYTES}: measured after trimming the
 * surrounding white space (which is never kept). The one test the browser, the server actions'
 * schemas and the key builder share.
 */
export function fitsNameLimit(name: string): boolean {
  return utf8Bytes(name.trim()) <= MAX_NAME_BYTES;
}

/** Whether a folder path (segments, outermost first) fits {@link MAX_FOLDER_DEPTH} and {@link MAX_FOLDER_PATH_BYTES}. */
export function fitsFolderLimits(path: readonly string[]): boolean {
  return (
    path.length <= MAX_FOLDER_DEPTH && path.reduce((sum, segment) => sum + utf8Bytes(segment) + 1, 0) <= MAX_FOLDER_PATH_BYTES
  );
}

/** What a person reads when a name is too long: the limit, and how long theirs is. */
export function nameTooLongMessage(name: string): string {
  return `Names can be at most ${MAX_NAME_BYTES} bytes (yours is ${utf8Bytes(name.trim()).toLocaleString('en')}). Shorten it and try again.`;
}

/** What a person reads when a folder would be too deep or its path too long. */
export const FOLDER_TOO_DEEP_MESSAGE = `Folders can be at most ${MAX_FOLDER_DEPTH} levels deep, and a folder's whole path at most ${MAX_FOLDER_PATH_BYTES} bytes. Choose a shorter name or another place.`;

/**
 * How long a presigned URL handed to the browser lives (uploads, downloads, previews, the gallery,
 * avatars), and never past its credentials (lib/aws/s3-client.ts `urlLifetime`). The browser asks
 * for preview URLs again before this runs out.
 */
export const PRESIGNED_URL_TTL_SECONDS = 15 * 60;

/** How many times one file may meet a taken name before its upload gives up (browser and server). */
export const MAX_NAME_ATTEMPTS = 8;

/** Files per page of a listing when the browser does not ask for more. */
export const DEFAULT_PAGE_SIZE = 50;

/** The most files one page of a listing holds (the browser reloads at most this many rows at once). */
export const MAX_PAGE_SIZE = 200;

/** The most keys one request for preview URLs takes (the browser asks in batches of this many). */
export const MAX_PREVIEW_KEYS = 100;

/** Part URLs handed out at once: with a multipart plan, and per request the browser makes for more. */
export const PART_URL_BATCH = 20;

/** Largest avatar upload accepted (a 512×512 PNG fits comfortably). */
export const AVATAR_MAX_BYTES = 1024 * 1024;

/** The most files one folder zip takes (its listing stops just past it and the zip is refused with `zip_too_many`). */
export const ZIP_FOLDER_MAX_FILES = 20_000;
