import { s3Errors } from './errors.ts';

/** An inclusive byte range of an object. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Resolves a `Range` header against an object of `size` bytes, as S3 does: one range of
 * `bytes=a-b`, `bytes=a-` or `bytes=-n`; `end` past the object is clipped. Returns null when
 * the whole object should be sent (no header, a syntax S3 ignores, or several ranges).
 * Throws InvalidRange (416) when the range starts at or past the end, or asks for zero bytes.
 */
export function resolveRange(header: string | undefined, size: number): ByteRange | null {
  if (header === undefined) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw s3Errors.invalidRange(header, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return null;
  if (start >= size) throw s3Errors.invalidRange(header, size);
  return { start, end };
}

/** `Content-Range` for a partial response: `bytes 0-99/1234`. */
export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}
