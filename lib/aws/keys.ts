/**
 * The only place S3 object keys are built. Pure (no SDK, no I/O), so it runs anywhere and is
 * tested with attack tables.
 *
 * Layout (Amplify's conventions, cognito-wire-facts §6.3; the IAM role policies in
 * lib/aws/policies.ts stand behind it): `private/{identityId}/{name}` for a person's files, and
 * `private/{identityId}/{folder}/…/{name}` for files in folders (a {@link FolderPath}; an empty
 * folder is a zero-byte marker `private/{identityId}/{folder}/…/`, as the S3 console makes),
 * `public/{identityId}/{name}` for what they publish, `protected/{identityId}/avatar` for their
 * avatar, `shared/{days}d/{identityId}/{secret}` for a share link's copy (see {@link shareAddress}). A file name is always exactly one path segment: whatever a person types can never
 * reach another prefix, and `..`, `.`, slashes and backslashes never act as path syntax.
 * A name longer than lib/files/limits.ts's MAX_NAME_BYTES is refused (`name_too_long`), never
 * shortened; only a collision suffix (`a (1).txt`) may shorten a name, and that name is returned.
 */
import { AppError } from '@/lib/errors';
import { fitsFolderLimits, fitsNameLimit, MAX_NAME_BYTES } from '@/lib/files/limits';
import { TRASH_PREFIX } from './policies';

/** S3's limit on a key, in UTF-8 bytes (cognito-wire-facts §7.6). */
export const MAX_KEY_BYTES = 1024;

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

function tooLong(name: string): AppError {
  return new AppError('name_too_long', `name of ${byteLength(name)} bytes`);
}

/**
 * A person's file name made safe to be one key segment and to be shown and downloaded:
 * Unicode NFC; lone surrogates replaced; control characters (C0, DEL, C1) and invisible format
 * characters (bidi overrides and isolates, zero-width characters, BOM...) removed, except the
 * joiner inside an emoji sequence; line separators and runs of white space become one space;
 * `/`, `\` and their look-alikes become `_`; leading dots and spaces and trailing spaces are
 * trimmed (so `.`, `..` and hidden-file names never survive); nothing left → `untitled`.
 * Idempotent: `safeFileName(safeFileName(x)) === safeFileName(x)`.
 * @throws {AppError} `name_too_long` when `name` (trimmed) or its safe form is longer than
 * MAX_NAME_BYTES (lib/files/limits.ts): names are refused, never silently shortened.
 */
export function safeFileName(name: string): string {
  if (!fitsNameLimit(name)) throw tooLong(name);
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
  // Cleaning only removes or replaces characters, but NFC can lengthen a few (composition exclusions).
  if (byteLength(cleaned) > MAX_NAME_BYTES) throw tooLong(cleaned);
  const { base, extension } = splitExtension(cleaned);
  // Within the limit, fitName cuts nothing: it only trims the space before the extension.
  return fitName(base, '', extension, MAX_NAME_BYTES);
}

/**
 * `name` with a collision counter before its extension: `("a.txt", 1)` → `"a (1).txt"`. The
 * base is shortened when needed (cut between graphemes, never inside a surrogate pair or an
 * emoji, extension kept) so the result is still a safe name within MAX_NAME_BYTES.
 * @throws {AppError} `name_too_long` as {@link safeFileName}.
 */
export function withCollisionSuffix(name: string, n: number): string {
  const { base, extension } = splitExtension(safeFileName(name));
  return fitName(base, ` (${n})`, extension, MAX_NAME_BYTES);
}

/**
 * The safe form of `name`, or the first of `name (1).ext`, `name (2).ext`... for which
 * `exists` is false. `exists` receives safe names (compare them with names from {@link fileNameOf}).
 * @throws {RangeError} after a million taken candidates; AppError `name_too_long` as {@link safeFileName}.
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

/**
 * Like {@link nextFreeName}, for a check that has to ask someone (S3): the first of `name (1).ext`,
 * `name (2).ext`... (never `name` itself) for which `isTaken` resolves false, asking `batch`
 * candidates at once in order. `isTaken` receives safe names.
 * @throws {RangeError} after `maxCandidates` taken candidates; AppError `name_too_long` as {@link safeFileName}.
 */
