import { s3Errors } from './errors.ts';

/** Longest key S3 accepts, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/** One query parameter as received: name and value, percent-decoded (`+` stays `+`). */
export type QueryPair = readonly [name: string, value: string];

/** Where a path-style request points: `/{bucket}/{key}`; both empty for `/`. */
export interface S3Target {
  bucket: string;
  /** Decoded key; empty for bucket-level requests. */
  key: string;
  /** `/{bucket}/{key}` re-encoded the way SigV4 canonicalises S3 paths (each byte once, `/` kept). */
  canonicalPath: string;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw s3Errors.invalidUri();
  }
}

/**
 * RFC 3986 encoding used by SigV4: everything but `A-Z a-z 0-9 - _ . ~` is percent-encoded
 * (UTF-8, upper-case hex). This is also what the AWS SDKs put in S3 request paths.
 */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Splits a raw request target (`req.url`, still percent-encoded) into bucket and key. The raw
 * form is used rather than WHATWG URL parsing, which would resolve `..` segments that are
 * legal in S3 keys. Throws InvalidURI for malformed percent-encoding.
 */
export function parseTarget(rawUrl: string): S3Target {
  const rawPath = rawUrl.split('?', 1)[0] ?? '/';
  const withoutSlash = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  const slash = withoutSlash.indexOf('/');
  const rawBucket = slash < 0 ? withoutSlash : withoutSlash.slice(0, slash);
  const rawKey = slash < 0 ? '' : withoutSlash.slice(slash + 1);
  const bucket = decode(rawBucket);
  const key = decode(rawKey);
  const canonicalPath = `/${rawPath
    .slice(1)
    .split('/')
    .map((segment) => uriEncode(decode(segment)))
    .join('/')}`;
  return { bucket, key, canonicalPath };
}

/** Query parameters in order of appearance; `?uploads` gives `['uploads', '']`. */
export function parseQuery(rawUrl: string): QueryPair[] {
  const index = rawUrl.indexOf('?');
  if (index < 0) return [];
  const pairs: QueryPair[] = [];
  for (const part of rawUrl.slice(index + 1).split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = equals < 0 ? part : part.slice(0, equals);
    const value = equals < 0 ? '' : part.slice(equals + 1);
    pairs.push([decode(name), decode(value)]);
  }
  return pairs;
}

/** The first value of a query parameter (names are case-sensitive, as in S3). */
export function queryValue(pairs: readonly QueryPair[], name: string): string | undefined {
  return pairs.find(([candidate]) => candidate === name)?.[1];
}

export function hasQuery(pairs: readonly QueryPair[], name: string): boolean {
  return pairs.some(([candidate]) => candidate === name);
}

/** Throws KeyTooLongError for keys over 1024 UTF-8 bytes. */
export function validateKey(key: string): void {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) throw s3Errors.keyTooLong(bytes);
}

/** The value of a single-valued request header (first one if repeated). */
export function headerValue(headers: NodeJS.Dict<string | string[]>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Splits `x-amz-copy-source` (`[/]bucket/key[?versionId=…]`, URL-encoded) into bucket and key. */
export function parseCopySource(value: string): { bucket: string; key: string } {
  const withoutVersion = value.split('?', 1)[0] ?? '';
  const path = withoutVersion.startsWith('/') ? withoutVersion.slice(1) : withoutVersion;
  const slash = path.indexOf('/');
  const invalid = () => s3Errors.invalidArgument('Invalid copy source object key', 'x-amz-copy-source', value);
  if (slash <= 0 || slash === path.length - 1) throw invalid();
  try {
    return { bucket: decodeURIComponent(path.slice(0, slash)), key: decodeURIComponent(path.slice(slash + 1)) };
  } catch {
    throw invalid();
  }
}
