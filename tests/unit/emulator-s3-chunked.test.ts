import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder, type ChunkSigning, chunkSignature, signingKey, trailerSignature } from '../../emulator/s3/chunked.ts';

/**
 * AWS's published example for STREAMING-AWS4-HMAC-SHA256-PAYLOAD ("Signature calculation:
 * transfer payload in multiple chunks"): a 66,560-byte body of 'a' sent as a 65,536-byte
 * chunk, a 1,024-byte chunk and the final empty chunk, each signature chained from the seed.
 */
const EXAMPLE = {
  secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  amzDate: '20130524T000000Z',
  scope: '20130524/us-east-1/s3/aws4_request',
  seed: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
  signatures: [
    'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
    '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
    'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
  ],
};

function exampleSigning(trailer = false): ChunkSigning {
  return {
    signingKey: signingKey(EXAMPLE.secret, EXAMPLE.scope),
    amzDate: EXAMPLE.amzDate,
    scope: EXAMPLE.scope,
    seedSignature: EXAMPLE.seed,
    trailer,
  };
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** A signed aws-chunked body, framed as an SDK would send it. */
function signedBody(chunks: Buffer[], signing: ChunkSigning, signatureOf = (_index: number, computed: string) => computed) {
  let previous = signing.seedSignature;
  const parts: Buffer[] = [];
  [...chunks, Buffer.alloc(0)].forEach((chunk, index) => {
    const signature = signatureOf(index, chunkSignature(signing, previous, sha256(chunk)));
    previous = signature;
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${signature}\r\n`), chunk);
    if (chunk.length > 0) parts.push(Buffer.from('\r\n'));
  });
  return { parts, last: previous };
}

async function decode(pieces: Buffer[], signing?: ChunkSigning, pieceSize = 4096): Promise<Buffer> {
  const whole = Buffer.concat(pieces);
  const split: Buffer[] = [];
  for (let index = 0; index < whole.length; index += pieceSize) split.push(whole.subarray(index, index + pieceSize));
  return buffer(Readable.from(split).pipe(new AwsChunkedDecoder(signing)));
}

describe('chunk signatures (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', () => {
  const chunks = [Buffer.alloc(65_536, 'a'), Buffer.alloc(1024, 'a')];

  it('computes the signatures of AWS’s published example', () => {
    const signing = exampleSigning();
    let previous = EXAMPLE.seed;
    [...chunks, Buffer.alloc(0)].forEach((chunk, index) => {
      previous = chunkSignature(signing, previous, sha256(chunk));
      expect(previous).toBe(EXAMPLE.signatures[index]);
    });
  });

  it('decodes a correctly signed body, however the bytes are split', async () => {
    const { parts } = signedBody(chunks, exampleSigning());
    for (const size of [1000, 65_536, 70_000]) {
      const data = await decode([...parts, Buffer.from('\r\n')], exampleSigning(), size);
      expect(data.equals(Buffer.concat(chunks))).toBe(true);
    }
  });

  it('refuses a body whose bytes do not match their chunk signature (SignatureDoesNotMatch)', async () => {
    const { parts } = signedBody(chunks, exampleSigning());
    const tampered = Buffer.concat([...parts, Buffer.from('\r\n')]);
    tampered[200] = 'b'.charCodeAt(0);
    await expect(decode([tampered], exampleSigning())).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
  });

  it('refuses a final chunk signed out of order or a missing chunk signature', async () => {
    const swapped = signedBody(chunks, exampleSigning(), (index, computed) =>
      index === 2 ? (EXAMPLE.signatures[1] ?? '') : computed,
    );
    await expect(decode([...swapped.parts, Buffer.from('\r\n')], exampleSigning())).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    const unsigned = Buffer.from('3\r\nabc\r\n0\r\n\r\n');
    await expect(decode([unsigned], exampleSigning())).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('checks the trailer signature of the -TRAILER variant', async () => {
    const signing = exampleSigning(true);
    const { parts, last } = signedBody([Buffer.from('hello world')], signing);
    const trailer = 'x-amz-checksum-crc32:DUoRhQ==\n';
    const good = trailerSignature(signing, last, trailer);
    const body = (signature: string) => [
      ...parts,
      Buffer.from(`x-amz-checksum-crc32:DUoRhQ==\r\nx-amz-trailer-signature:${signature}\r\n\r\n`),
    ];
    const decoder = new AwsChunkedDecoder(signing);
    const data = await buffer(Readable.from(body(good)).pipe(decoder));
    expect(data.toString()).toBe('hello world');
    expect(decoder.trailers.get('x-amz-checksum-crc32')).toBe('DUoRhQ==');
    expect(decoder.trailers.has('x-amz-trailer-signature')).toBe(false);
    await expect(decode(body('0'.repeat(64)), signing)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
  });
});