export async function nextFreeNameAfter(
  name: string,
  isTaken: (candidate: string) => Promise<boolean>,
  options: { batch?: number; maxCandidates?: number } = {},
): Promise<string> {
  const safe = safeFileName(name);
  const batch = Math.max(1, options.batch ?? 4);
  const maxCandidates = options.maxCandidates ?? 1000;
  for (let first = 1; first <= maxCandidates; first += batch) {
    const candidates = Array.from({ length: Math.min(batch, maxCandidates - first + 1) }, (_, index) =>
      withCollisionSuffix(safe, first + index),
    );
    const taken = await Promise.all(candidates.map(isTaken));
    const free = candidates.find((_, index) => !taken[index]);
    if (free !== undefined) return free;
  }
  throw new RangeError('no free file name');
}

/** `private/{identityId}/`: the folder only this person can read, list, write and delete. */
export function ownPrefix(identityId: string): string {
  return `private/${requireIdentityId(identityId)}/`;
}

/** `public/`: the public gallery, every publisher's `public/{identityId}/` folder under it; everyone (guests too) can read. */
export const GALLERY_PREFIX = 'public/';

/** `public/{identityId}/`: where this person publishes; everyone (guests too) can read. */
export function publicPrefix(identityId: string): string {
  return `${GALLERY_PREFIX}${requireIdentityId(identityId)}/`;
}

/**
 * The identity that published `key`: exactly `public/{identityId}/{name}` with a well-formed
 * identity id and a one-segment name, as {@link publicKey} builds it; null for any other key
 * (nested, another prefix, a malformed id).
 */
export function publisherOf(key: string): string | null {
  const match = /^public\/([^/]+)\/[^/]+$/.exec(key);
  return match?.[1] && isIdentityId(match[1]) ? match[1] : null;
}

function keyUnder(prefix: string, fileName: string): string {
  const key = `${prefix}${safeFileName(fileName)}`;
  // Prefixes are under 70 bytes and names at most MAX_NAME_BYTES: this only catches a broken limit.
  if (byteLength(key) > MAX_KEY_BYTES) throw new TypeError('key longer than S3 allows');
  return key;
}

/**
 * The key of a person's own file: `private/{identityId}/{safeFileName(fileName)}`.
 * @throws {TypeError} when `identityId` is not an identity id (a bug, never user input);
 * AppError `name_too_long` as {@link safeFileName}.
 */
export function ownFileKey(identityId: string, fileName: string): string {
  return keyUnder(ownPrefix(identityId), fileName);
}

/**
 * The key of a file the person publishes: `public/{identityId}/{safeFileName(name)}`.
 * @throws {TypeError} when `identityId` is not an identity id; AppError `name_too_long` as {@link safeFileName}.
 */
export function publicKey(identityId: string, name: string): string {
  return keyUnder(publicPrefix(identityId), name);
}

/** `protected/{identityId}/`: what this person shows other signed-in people (their avatar). */
export function protectedPrefix(identityId: string): string {
  return `protected/${requireIdentityId(identityId)}/`;
}

/**
 * The key of a person's avatar, `protected/{identityId}/avatar` (other signed-in people may read it).
 * @throws {TypeError} when `identityId` is not an identity id.
 */
export function avatarKey(identityId: string): string {
  return `${protectedPrefix(identityId)}avatar`;
}

/** `incoming/{identityId}/`: where this person's multipart uploads land before they get their name. */
export function incomingPrefix(identityId: string): string {
  return `incoming/${requireIdentityId(identityId)}/`;
}

const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The key a multipart upload is sent to, `incoming/{identityId}/{uuid}`: unique, so completing it
 * can never meet another file; the finished object is then copied, create-only, to its name
 * under `private/` (the next free one when that name was taken meanwhile) and removed from here.
 * The bucket expires anything left here after a day.
 * @throws {TypeError} when `identityId` is not an identity id or `uploadUuid` not a UUID.
 */
export function incomingKey(identityId: string, uploadUuid: string): string {
  if (!UPLOAD_ID.test(uploadUuid)) throw new TypeError('not an upload uuid');
  return `${incomingPrefix(identityId)}${uploadUuid}`;
}

