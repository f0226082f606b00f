import { s3Errors } from './errors.ts';

/**
 * Orders strings by their UTF-8 bytes (= by code point), as S3 lists keys. Plain `<` compares
 * UTF-16 units, which puts U+E000–U+FFFF after astral characters; this corrects that.
 */
export function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    let x = a.charCodeAt(index);
    let y = b.charCodeAt(index);
    if (x === y) continue;
    // Lift surrogates above U+E000–U+FFFF so UTF-16 order becomes code point order.
    if (x >= 0xd800 && x <= 0xdfff) x += 0x2000;
    else if (x >= 0xe000) x -= 0x800;
    if (y >= 0xd800 && y <= 0xdfff) y += 0x2000;
    else if (y >= 0xe000) y -= 0x800;
    return x - y;
  }
  return a.length - b.length;
}

/** The bucket's keys kept sorted in UTF-8 order, with binary search for listing. */
export class SortedKeys {
  private readonly keys: string[];

  constructor(keys: Iterable<string> = []) {
    this.keys = [...keys].sort(compareUtf8);
  }

  get length(): number {
    return this.keys.length;
  }

  at(index: number): string | undefined {
    return this.keys[index];
  }

  /** First index whose key is >= `key` (or > `key` when `strict`). */
  bound(key: string, strict = false): number {
    let low = 0;
    let high = this.keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const order = compareUtf8(this.keys[middle] ?? '', key);
      if (order < 0 || (strict && order === 0)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** First index at or after `from` whose key does not start with `prefix` (keys sharing a prefix are contiguous). */
  afterGroup(prefix: string, from: number): number {
    let low = from;
    let high = this.keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const key = this.keys[middle] ?? '';
      if (key.startsWith(prefix) || compareUtf8(key, prefix) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  insert(key: string): void {
    const index = this.bound(key);
    if (this.keys[index] !== key) this.keys.splice(index, 0, key);
  }

  remove(key: string): void {
    const index = this.bound(key);
    if (this.keys[index] === key) this.keys.splice(index, 1);
  }
}

export interface ListRequest {
  prefix: string;
  delimiter: string;
  /** 0-1000 (the caller caps it). */
  maxKeys: number;
  startAfter: string;
  continuationToken?: string;
}

export interface ListPage {
  keys: string[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextContinuationToken?: string;
  /** The last key or common prefix on a truncated page: ListObjects (v1) `NextMarker`. */
  nextMarker?: string;
}

/** Opaque to clients: the last key or common prefix returned, tagged K or P. */
function encodeToken(marker: string, isPrefix: boolean): string {
  return Buffer.from(`${isPrefix ? 'P' : 'K'}${marker}`, 'utf8').toString('base64');
}

function decodeToken(token: string): { marker: string; isPrefix: boolean } {
  const text = /^[A-Za-z0-9+/]+={0,2}$/.test(token) ? Buffer.from(token, 'base64').toString('utf8') : '';
  const kind = text[0];
  if (kind !== 'K' && kind !== 'P') {
    throw s3Errors.invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  }
  return { marker: text.slice(1), isPrefix: kind === 'P' };
}

/**
 * One ListObjectsV2 page (ListObjects v1 too, its `marker` as `startAfter`): keys under `prefix`
 * after `startAfter` (or after the continuation token's position), with keys sharing
 * `prefix + … + delimiter` rolled up into one common prefix; a marker equal to a common prefix
 * skips that whole group (v1 `marker=photos/` resumes after `photos/`).
 * Keys and common prefixes both count towards `maxKeys`. Throws InvalidArgument for a bad token.
 */
export function listPage(index: SortedKeys, request: ListRequest): ListPage {
  const { prefix, delimiter, maxKeys } = request;
  const page: ListPage = { keys: [], commonPrefixes: [], isTruncated: false };
  const position = request.continuationToken
    ? decodeToken(request.continuationToken)
    : { marker: request.startAfter, isPrefix: false };
  if (maxKeys === 0) return page;

  let cursor = index.bound(prefix);
  if (position.marker !== '') cursor = Math.max(cursor, index.bound(position.marker, true));
  if (position.isPrefix) cursor = index.afterGroup(position.marker, cursor);

  let last = { marker: '', isPrefix: false };
  while (cursor < index.length) {
    const key = index.at(cursor) ?? '';
    if (!key.startsWith(prefix)) break;
    const cut = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
    const item = cut < 0 ? key : key.slice(0, cut + delimiter.length);
    if (cut >= 0 && item === position.marker) {
      // ListObjects v1 pages on NextMarker, which may be the common prefix just returned.
      cursor = index.afterGroup(item, cursor);
      continue;
    }
    if (page.keys.length + page.commonPrefixes.length === maxKeys) {
      page.isTruncated = true;
      page.nextContinuationToken = encodeToken(last.marker, last.isPrefix);
      page.nextMarker = last.marker;
      break;
    }
    if (cut < 0) {
      page.keys.push(key);
      cursor += 1;
    } else {
      page.commonPrefixes.push(item);
      cursor = index.afterGroup(item, cursor);
    }
    last = { marker: item, isPrefix: cut >= 0 };
  }
  return page;
}
