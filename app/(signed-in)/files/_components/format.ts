/** Display helpers for the file manager: sizes, dates, durations and MIME families. Pure. */

import { fitsNameLimit, nameTooLongMessage } from '@/lib/files/limits';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** A byte count for people, in powers of 1,024: `0 B`, `812 B`, `1.4 MB`, `12 GB`. */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${Number(value.toFixed(digits)).toLocaleString()} ${UNITS[unit]}`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO 8601 instant in the reader's locale and time zone. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date);
}

/** Bytes per second as `3.2 MB/s`. */
export function formatSpeed(bytesPerSecond: number): string {
  return `${(bytesPerSecond / 1024 ** 2).toFixed(1)} MB/s`;
}

/** Seconds left as `8 s left`, `4 min left`, `2 h 5 min left`. */
export function formatTimeLeft(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return `${Math.ceil(seconds)} s left`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min left`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

export type MimeFamily = 'image' | 'pdf' | 'text' | 'archive' | 'audio' | 'video' | 'other';

const ARCHIVES = new Set([
  'application/zip',
  'application/gzip',
  'application/x-tar',
  'application/x-7z-compressed',
  'application/x-rar-compressed',
]);

/** The icon family of a MIME type. */
export function mimeFamily(type: string): MimeFamily {
  const essence = type.split(';')[0]?.trim().toLowerCase() ?? '';
  if (essence === 'application/pdf') return 'pdf';
  if (ARCHIVES.has(essence)) return 'archive';
  if (essence === 'application/json' || essence.startsWith('text/')) return 'text';
  const top = essence.split('/')[0];
  return top === 'image' || top === 'audio' || top === 'video' ? top : 'other';
}

export const FAMILY_LABELS: Record<MimeFamily, string> = {
  image: 'Image',
  pdf: 'PDF',
  text: 'Text',
  archive: 'Archive',
  audio: 'Audio',
  video: 'Video',
  other: 'File',
};

/** Raster images S3 serves inline (lib/aws/content-types.ts): the only ones with thumbnails. */
const THUMBNAIL_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

export function hasThumbnail(type: string): boolean {
  return THUMBNAIL_TYPES.has(type);
}

/** How the preview dialog shows a file of this type. */
export function previewKind(type: string): 'image' | 'pdf' | 'text' | 'none' {
  if (hasThumbnail(type)) return 'image';
  const family = mimeFamily(type);
  return family === 'pdf' || family === 'text' ? family : 'none';
}

/**
 * Why `name` cannot be a file name, or null when it can: the server neutralises anything hostile
 * anyway (lib/aws/keys.ts); this only gives quick feedback for what it would refuse or rewrite.
 */
export function fileNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (!trimmed) return 'Enter a name.';
  if (trimmed === '.' || trimmed === '..') return 'That name is reserved.';
  if (/[/\\]/.test(trimmed)) return 'A name cannot contain / or \\.';
  if (/\p{Cc}/u.test(trimmed)) return 'A name cannot contain control characters.';
  if (!fitsNameLimit(trimmed)) return nameTooLongMessage(trimmed);
  return null;
}