/**
 * Every folder whose objects belong to this person, as the layout above and lib/aws/policies.ts
 * give them: what they published (`public/{identityId}/`), their avatar (`protected/{identityId}/`),
 * unfinished uploads (`incoming/{identityId}/`), their own files (`private/{identityId}/`) and
 * their trash (`trash/{identityId}/`). A person's credentials may list and delete in each; besides
 * these, only their share-link copies ({@link sharePrefixes}) are theirs.
 * @throws {TypeError} when `identityId` is not an identity id.
 */
export function prefixesOwnedBy(identityId: string): {
  published: string;
  avatar: string;
  uploads: string;
  files: string;
  trash: string;
} {
  return {
    published: publicPrefix(identityId),
    avatar: protectedPrefix(identityId),
    uploads: incomingPrefix(identityId),
    files: ownPrefix(identityId),
    trash: trashPrefix(identityId),
  };
}

/** Whether `key` is one of this person's incoming (not yet named) uploads, exactly as {@link incomingKey} builds it. */
export function isOwnIncomingKey(identityId: string, key: unknown): key is string {
  if (typeof key !== 'string' || !isIdentityId(identityId)) return false;
  const prefix = incomingPrefix(identityId);
  return key.startsWith(prefix) && UPLOAD_ID.test(key.slice(prefix.length));
}

/**
 * A folder inside a person's files: its names, outermost first (`['Photos', '2026']` is
 * `private/{identityId}/Photos/2026/`); `[]` is the top level. Valid when {@link isFolderPath}.
 */
export type FolderPath = readonly string[];

/**
 * Whether `segment` can be one folder's name: exactly its own {@link safeFileName} form (so not
 * empty, not `.` or `..`, no leading dot or space, no trailing space, no slash, backslash, control
 * or invisible character, NFC, within MAX_NAME_BYTES). A folder whose name starts with a dot (such
 * as a hidden trash) is never one of a person's folders.
 */
export function isFolderSegment(segment: unknown): segment is string {
  if (typeof segment !== 'string' || segment === '' || !segment.isWellFormed()) return false;
  try {
    return safeFileName(segment) === segment;
  } catch {
    return false;
  }
}

/**
 * Whether `path` is a valid {@link FolderPath}: every segment {@link isFolderSegment}, at most
 * MAX_FOLDER_DEPTH deep and within MAX_FOLDER_PATH_BYTES (lib/files/limits.ts).
 */
export function isFolderPath(path: unknown): path is FolderPath {
  return Array.isArray(path) && path.every(isFolderSegment) && fitsFolderLimits(path);
}

/**
 * A folder path from a URL's segments (already percent-decoded, as the `[[...path]]` route gets
 * them): a copy of `segments` when it is a valid {@link FolderPath}, `[]` for none, null for
 * anything else (`..`, `.`, empty or untrimmed segments, slashes, too deep or too long).
 */
export function parseFolderPath(segments: readonly string[] | undefined): string[] | null {
  if (segments === undefined) return [];
  return isFolderPath(segments) ? [...segments] : null;
}

function requireFolderPath(path: FolderPath): FolderPath {
  if (!Array.isArray(path) || !path.every(isFolderSegment)) throw new AppError('invalid_input', 'not a folder path');
  if (!fitsFolderLimits(path)) throw new AppError('folder_too_deep', `folder path of depth ${path.length}`);
  return path;
}

/**
 * `private/{identityId}/a/b/`: the prefix of the folder `path` (`[]` → `private/{identityId}/`).
 * @throws {TypeError} when `identityId` is not an identity id; AppError `invalid_input` when a
 * segment is not {@link isFolderSegment}, `folder_too_deep` past the depth or path limit.
 */
export function folderPrefix(identityId: string, path: FolderPath): string {
  const prefix = ownPrefix(identityId);
  return `${prefix}${requireFolderPath(path)
    .map((segment) => `${segment}/`)
    .join('')}`;
}

/**
 * The key of a person's file in a folder: `private/{identityId}/a/b/{safeFileName(fileName)}`
 * (`path` `[]` gives {@link ownFileKey}'s key).
 * @throws as {@link folderPrefix}; AppError `name_too_long` as {@link safeFileName}.
 */
