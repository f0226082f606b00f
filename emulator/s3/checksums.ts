import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { s3Errors } from './errors.ts';
import { headerValue, type QueryPair, queryValue } from './request.ts';

/** Flexible-checksum algorithms the emulator verifies (header, presigned query or aws-chunked trailer). */
export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

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

/** An incremental checksum producing S3's base64 form (big-endian bytes for CRCs). */
export class Checksum {
  readonly algorithm: ChecksumAlgorithm;
  private crc = 0;
  private readonly hash: Hash | undefined;

  constructor(algorithm: ChecksumAlgorithm) {
    this.algorithm = algorithm;
    this.hash = algorithm === 'sha1' || algorithm === 'sha256' ? createHash(algorithm) : undefined;
  }

  update(chunk: Uint8Array): void {
    if (this.hash) this.hash.update(chunk);
    else if (this.algorithm === 'crc32') this.crc = crc32(chunk, this.crc);
    else this.crc = crc32c(chunk, this.crc);
  }

  base64(): string {
    if (this.hash) return this.hash.digest('base64');
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(this.crc >>> 0);
    return bytes.toString('base64');
  }
}

/** The name S3 uses in messages: CRC32, CRC32C, SHA1, SHA256. */
export function checksumLabel(algorithm: ChecksumAlgorithm): string {
  return algorithm.toUpperCase();
}

/** A checksum the client declared: algorithm and expected base64 value. */
export interface DeclaredChecksum {
  algorithm: ChecksumAlgorithm;
  expected: string;
}

/**
 * The flexible checksum a request declares in an `x-amz-checksum-<alg>` header or (presigned
 * URLs) query parameter. Throws NotImplemented for algorithms the emulator cannot compute (CRC64NVME).
 */
export function declaredChecksum(
  headers: NodeJS.Dict<string | string[]>,
  query: readonly QueryPair[],
): DeclaredChecksum | undefined {
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const name = `x-amz-checksum-${algorithm}`;
    const expected = headerValue(headers, name) ?? queryValue(query, name);
    if (expected !== undefined) return { algorithm, expected };
  }
  if (headerValue(headers, 'x-amz-checksum-crc64nvme') ?? queryValue(query, 'x-amz-checksum-crc64nvme')) {
    throw s3Errors.notImplemented();
  }
  return undefined;
}

/** Decodes a `Content-MD5` header (base64 of 16 bytes); throws InvalidDigest when malformed. */
export function declaredMd5(headers: NodeJS.Dict<string | string[]>): string | undefined {
  const value = headerValue(headers, 'content-md5');
  if (value === undefined) return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== 16 || bytes.toString('base64') !== value) throw s3Errors.invalidDigest();
  return bytes.toString('hex');
}
