/**
 * The only place S3 object keys are built. Pure (no SDK, no I/O), so it runs anywhere and is
 * tested with attack tables.
 *
 * Layout (Amplify's conventions, cognito-wire-facts §6.3; the IAM role policies in
 * lib/aws/policies.ts stand behind it): `private/{identityId}/{name}` for a person's files,
 * `public/{identityId}/{name}` for what they publish, `protected/{identityId}/avatar` for their
 * avatar. A file name is always exactly one path segment: whatever a person types can never
 * reach another prefix, and `..`, `.`, slashes and backslashes never act as path syntax.
 */

/** S3's limit on a key, in UTF-8 bytes (cognito-wire-facts §7.6). */
export const MAX_KEY_BYTES = 1024;

/**
 * Cubby's limit on a file name, in UTF-8 bytes: what common file systems accept, so a
 * downloaded file can always be saved under its name. Keys stay far below {@link MAX_KEY_BYTES}.
 */
export const MAX_NAME_BYTES = 255;

/** The name used when nothing printable is left of what a person typed. */
export const UNTITLED = 'untitled';

/** An Identity Pool identity id, `<region>:<uuid>` (it contains a colon; the SDK encodes it). */
const IDENTITY_ID = /^[a-z]{2}(?:-[a-z]+)+-\d+:[0-9a-f-]{36}$/;

const encoder = new TextEncoder();
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/** Whether `identityId` is a well-formed Identity Pool identity id. */
export function isIdentityId(identityId: unknown): identityId is string {
  return typeof identityId === 'string' && IDENTITY_ID.test(identityId);
}

function requireIdentityId(identityId: string): string {
  if (!isIdentityId(identityId)) throw new TypeError('not an Identity Pool identity id');
  return identityId;
}

/** Control characters: C0 (incl. NUL, TAB, CR, LF), DEL and C1. */
const CONTROL = /\p{Cc}/gu;
/**
 * Invisible format characters (soft hyphen, zero-width space/joiners, LRM/RLM/ALM, bidi
 * embeddings, overrides and isolates U+202A-202E / U+2066-2069, word joiner, BOM, tags...).
 * A zero-width joiner inside an emoji sequence (👩‍💻) is kept.
 */
const FORMAT = /\p{Cf}/gu;
const ZWJ = '\u200D';
const BEFORE_EMOJI_JOIN = /[\p{Extended_Pictographic}\p{Emoji_Modifier}]\uFE0F?$/u;
const AFTER_EMOJI_JOIN = /^\p{Extended_Pictographic}/u;
/** Slashes, backslashes and their look-alikes: a name is one path segment. */
const SEPARATORS = /[/\\\u2044\u2215\u29F8\u29F9\uFF0F\uFF3C]/gu;
/** An extension: a final dot and 1-16 characters that are neither dots nor spaces. */
const EXTENSION = /\.[^.\s]{1,16}$/u;

/** Whether the zero-width joiner at `offset` sits inside an emoji sequence (👩‍💻, 👨‍👩‍👧). */
function joinsEmoji(text: string, offset: number): boolean {
  return (
    BEFORE_EMOJI_JOIN.test(text.slice(Math.max(0, offset - 3), offset)) &&
    AFTER_EMOJI_JOIN.test(text.slice(offset + 1, offset + 3))
  );
}

/** Splits a name into its base and extension (`.ext`, or '' when there is none). */
function splitExtension(name: string): { base: string; extension: string } {
  const extension = EXTENSION.exec(name)?.[0] ?? '';
  if (extension.length === name.length) return { base: name, extension: '' };
  return { base: name.slice(0, name.length - extension.length), extension };
}

/** The longest prefix of `text` within `maxBytes` UTF-8 bytes, cut between graphemes. */
function truncateBytes(text: string, maxBytes: number): string {
  if (byteLength(text) <= maxBytes) return text;
  let result = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = byteLength(segment);
    if (used + size > maxBytes) break;
    result += segment;
    used += size;
  }
  return result;
}

/** Cuts the base (never the extension) so the whole name fits `maxBytes`. */
function fitName(base: string, suffix: string, extension: string, maxBytes: number): string {
  const room = maxBytes - byteLength(suffix) - byteLength(extension);
  const cut = truncateBytes(base, Math.max(0, room)).trimEnd();
  const name = `${cut || UNTITLED}${suffix}${extension}`;
  // Only an absurdly small budget gets here: then the extension goes too.
  return byteLength(name) <= maxBytes ? name : truncateBytes(name, maxBytes);
}