export function ownFileKeyIn(identityId: string, path: FolderPath, fileName: string): string {
  return keyUnder(folderPrefix(identityId, path), fileName);
}

/**
 * The key of a folder's marker, `private/{identityId}/a/b/`: a zero-byte object (as the S3
 * console creates) so an empty folder exists and lists. `path` must not be empty.
 * @throws {TypeError} for `[]` (the top level has no marker); otherwise as {@link folderPrefix}.
 */
export function folderMarkerKey(identityId: string, path: FolderPath): string {
  if (path.length === 0) throw new TypeError('the top level has no folder marker');
  return folderPrefix(identityId, path);
}

/** A person's own file key read back: the folder it is in and its name. */
export interface OwnKeyParts {
  path: string[];
  name: string;
}

/** Whether `name` may be the last segment of an own key (lenient: names stored by other tools stay reachable). */
function isKeyName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\p{Cc}]/u.test(name);
}

/**
 * Reads one of this person's own file keys: `private/{identityId}/` + a valid {@link FolderPath}
 * (possibly empty) + a name that is non-empty, not `.` or `..`, without slash, backslash or
 * control character; the whole key well-formed and within {@link MAX_KEY_BYTES}. Null for
 * anything else (another person's key, a folder marker, traversal, a hidden folder, too deep).
 */
export function splitOwnKey(identityId: string, key: unknown): OwnKeyParts | null {
  if (typeof key !== 'string' || !isIdentityId(identityId)) return null;
  const prefix = ownPrefix(identityId);
  if (!key.startsWith(prefix) || !key.isWellFormed() || byteLength(key) > MAX_KEY_BYTES) return null;
  const path = key.slice(prefix.length).split('/');
  const name = path.pop() ?? '';
  return isKeyName(name) && isFolderPath(path) ? { path, name } : null;
}

/**
 * Whether `key` is one of this person's own files, at the top level or in a folder, exactly as
 * {@link splitOwnKey} reads it (folder markers are not files: see {@link isOwnFolderKey}). The
 * gate for every file key a browser sends.
 */
export function isOwnKey(identityId: string, key: unknown): key is string {
  return splitOwnKey(identityId, key) !== null;
}

/**
 * The folder path of one of this person's folder keys (a marker or a listing's common prefix,
 * `private/{identityId}/a/b/`, never the top level itself); null for anything else.
 */
export function folderPathOf(identityId: string, key: unknown): string[] | null {
  if (typeof key !== 'string' || !isIdentityId(identityId) || !key.endsWith('/')) return null;
  const prefix = ownPrefix(identityId);
  if (!key.startsWith(prefix) || key.length === prefix.length || !key.isWellFormed()) return null;
  const path = key.slice(prefix.length, -1).split('/');
  return isFolderPath(path) ? path : null;
}

/** Whether `key` is one of this person's folders (`private/{identityId}/a/b/`), as {@link folderMarkerKey} builds it. */
export function isOwnFolderKey(identityId: string, key: unknown): key is string {
  return folderPathOf(identityId, key) !== null;
}

/** The file name of a key: its last segment (`private/id/a.txt` → `a.txt`). */
export function fileNameOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** `shared/`: share links' copies; read by anyone who has a key (guests included), listed by nobody but each owner. */
export const SHARE_PREFIX = 'shared/';

/**
 * The whole-day lifetimes share copies are grouped by, so one prefix-filtered S3 lifecycle rule per
 * group expires them (`shared/{days}d/`): a link that lives an hour or a day is under `1d/`.
 */
export const SHARE_DAY_GROUPS = [1, 7, 30] as const;

/** One of {@link SHARE_DAY_GROUPS}. */
export type ShareDayGroup = (typeof SHARE_DAY_GROUPS)[number];

/** The random part of a share link: 128 bits as 32 lower-case hex digits. */
const SHARE_SECRET = /^[0-9a-f]{32}$/;
/** `{days}d.{region}.{uuid}.{secret}`: the link's day group, the owner's identity id (`:` as `.`) and the secret. */
const SHARE_TOKEN = /^(1|7|30)d\.([a-z]{2}(?:-[a-z]+)+-\d+)\.([0-9a-f-]{36})\.([0-9a-f]{32})$/;

