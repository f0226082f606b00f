/**
 * Downloading many files as one zip, built in the browser from presigned GETs (bytes go S3 →
 * browser only): the limits and the action's answer, each declared once. Client-safe and free of
 * zod (zod in the browser bundle trips the CSP): the action's input schema is in ./schemas.
 */
/** Download links one server action call hands out; the browser asks for the next ones as the zip proceeds. */
export const ZIP_LINKS_PER_CALL = 100;

/**
 * The largest zip built in memory (as a Blob), in a browser that cannot stream to disk (no File
 * System Access API): past it the person is told to pick fewer files or use a browser that can.
 */
export const ZIP_BLOB_MAX_BYTES = 2 * 1024 ** 3;

/** A presigned GET for one key, in the order asked. */
export interface ZipLink {
  key: string;
  url: string;
}

/** One file of a folder's zip: its key and its path in the zip (`Trip/Day 1/a.jpg`, lib/files/zip-names.ts). */
export interface ZipFolderFile {
  key: string;
  /** The folder's name, the folders inside it, the file's name, joined with `/`. */
  name: string;
  size: number;
  /** ISO 8601. */
  lastModified: string;
}

/** The name a zip of the person's files is saved under: `Cubby files 2026-05-01.zip` (the browser's local date). */
export function zipFileName(now: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `Cubby files ${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.zip`;
}
