import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * A compact, lossless packing of Cognito's three tokens for the session cookie.
 *
 * Sealing the tokens as JSON base64-encodes text that is already base64url, so every byte is
 * paid for twice. Packing undoes the inner layer first: each token is split on `.`, each
 * segment that is canonical base64url is stored as its raw bytes (else as UTF-8 text, flagged),
 * every segment is length-prefixed, and the whole is deflated with a preset dictionary of
 * Cognito's claim names (the ID and access tokens share issuer, subject, groups and ids, and their
 * JSON headers and payloads compress well; signatures and the refresh token's JWE ciphertext do
 * not). The result is base64url.
 *
 * Layout: a format byte, then the raw-deflated body: per token a segment count (varint), then per
 * segment a varint `length << 1 | isText` and its bytes. The format byte names the dictionary, so
 * a future format can change it while old cookies stay readable. Pure and synchronous; runs
 * anywhere node:zlib does (Next's Node runtime, proxy included).
 */

/** The three tokens Cognito's token endpoint returns for a code or refresh grant. */
export interface SessionTokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
}

/** Thrown by {@link unpackTokens} for input that is not a packing this module produced. */
export class TokenCodecError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TokenCodecError';
  }
}

const FORMAT = 1;
const TOKEN_ORDER = ['idToken', 'accessToken', 'refreshToken'] as const;
/** Bounds that keep hostile input cheap: no token has more segments, no packing inflates larger. */
const MAX_SEGMENTS = 16;
const MAX_INFLATED_BYTES = 64 * 1024;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
/**
 * Format 1's deflate dictionary: the JSON Cognito's tokens are made of (cognito-wire-facts §3).
 * Frozen: changing a byte makes every existing session unreadable. Add a format instead.
 */
const DICTIONARY_V1 = Buffer.from(
  '{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}{"identities":[{"userId":"","providerName":"","providerType":"",' +
    '"issuer":null,"primary":"true","dateCreated":""}],"phone_number_verified":false,"phone_number":"+",' +
    '"given_name":"","family_name":"","name":"","custom:","device_key":"","version":2,"client_id":"",' +
    '"scope":"aws.cognito.signin.user.admin phone openid profile email","username":"","token_use":"access",' +
    '{"kid":"","alg":"RS256"}{"at_hash":"","sub":"","cognito:groups":["admins"],"email_verified":true,' +
    '"cognito:preferred_role":"arn:aws:iam::","cognito:roles":["arn:aws:iam::",":role/"],' +
    '"iss":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_","cognito:username":"","nonce":"",' +
    '"origin_jti":"","aud":"","event_id":"","token_use":"id","auth_time":1,"exp":1,"iat":1,"jti":"","email":""}',
);

/** True when `segment` decodes to bytes that encode back to exactly `segment`. */
function isCanonicalBase64url(segment: string): boolean {
  if (!BASE64URL.test(segment) || segment.length % 4 === 1) return false;
  return Buffer.from(segment, 'base64url').toString('base64url') === segment;
}

function varint(value: number): Buffer {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return Buffer.from(out);
}

/**
 * Packs the three tokens into one base64url string (see the module comment for the layout).
 * Any well-formed string round-trips exactly through {@link unpackTokens}, JWT-shaped or not.
 * @throws {TokenCodecError} for a token with more than 16 segments or with lone surrogates.
 */
export function packTokens(tokens: SessionTokens): string {
  const parts: Buffer[] = [];
  for (const key of TOKEN_ORDER) {
    const segments = tokens[key].split('.');
    if (segments.length > MAX_SEGMENTS) throw new TokenCodecError(`${key} has more than ${MAX_SEGMENTS} segments`);
    parts.push(varint(segments.length));
    for (const segment of segments) {
      const text = !isCanonicalBase64url(segment);
      if (text && !segment.isWellFormed()) throw new TokenCodecError(`${key} is not well-formed Unicode`);
      const bytes = text ? Buffer.from(segment, 'utf8') : Buffer.from(segment, 'base64url');
      parts.push(varint(bytes.length * 2 + (text ? 1 : 0)), bytes);
    }
  }
  const body = deflateRawSync(Buffer.concat(parts), { level: 9, dictionary: DICTIONARY_V1 });
  return Buffer.concat([Buffer.of(FORMAT), body]).toString('base64url');
}

/** Reads varints and byte runs from a buffer, failing on truncation. */
class Reader {
  readonly #bytes: Buffer;
  #offset = 0;

  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  varint(): number {
    let value = 0;
    for (let shift = 1; shift < 2 ** 35; shift *= 0x80) {
      const byte = this.#bytes[this.#offset++];
      if (byte === undefined) throw new TokenCodecError('truncated packing');
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) return value;
    }
    throw new TokenCodecError('varint too long');
  }

  take(length: number): Buffer {
    if (this.#offset + length > this.#bytes.length) throw new TokenCodecError('truncated packing');
    const slice = this.#bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return slice;
  }

  get done(): boolean {
    return this.#offset === this.#bytes.length;
  }
}

/**
 * Restores the tokens packed by {@link packTokens}, byte for byte.
 * @throws {TokenCodecError} when `packed` is not base64url, does not inflate, has an unknown
 *   format, is truncated, or has trailing bytes.
 */
export function unpackTokens(packed: string): SessionTokens {
  if (!isCanonicalBase64url(packed) || packed.length === 0) throw new TokenCodecError('not base64url');
  const bytes = Buffer.from(packed, 'base64url');
  if (bytes[0] !== FORMAT) throw new TokenCodecError('unknown packing format');
  const raw = inflateWhole(bytes.subarray(1));
  const reader = new Reader(raw);
  const tokens: string[] = [];
  for (let token = 0; token < TOKEN_ORDER.length; token += 1) {
    const count = reader.varint();
    if (count < 1 || count > MAX_SEGMENTS) throw new TokenCodecError('bad segment count');
    const segments: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const tagged = reader.varint();
      const bytes = reader.take(Math.floor(tagged / 2));
      segments.push(tagged % 2 === 1 ? decodeUtf8(bytes) : bytes.toString('base64url'));
    }
    tokens.push(segments.join('.'));
  }
  if (!reader.done) throw new TokenCodecError('trailing bytes');
  const [idToken = '', accessToken = '', refreshToken = ''] = tokens;
  return { idToken, accessToken, refreshToken };
}

/** Inflates a raw deflate stream that must span all of `input` (zlib silently ignores trailing bytes). */
function inflateWhole(input: Buffer): Buffer {
  let result: unknown;
  try {
    result = inflateRawSync(input, { dictionary: DICTIONARY_V1, maxOutputLength: MAX_INFLATED_BYTES, info: true });
  } catch (cause) {
    throw new TokenCodecError('does not inflate', { cause });
  }
  // With `info: true` zlib returns { buffer, engine }; engine.bytesWritten counts the input consumed.
  if (typeof result !== 'object' || result === null || !('buffer' in result) || !('engine' in result)) {
    throw new TokenCodecError('unexpected zlib result');
  }
  const { buffer, engine } = result;
  const consumed = typeof engine === 'object' && engine !== null && 'bytesWritten' in engine ? engine.bytesWritten : null;
  if (!Buffer.isBuffer(buffer) || consumed !== input.length) throw new TokenCodecError('trailing bytes after the deflate stream');
  return buffer;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes);
  } catch (cause) {
    throw new TokenCodecError('text segment is not UTF-8', { cause });
  }
}