function isShareDayGroup(days: number): days is ShareDayGroup {
  return (SHARE_DAY_GROUPS as readonly number[]).includes(days);
}

/** `shared/{days}d/`: every share copy of one day group (what its lifecycle rule filters on). */
export function shareGroupPrefix(days: ShareDayGroup): string {
  if (!isShareDayGroup(days)) throw new TypeError('not a share day group');
  return `${SHARE_PREFIX}${days}d/`;
}

/** `shared/{days}d/{identityId}/` for each day group: where this person's share copies are (only they may list them). */
export function sharePrefixes(identityId: string): string[] {
  requireIdentityId(identityId);
  return SHARE_DAY_GROUPS.map((days) => `${shareGroupPrefix(days)}${identityId}/`);
}

/** A share link's parts, as {@link parseShareToken} reads them from its token. */
export interface ShareAddress {
  /** The link's token, `{days}d.{region}.{uuid}.{secret}` (the path segment of `/s/{token}`). */
  token: string;
  /** The S3 key of the share copy, `shared/{days}d/{identityId}/{secret}`. */
  key: string;
  identityId: string;
  days: ShareDayGroup;
}

/**
 * The key and token of a share copy: `shared/{days}d/{identityId}/{secret}` and
 * `{days}d.{region}.{uuid}.{secret}`, which hold the same facts, so the /s page finds the copy
 * from the link alone (no listing, which nobody but the owner is allowed).
 * @throws {TypeError} when `identityId` is not an identity id, `days` not a day group or `secret` not 32 hex digits.
 */
export function shareAddress(identityId: string, days: ShareDayGroup, secret: string): ShareAddress {
  requireIdentityId(identityId);
  if (!SHARE_SECRET.test(secret)) throw new TypeError('not a share secret');
  const key = `${shareGroupPrefix(days)}${identityId}/${secret}`;
  return { token: `${days}d.${identityId.replace(':', '.')}.${secret}`, key, identityId, days };
}

/**
 * Reads a share link's token strictly (exactly the shape {@link shareAddress} makes, nothing
 * more: no other characters, no padding, lower-case hex); null for anything else.
 */
export function parseShareToken(token: unknown): ShareAddress | null {
  if (typeof token !== 'string' || token.length > 120) return null;
  const match = SHARE_TOKEN.exec(token);
  if (!match?.[1] || !match[2] || !match[3] || !match[4]) return null;
  const days = Number(match[1]);
  const identityId = `${match[2]}:${match[3]}`;
  if (!isShareDayGroup(days) || !isIdentityId(identityId)) return null;
  return shareAddress(identityId, days, match[4]);
}

/** The share address of `key` when it is exactly one of this person's share copies (as {@link shareAddress} builds them), else null. */
export function ownShareAddress(identityId: string, key: string): ShareAddress | null {
  const match = /^shared\/(1|7|30)d\/([^/]+)\/([0-9a-f]{32})$/.exec(key);
  if (!match?.[1] || !match[2] || !match[3] || match[2] !== identityId || !isIdentityId(identityId)) return null;
  const days = Number(match[1]);
  return isShareDayGroup(days) ? shareAddress(identityId, days, match[3]) : null;
}

/** `trash/{identityId}/`: this person's trash (only they may list, read, write and delete there: lib/aws/policies.ts). */
export function trashPrefix(identityId: string): string {
  return `${TRASH_PREFIX}${requireIdentityId(identityId)}/`;
}

/** A trash batch: when it was deleted (ms since the epoch) and 64 random bits as 16 lower-case hex digits. */
const TRASH_BATCH = /^(\d{1,16})-([0-9a-f]{16})$/;

/**
 * The name of one delete's batch in the trash, `{deletedAt ms}-{random}`: everything deleted
 * together shares it (so Undo restores exactly that delete), and the time in it says when the
 * entries leave the trash, without a HeadObject.
 * @throws {TypeError} when `deletedAt` is not a non-negative integer or `random` not 16 lower-case hex digits.
 */
