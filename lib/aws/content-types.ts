/**
 * How stored files are served: the Content-Type and Content-Disposition a presigned GET asks S3
 * to answer with (ASVS 5.4.1/5.4.2; security-requirements Part 5, "content-type spoofing").
 * Pure, so it is tested with injection tables.
 *
 * Only a short allow-list of raster image types may be shown inline, and only when the file's
 * extension agrees with the type and its first bytes carry that type's magic number
 * ({@link hasImageSignature}, checked by lib/aws/s3-presign.ts); everything else (HTML, SVG, XML, JavaScript, PDF...) is a
 * download served as `application/octet-stream`, so nothing a person uploaded ever runs as a page.
 */

/** Raster image types shown inline, with the extensions each must carry. */
const INLINE_IMAGE_TYPES: Readonly<Record<string, readonly string[]>> = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'image/avif': ['avif'],
};

/** What every download that is not an allow-listed image is served as. */
export const DOWNLOAD_CONTENT_TYPE = 'application/octet-stream';

/** A MIME type as uploads may declare it: `type/subtype` with optional simple parameters. */
const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}(?:; ?[a-z0-9_.-]+=[a-z0-9_.-]+){0,4}$/i;

/** Whether `value` is a well-formed Content-Type to sign into an upload URL (no CR/LF, no junk). */
export function isValidContentType(value: string): boolean {
  return value.length <= 256 && CONTENT_TYPE.test(value);
}

function essence(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * The allow-listed image type to show `fileName` inline as, or null. Both the declared type and
 * the name's extension must agree (`image/png` + `.png`), so a renamed `evil.html` claiming to be
 * a PNG is still a download.
 */
export function inlineImageType(contentType: string, fileName: string): string | null {
  const type = essence(contentType);
  const extensions = INLINE_IMAGE_TYPES[type];
  const extension = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return extensions && extension && extensions.includes(extension) ? type : null;
}

/** How many leading bytes {@link hasImageSignature} looks at (what a preview reads from S3). */
export const SNIFF_BYTES = 64;

function startsWith(bytes: Uint8Array, offset: number, expected: readonly number[] | string): boolean {
  const values = typeof expected === 'string' ? [...expected].map((char) => char.charCodeAt(0)) : expected;
  if (bytes.length < offset + values.length) return false;
  return values.every((value, index) => bytes[offset + index] === value);
}

/** AVIF is an ISO-BMFF file: a leading `ftyp` box whose major or a compatible brand is `avif`/`avis`. */
function isAvif(bytes: Uint8Array): boolean {
  if (!startsWith(bytes, 4, 'ftyp')) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) return false;
  const boxEnd = Math.min(view.getUint32(0), bytes.length);
  const brands = [8, ...Array.from({ length: Math.max(0, Math.floor((boxEnd - 16) / 4)) }, (_, index) => 16 + index * 4)];
  return brands.some((offset) => startsWith(bytes, offset, 'avif') || startsWith(bytes, offset, 'avis'));
}

/** The magic numbers of each inline image type (see {@link INLINE_IMAGE_TYPES}). */
const SIGNATURES: Readonly<Record<string, (bytes: Uint8Array) => boolean>> = {
  'image/png': (bytes) => startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (bytes) => startsWith(bytes, 0, [0xff, 0xd8, 0xff]),
  'image/gif': (bytes) => startsWith(bytes, 0, 'GIF87a') || startsWith(bytes, 0, 'GIF89a'),
  'image/webp': (bytes) => startsWith(bytes, 0, 'RIFF') && startsWith(bytes, 8, 'WEBP'),
  'image/avif': isAvif,
};

/**
 * Whether `head` (a file's first bytes, {@link SNIFF_BYTES} are enough) starts with the magic
 * number of the allow-listed image type `contentType`. False for any other type, and for HTML,
 * SVG, scripts or anything else that merely claims to be an image. Checks the signature only: a
 * file that starts like a PNG and is broken after that still passes (it renders as a broken image,
 * never as a page).
 */
export function hasImageSignature(contentType: string, head: Uint8Array): boolean {
  return SIGNATURES[essence(contentType)]?.(head) ?? false;
}

/**
 * A printable-ASCII stand-in for `fileName` for the plain `filename="..."` parameter: accents
 * dropped (é → e), other non-ASCII and every character that could break out of the quoted string
 * or the header (CR, LF, other controls, `"`, `\`, `%`) become `_`.
 */
export function asciiFileName(fileName: string): string {
  const ascii = fileName
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7E]|["\\%]/gu, '_')
    .trim();
  return ascii || 'download';
}

/** RFC 5987 `ext-value` characters: attr-char stays, everything else is %-encoded UTF-8. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A Content-Disposition value (RFC 6266): `attachment; filename="<ascii>"; filename*=UTF-8''<utf-8>`
 * (or `inline; ...`). Control characters and quotes are removed from the name first, so the
 * result is one header line whatever the name holds.
 */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const clean = fileName.toWellFormed().replace(/[\p{Cc}"\\]/gu, '') || 'download';
  return `${kind}; filename="${asciiFileName(clean)}"; filename*=UTF-8''${encodeRfc5987(clean)}`;
}

/** The response headers a presigned GET asks S3 to serve a file with. */
export interface DownloadHeaders {
  contentType: string;
  contentDisposition: string;
}

/**
 * Response headers for downloading `fileName`: an allow-listed image whose extension matches is
 * `inline` with its own type when `allowInline`; anything else is an `attachment` served as
 * {@link DOWNLOAD_CONTENT_TYPE}.
 */
export function downloadHeaders(fileName: string, contentType: string, allowInline = true): DownloadHeaders {
  const image = allowInline ? inlineImageType(contentType, fileName) : null;
  return image
    ? { contentType: image, contentDisposition: contentDisposition('inline', fileName) }
    : { contentType: DOWNLOAD_CONTENT_TYPE, contentDisposition: contentDisposition('attachment', fileName) };
}
