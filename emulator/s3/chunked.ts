import { createHash, createHmac, type Hash, timingSafeEqual } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { S3Error, s3Errors } from './errors.ts';

const MAX_LINE = 8192;
const EMPTY_SHA256 = createHash('sha256').digest('hex');

/**
 * What a signed aws-chunked body (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]) is checked
 * against: the SigV4 signing key of the request, its date and scope, and the seed signature
 * (the Authorization header's), which the first chunk's signature chains from.
 */
export interface ChunkSigning {
  signingKey: Buffer;
  /** `yyyyMMddTHHmmssZ`, as signed. */
  amzDate: string;
  /** `yyyymmdd/region/s3/aws4_request`. */
  scope: string;
  seedSignature: string;
  /** True for the -TRAILER variant, whose trailer ends with `x-amz-trailer-signature`. */
  trailer: boolean;
}

/** The SigV4 signing key: HMAC chain over date, region, service and `aws4_request`. */
export function signingKey(secretAccessKey: string, scope: string): Buffer {
  return scope
    .split('/')
    .reduce<Buffer>(
      (key, part) => createHmac('sha256', key).update(part).digest(),
      Buffer.from(`AWS4${secretAccessKey}`, 'utf8'),
    );
}

/** A chunk's signature: over the previous signature and the SHA-256 of its data (AWS sigv4-streaming). */
export function chunkSignature(signing: ChunkSigning, previous: string, dataSha256: string): string {
  const stringToSign = ['AWS4-HMAC-SHA256-PAYLOAD', signing.amzDate, signing.scope, previous, EMPTY_SHA256, dataSha256].join(
    '\n',
  );
  return createHmac('sha256', signing.signingKey).update(stringToSign).digest('hex');
}

/** The trailer's signature: over the final chunk's signature and the SHA-256 of the `name:value\n` trailer lines. */
export function trailerSignature(signing: ChunkSigning, previous: string, canonicalTrailers: string): string {
  const trailersSha256 = createHash('sha256').update(canonicalTrailers).digest('hex');
  const stringToSign = ['AWS4-HMAC-SHA256-TRAILER', signing.amzDate, signing.scope, previous, trailersSha256].join('\n');
  return createHmac('sha256', signing.signingKey).update(stringToSign).digest('hex');
}

function chunkSignatureMismatch(): S3Error {
  return new S3Error(
    'SignatureDoesNotMatch',
    403,
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  );
}

function sameSignature(expected: string, provided: string | undefined): boolean {
  if (provided === undefined || provided.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected, 'utf8'), Buffer.from(provided, 'utf8'));
}

/**
 * Decodes the `aws-chunked` content encoding: `<hex size>[;ext]\r\n<data>\r\n` … `0\r\n` then
 * trailer lines (`x-amz-checksum-crc32:…`) and an empty line. Emits only the data; trailer
 * headers are in {@link trailers} once finished. Malformed framing fails the stream with
 * IncompleteBody. With `signing` (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]) every chunk's
 * `chunk-signature` and the trailer's `x-amz-trailer-signature` are verified as they complete
 * (SignatureDoesNotMatch), so no unsigned byte is ever accepted.
 */
export class AwsChunkedDecoder extends Transform {
  readonly trailers = new Map<string, string>();
  private state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  private line = '';
  private remaining = 0;
  private readonly signing: ChunkSigning | undefined;
  private previousSignature = '';
  private chunkSignature: string | undefined;
  private chunkHash: Hash | undefined;
  private canonicalTrailers = '';
  private trailerSignature: string | undefined;

  constructor(signing?: ChunkSigning) {
    super();
    this.signing = signing;
    this.previousSignature = signing?.seedSignature ?? '';
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    callback(this.state === 'done' ? null : s3Errors.incompleteBody());
  }

  private consume(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, chunk.length - offset);
        this.chunkHash?.update(chunk.subarray(offset, offset + take));
        this.push(chunk.subarray(offset, offset + take));
        offset += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'data-end';
        continue;
      }
      const newline = chunk.indexOf(0x0a, offset);
      const end = newline < 0 ? chunk.length : newline + 1;
      this.line += chunk.toString('latin1', offset, end);
      offset = end;
      if (this.line.length > MAX_LINE) throw s3Errors.incompleteBody();
      if (newline < 0) continue;
      const line = this.line.replace(/\r?\n$/, '');
      this.line = '';
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    switch (this.state) {
      case 'size': {
        const [sizeText = '', ...extensions] = line.split(';');
        const size = Number.parseInt(sizeText, 16);
        if (!Number.isFinite(size) || size < 0) throw s3Errors.incompleteBody();
        this.remaining = size;
        if (this.signing) {
          this.chunkSignature = extensions.map((extension) => /^chunk-signature=(.*)$/.exec(extension.trim())?.[1]).find(Boolean);
          this.chunkHash = createHash('sha256');
          if (size === 0) this.verifyChunk();
        }
        this.state = size === 0 ? 'trailer' : 'data';
        return;
      }
      case 'data-end':
        if (line !== '') throw s3Errors.incompleteBody();
        if (this.signing) this.verifyChunk();
        this.state = 'size';
        return;
      case 'trailer': {
        if (line === '') {
          if (this.signing?.trailer) this.verifyTrailer();
          this.state = 'done';
          return;
        }
        const colon = line.indexOf(':');
        if (colon <= 0) return;
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (name === 'x-amz-trailer-signature') {
          this.trailerSignature = value;
          return;
        }
        this.trailers.set(name, value);
        this.canonicalTrailers += `${name}:${value}\n`;
        return;
      }
      default:
        throw s3Errors.incompleteBody();
    }
  }

  /** Checks the chunk just read against its `chunk-signature`, chaining from the previous one. */
  private verifyChunk(): void {
    const signing = this.signing;
    if (!signing) return;
    const expected = chunkSignature(signing, this.previousSignature, this.chunkHash?.digest('hex') ?? EMPTY_SHA256);
    if (!sameSignature(expected, this.chunkSignature)) throw chunkSignatureMismatch();
    this.previousSignature = expected;
    this.chunkHash = undefined;
  }

  /** Checks `x-amz-trailer-signature` over the trailer lines, chaining from the final chunk's signature. */
  private verifyTrailer(): void {
    const signing = this.signing;
    if (!signing) return;
    const expected = trailerSignature(signing, this.previousSignature, this.canonicalTrailers);
    if (!sameSignature(expected, this.trailerSignature)) throw chunkSignatureMismatch();
  }
}