export function trashBatch(deletedAt: number, random: string): string {
  const batch = `${deletedAt}-${random}`;
  if (!Number.isSafeInteger(deletedAt) || deletedAt < 0 || !TRASH_BATCH.test(batch)) throw new TypeError('not a trash batch');
  return batch;
}

/** Whether `batch` is a trash batch name as {@link trashBatch} makes it. */
export function isTrashBatch(batch: unknown): batch is string {
  return typeof batch === 'string' && TRASH_BATCH.test(batch);
}

/**
 * `trash/{identityId}/{batch}/`: everything one delete moved to the trash.
 * @throws {TypeError} when `identityId` is not an identity id or `batch` not a trash batch.
 */
export function trashBatchPrefix(identityId: string, batch: string): string {
  if (!isTrashBatch(batch)) throw new TypeError('not a trash batch');
  return `${trashPrefix(identityId)}${batch}/`;
}

/** The part of one of this person's own keys after `private/{identityId}/` (a file, or a folder marker ending in `/`), or null. */
function ownRelativePath(identityId: string, key: string): string | null {
  if (!isOwnKey(identityId, key) && !isOwnFolderKey(identityId, key)) return null;
  return key.slice(ownPrefix(identityId).length);
}

/**
 * Where one of the person's own files (or folder markers) goes when deleted:
 * `trash/{identityId}/{batch}/{its path under private/{identityId}/}`, so the trash keeps the
 * folder it came from and {@link parseTrashKey} reads the way back from the key alone.
 * @throws {TypeError} when `identityId` is not an identity id, `batch` not a trash batch or
 * `originalKey` not one of the person's own file or folder keys; AppError `name_too_long` when the
 * trash key would pass S3's {@link MAX_KEY_BYTES} (a key within a few bytes of the limit).
 */
export function trashKey(identityId: string, batch: string, originalKey: string): string {
  const relative = ownRelativePath(identityId, originalKey);
  if (relative === null) throw new TypeError('not one of the person’s own keys');
  const key = `${trashBatchPrefix(identityId, batch)}${relative}`;
  if (byteLength(key) > MAX_KEY_BYTES) throw new AppError('name_too_long', 'trash key longer than S3 allows');
  return key;
}

/** One entry of a person's trash, as {@link parseTrashKey} reads it from its key. */
export interface TrashAddress {
  /** The trash object's key, `trash/{identityId}/{batch}/{path}`. */
  key: string;
  batch: string;
  /** When it was deleted, ms since the epoch. */
  deletedAt: number;
  /** Where it was: the own key to restore it to (`private/{identityId}/{path}`). */
  originalKey: string;
  /** The folder it was in (`[]` for the top level); for a folder marker, the folder's own path. */
  path: string[];
  /** Its file name; for a folder marker, the folder's name. */
  name: string;
  /** Whether it is a folder marker (an empty folder that was deleted). */
  isFolder: boolean;
}

/**
 * Reads one of this person's trash keys strictly (exactly as {@link trashKey} builds it: a batch,
 * then a path that is one of their own file or folder keys under `private/`); null for anything
 * else, including another person's trash.
 */
export function parseTrashKey(identityId: string, key: unknown): TrashAddress | null {
  if (typeof key !== 'string' || !isIdentityId(identityId)) return null;
  const prefix = trashPrefix(identityId);
  if (!key.startsWith(prefix) || byteLength(key) > MAX_KEY_BYTES) return null;
  const rest = key.slice(prefix.length);
  const slash = rest.indexOf('/');
  const match = TRASH_BATCH.exec(rest.slice(0, Math.max(0, slash)));
  if (!match?.[1]) return null;
  const originalKey = `${ownPrefix(identityId)}${rest.slice(slash + 1)}`;
  const folder = folderPathOf(identityId, originalKey);
  if (folder) {
    return {
      key,
      batch: match[0],
      deletedAt: Number(match[1]),
      originalKey,
      path: folder,
      name: folder.at(-1) ?? '',
      isFolder: true,
    };
  }
  const parts = splitOwnKey(identityId, originalKey);
  if (!parts) return null;
  return { key, batch: match[0], deletedAt: Number(match[1]), originalKey, path: parts.path, name: parts.name, isFolder: false };
}
