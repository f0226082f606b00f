import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { Transform, type TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Caller } from './auth.ts';
import type { S3Call } from './call.ts';
import {
  Checksum,
  type ChecksumAlgorithm,
  checksumLabel,
  checkTrailerValue,
  declaredChecksum,
  declaredMd5,
  trailerAlgorithm,
} from './checksums.ts';
import { AwsChunkedDecoder, type ChunkSigning, signingKey } from './chunked.ts';
import { S3Error, s3Errors } from './errors.ts';
import { headerValue } from './request.ts';
import { objectStore } from './store.ts';

/** What the request promises about its body, checked while (and after) it streams in. */
interface BodyExpectations {
  length: number;
  chunked: boolean;
  sha256?: string;
  md5Hex?: string;
  checksum?: { algorithm: ChecksumAlgorithm; expected?: string };
  /** Signed aws-chunked bodies: what each chunk signature is checked against. */
  signing?: ChunkSigning;
}

/** The chunk-signing context of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER] request. */
function chunkSigningOf(caller: Caller): ChunkSigning | undefined {
  const { signed, credentials } = caller;
  if (!signed.payloadHash.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD')) return undefined;
  return {
    signingKey: signingKey(credentials.secretAccessKey, signed.scope),
    amzDate: signed.amzDate,
    scope: signed.scope,
    seedSignature: signed.signature,
    trailer: signed.payloadHash.endsWith('-TRAILER'),
  };
}

function expectationsOf(call: S3Call, caller: Caller, maxBytes: number): BodyExpectations {
  const { headers } = call.req;
  const payloadHash = caller.signed.payloadHash;
  const chunked =
    payloadHash.startsWith('STREAMING-') || (headerValue(headers, 'content-encoding') ?? '').includes('aws-chunked');
  const lengthHeader = headerValue(headers, chunked ? 'x-amz-decoded-content-length' : 'content-length');
  if (lengthHeader === undefined || !/^\d+$/.test(lengthHeader)) throw s3Errors.missingContentLength();
  const length = Number(lengthHeader);
  if (length > maxBytes) throw s3Errors.entityTooLarge(length, maxBytes);
  const expectations: BodyExpectations = { length, chunked };
  if (/^[0-9a-f]{64}$/.test(payloadHash)) expectations.sha256 = payloadHash;
  const md5Hex = declaredMd5(headers);
  if (md5Hex) expectations.md5Hex = md5Hex;
  const declared = declaredChecksum(headers, call.query);
  if (declared) expectations.checksum = declared;
  const trailer = trailerAlgorithm(headers);
  if (chunked && !declared && trailer) expectations.checksum = { algorithm: trailer };
  const signing = chunkSigningOf(caller);
  if (signing) expectations.signing = signing;
  return expectations;
}

/** Counts and hashes bytes as they pass; fails with EntityTooLarge past the declared length. */
class BodyMeter extends Transform {
  size = 0;
  readonly md5: Hash = createHash('md5');
  readonly sha256: Hash | undefined;
  readonly checksum: Checksum | undefined;
  private readonly limit: number;

  constructor(expectations: BodyExpectations) {
    super({ highWaterMark: 1024 * 1024 });
    this.limit = expectations.length;
    this.sha256 = expectations.sha256 ? createHash('sha256') : undefined;
    this.checksum = expectations.checksum ? new Checksum(expectations.checksum.algorithm) : undefined;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.limit) {
      callback(s3Errors.entityTooLarge(this.size, this.limit));
      return;
    }
    this.md5.update(chunk);
    this.sha256?.update(chunk);
    this.checksum?.update(chunk);
    callback(null, chunk);
  }
}

/** Compares what arrived with what was promised: length, x-amz-content-sha256, Content-MD5, checksum. */
function verify(meter: BodyMeter, expectations: BodyExpectations, trailers: Map<string, string> | undefined): string {
  if (meter.size < expectations.length) throw s3Errors.incompleteBody();
  const md5Hex = meter.md5.digest('hex');
  if (expectations.sha256 && meter.sha256) {
    const computed = meter.sha256.digest('hex');
    if (computed !== expectations.sha256) throw s3Errors.sha256Mismatch(expectations.sha256, computed);
  }
  if (expectations.md5Hex && expectations.md5Hex !== md5Hex) throw s3Errors.badDigest('Content-MD5');
  if (expectations.checksum && meter.checksum) {
    const { algorithm } = expectations.checksum;
    const trailed = trailers?.get(`x-amz-checksum-${algorithm}`);
    if (expectations.checksum.expected === undefined && trailed !== undefined) checkTrailerValue(algorithm, trailed);
    const expected = expectations.checksum.expected ?? trailed;
    if (expected !== undefined && expected !== meter.checksum.base64()) throw s3Errors.badDigest(checksumLabel(algorithm));
  }
  return md5Hex;
}

/** Streams the request body through the decoder (aws-chunked) and the meter into `sink`. */
async function streamBody(
  call: S3Call,
  expectations: BodyExpectations,
  sink: Writable,
): Promise<{ md5Hex: string; size: number }> {
  const meter = new BodyMeter(expectations);
  const decoder = expectations.chunked ? new AwsChunkedDecoder(expectations.signing) : undefined;
  try {
    if (decoder) await pipeline(call.req, decoder, meter, sink);
    else await pipeline(call.req, meter, sink);
  } catch (error) {
    if (error instanceof S3Error) throw error;
    // The client stopped sending before Content-Length bytes arrived.
    if (meter.size < expectations.length) throw s3Errors.incompleteBody();
    throw error;
  }
  return { md5Hex: verify(meter, expectations, decoder?.trailers), size: meter.size };
}

/** A request body safely on disk, not yet part of any object. */
export interface ReceivedBody {
  tempPath: string;
  size: number;
  md5Hex: string;
}

/**
 * Streams a PutObject/UploadPart body to a temporary file (memory stays flat whatever the size),
 * enforcing Content-Length (MissingContentLength, EntityTooLarge over `maxBytes`, IncompleteBody)
 * and every digest the request declared. On any failure the temporary file is removed.
 */
export async function receiveBody(call: S3Call, caller: Caller, maxBytes: number): Promise<ReceivedBody> {
  const expectations = expectationsOf(call, caller, maxBytes);
  const tempPath = await objectStore(call.ctx).tempFile();
  try {
    const { md5Hex, size } = await streamBody(call, expectations, fs.createWriteStream(tempPath, { highWaterMark: 1024 * 1024 }));
    return { tempPath, size, md5Hex };
  } catch (error) {
    await fs.promises.rm(tempPath, { force: true });
    throw error;
  }
}

/** Reads a small body (request XML) into memory with the same checks; refuses more than `limit` bytes. */
export async function readSmallBody(call: S3Call, caller: Caller, limit: number): Promise<Buffer> {
  const expectations = expectationsOf(call, caller, limit);
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  await streamBody(call, expectations, sink);
  return Buffer.concat(chunks);
}