/**
 * A person's file name made safe to be one key segment and to be shown and downloaded:
 * Unicode NFC; lone surrogates replaced; control characters (C0, DEL, C1) and invisible format
 * characters (bidi overrides and isolates, zero-width characters, BOM...) removed, except the
 * joiner inside an emoji sequence; line separators and runs of white space become one space;
 * `/`, `\` and their look-alikes become `_`; leading dots and spaces and trailing spaces are
 * trimmed (so `.`, `..` and hidden-file names never survive); nothing left → `untitled`.
 * Longer than `maxBytes` (default {@link MAX_NAME_BYTES}) UTF-8 bytes → the base is cut between
 * graphemes (never inside a surrogate pair or an emoji) and the extension kept.
 * Idempotent: `safeFileName(safeFileName(x)) === safeFileName(x)`.
 */
export function safeFileName(name: string, maxBytes: number = MAX_NAME_BYTES): string {
  const cleaned = name
    .toWellFormed()
    .normalize('NFC')
    .replace(CONTROL, '')
    .replace(FORMAT, (char, offset: number, whole: string) => (char === ZWJ && joinsEmoji(whole, offset) ? char : ''))
    .replace(SEPARATORS, '_')
    .replace(/\s+/gu, ' ')
    .replace(/^[.\s]+/u, '')
    .trimEnd();
  if (!cleaned) return UNTITLED;
  const { base, extension } = splitExtension(cleaned);
  return fitName(base, '', extension, Math.min(maxBytes, MAX_NAME_BYTES));
}

/**
 * `name` with a collision counter before its extension: `("a.txt", 1)` → `"a (1).txt"`. The
 * base is shortened when needed so the result is still a safe name within {@link MAX_NAME_BYTES}.
 */
export function withCollisionSuffix(name: string, n: number): string {
  const { base, extension } = splitExtension(safeFileName(name));
  return fitName(base, ` (${n})`, extension, MAX_NAME_BYTES);
}

/**
 * The safe form of `name`, or the first of `name (1).ext`, `name (2).ext`... for which
 * `exists` is false. `exists` receives safe names (compare them with names from {@link fileNameOf}).
 * @throws {RangeError} after a million taken candidates.
 */
export function nextFreeName(name: string, exists: (candidate: string) => boolean): string {
  const safe = safeFileName(name);
  if (!exists(safe)) return safe;
  for (let n = 1; n <= 1_000_000; n += 1) {
    const candidate = withCollisionSuffix(safe, n);
    if (!exists(candidate)) return candidate;
  }
  throw new RangeError('no free file name');
}

/** `private/{identityId}/`: the folder only this person can read, list, write and delete. */
export function ownPrefix(identityId: string): string {
  return `private/${requireIdentityId(identityId)}/`;
}

/** `public/{identityId}/`: where this person publishes; everyone (guests too) can read. */
export function publicPrefix(identityId: string): string {
  return `public/${requireIdentityId(identityId)}/`;
}

function keyUnder(prefix: string, fileName: string): string {
  return `${prefix}${safeFileName(fileName, MAX_KEY_BYTES - byteLength(prefix))}`;
}

/**
 * The key of a person's own file: `private/{identityId}/{safeFileName(fileName)}`.
 * @throws {TypeError} when `identityId` is not an identity id (a bug, never user input).
 */
export function ownFileKey(identityId: string, fileName: string): string {
  return keyUnder(ownPrefix(identityId), fileName);
}

/**
 * The key of a file the person publishes: `public/{identityId}/{safeFileName(name)}`.
 * @throws {TypeError} when `identityId` is not an identity id.
 */
export function publicKey(identityId: string, name: string): string {
  return keyUnder(publicPrefix(identityId), name);
}

/**
 * The key of a person's avatar, `protected/{identityId}/avatar` (other signed-in people may read it).
 * @throws {TypeError} when `identityId` is not an identity id.
 */
export function avatarKey(identityId: string): string {
  return `protected/${requireIdentityId(identityId)}/avatar`;
}

/**
 * Whether `key` is one of this person's own files: exactly `private/{identityId}/` followed by a
 * single non-empty segment that is not `.` or `..`, has no slash, backslash or control
 * character, and a whole key within {@link MAX_KEY_BYTES}. The gate for every key a browser sends.
 */
export function isOwnKey(identityId: string, key: unknown): key is string {
  if (typeof key !== 'string' || !isIdentityId(identityId)) return false;
  const prefix = `private/${identityId}/`;
  if (!key.startsWith(prefix) || !key.isWellFormed() || byteLength(key) > MAX_KEY_BYTES) return false;
  const name = key.slice(prefix.length);
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\p{Cc}]/u.test(name);
}

/** The file name of a key: its last segment (`private/id/a.txt` → `a.txt`). */
export function fileNameOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}
