import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { s3Errors } from './errors.ts';
import { headerValue, type QueryPair, queryValue } from './request.ts';

/** Flexible-checksum algorithms S3 and the emulator verify (header, presigned query or aws-chunked trailer). */
export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** Digest length in bytes of each algorithm (a declared value must decode to exactly this). */
const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { crc32: 4, crc32c: 4, crc64nvme: 8, sha1: 20, sha256: 32 };

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32c(data: Uint8Array, previous: number): number {
  let crc = ~previous >>> 0;
  for (const byte of data) crc = (CRC32C_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return ~crc >>> 0;
}

/**
 * CRC-64/NVME (S3's CRC64NVME): reflected polynomial 0x9A6C9329AC4BC9B5, initial value and final
 * XOR all ones. The 64-bit register is kept as two 32-bit halves, so no BigInt per byte.
 */
const CRC64_TABLE = (() => {
  const high = new Uint32Array(256);
  const low = new Uint32Array(256);
  const polynomial = 0x9a6c9329ac4bc9b5n;
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let k = 0; k < 8; k++) c = c & 1n ? polynomial ^ (c >> 1n) : c >> 1n;
    high[n] = Number(c >> 32n);
    low[n] = Number(c & 0xffffffffn);
  }
  return { high, low };
})();

/** Feeds `data` into a CRC-64/NVME register (pre-inverted, as {@link Checksum} keeps it). */
function crc64nvme(data: Uint8Array, register: [high: number, low: number]): void {
  let [high, low] = register;
  for (const byte of data) {
    const index = (low ^ byte) & 0xff;
    low = (((low >>> 8) | (high << 24)) ^ (CRC64_TABLE.low[index] ?? 0)) >>> 0;
    high = ((high >>> 8) ^ (CRC64_TABLE.high[index] ?? 0)) >>> 0;
  }
  register[0] = high;
  register[1] = low;
}

/** An incremental checksum producing S3's base64 form (big-endian bytes for CRCs). */
export class Checksum {
  readonly algorithm: ChecksumAlgorithm;
  private crc = 0;
  private readonly crc64: [number, number] = [0xffffffff, 0xffffffff];
  private readonly hash: Hash | undefined;

  constructor(algorithm: ChecksumAlgorithm) {
    this.algorithm = algorithm;
    this.hash = algorithm === 'sha1' || algorithm === 'sha256' ? createHash(algorithm) : undefined;
  }

  update(chunk: Uint8Array): void {
    if (this.hash) this.hash.update(chunk);
    else if (this.algorithm === 'crc32') this.crc = crc32(chunk, this.crc);
    else if (this.algorithm === 'crc64nvme') crc64nvme(chunk, this.crc64);
    else this.crc = crc32c(chunk, this.crc);
  }

  base64(): string {
    if (this.hash) return this.hash.digest('base64');
    if (this.algorithm === 'crc64nvme') {
      const bytes = Buffer.alloc(8);
      bytes.writeUInt32BE((this.crc64[0] ^ 0xffffffff) >>> 0, 0);
      bytes.writeUInt32BE((this.crc64[1] ^ 0xffffffff) >>> 0, 4);
      return bytes.toString('base64');
    }
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(this.crc >>> 0);
    return bytes.toString('base64');
  }
}

/** The name S3 uses in messages: CRC32, CRC32C, CRC64NVME, SHA1, SHA256. */
export function checksumLabel(algorithm: ChecksumAlgorithm): string {
  return algorithm.toUpperCase();
}

/** A checksum the client declared: algorithm and expected base64 value. */
export interface DeclaredChecksum {
  algorithm: ChecksumAlgorithm;
  expected: string;
}

function invalidValue(name: string, where: 'header' | 'trailing header' = 'header') {
  return s3Errors.invalidRequest(`Value for ${name} ${where} is invalid.`);
}

/** True when `value` is canonical base64 of exactly the algorithm's digest length. */
export function isChecksumValue(algorithm: ChecksumAlgorithm, value: string): boolean {
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === DIGEST_BYTES[algorithm] && bytes.toString('base64') === value;
}

/** The algorithm named by `x-amz-trailer: x-amz-checksum-<alg>`, if any. */
export function trailerAlgorithm(headers: NodeJS.Dict<string | string[]>): ChecksumAlgorithm | undefined {
  const trailer = (headerValue(headers, 'x-amz-trailer') ?? '').trim().toLowerCase();
  const algorithm = trailer.replace(/^x-amz-checksum-/, '');
  return trailer.startsWith('x-amz-checksum-') && (CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm)
    ? (algorithm as ChecksumAlgorithm)
    : undefined;
}

/**
 * The flexible checksum a request declares in an `x-amz-checksum-<alg>` header or (presigned
 * URLs) query parameter, checked as S3 checks it (InvalidRequest): one checksum at most (header
 * or trailer), a well-formed value, and `x-amz-sdk-checksum-algorithm` naming a known algorithm
 * that comes with a value or a trailer.
 */
export function declaredChecksum(
  headers: NodeJS.Dict<string | string[]>,
  query: readonly QueryPair[],
): DeclaredChecksum | undefined {
  let declared: DeclaredChecksum | undefined;
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const name = `x-amz-checksum-${algorithm}`;
    const expected = headerValue(headers, name) ?? queryValue(query, name);
    if (expected === undefined) continue;
    if (declared)
      throw s3Errors.invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
    if (!isChecksumValue(algorithm, expected.trim())) throw invalidValue(name);
    declared = { algorithm, expected: expected.trim() };
  }
  const trailer = trailerAlgorithm(headers);
  if (declared && trailer) throw s3Errors.invalidRequest('Expecting a single x-amz-checksum- header');
  const sdkAlgorithm = (headerValue(headers, 'x-amz-sdk-checksum-algorithm') ?? queryValue(query, 'x-amz-sdk-checksum-algorithm'))
    ?.trim()
    .toLowerCase();
  if (sdkAlgorithm !== undefined) {
    if (!(CHECKSUM_ALGORITHMS as readonly string[]).includes(sdkAlgorithm)) {
      throw s3Errors.invalidRequest(
        'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
      );
    }
    if (!declared && !trailer) {
      throw s3Errors.invalidRequest(
        'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
      );
    }
  }
  return declared;
}

/** Checks a checksum that arrived in an aws-chunked trailer (InvalidRequest when malformed). */
export function checkTrailerValue(algorithm: ChecksumAlgorithm, value: string): void {
  if (!isChecksumValue(algorithm, value)) throw invalidValue(`x-amz-checksum-${algorithm}`, 'trailing header');
}

/** Decodes a `Content-MD5` header (base64 of 16 bytes); throws InvalidDigest when malformed. */
export function declaredMd5(headers: NodeJS.Dict<string | string[]>): string | undefined {
  const value = headerValue(headers, 'content-md5');
  if (value === undefined) return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== 16 || bytes.toString('base64') !== value) throw s3Errors.invalidDigest();
  return bytes.toString('hex');
}
