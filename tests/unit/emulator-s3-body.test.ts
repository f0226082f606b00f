import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { Checksum, declaredChecksum, declaredMd5 } from '../../emulator/s3/checksums.ts';
import { AwsChunkedDecoder } from '../../emulator/s3/chunked.ts';

describe('Checksum', () => {
  // Reference values: CRC32("hello") = 0x3610a686; CRC32C("123456789") = 0xe3069283.
  it.each([
    ['crc32', 'hello', Buffer.from('3610a686', 'hex').toString('base64')],
    ['crc32c', '123456789', Buffer.from('e3069283', 'hex').toString('base64')],
    // CRC-64/NVME check value (the catalogue's "123456789" vector): 0xae8b14860a799888.
    ['crc64nvme', '123456789', Buffer.from('ae8b14860a799888', 'hex').toString('base64')],
    ['sha1', 'hello', createHash('sha1').update('hello').digest('base64')],
    ['sha256', 'hello', createHash('sha256').update('hello').digest('base64')],
  ] as const)('%s of %s, fed in pieces', (algorithm, text, expected) => {
    const checksum = new Checksum(algorithm);
    for (const char of text) checksum.update(Buffer.from(char));
    expect(checksum.base64()).toBe(expected);
  });

  it('gives the empty-body CRC32 the SDK puts in presigned URLs by default', () => {
    expect(new Checksum('crc32').base64()).toBe('AAAAAA==');
  });
});

describe('declared digests', () => {
  const sha256 = createHash('sha256').update('x').digest('base64');

  it('reads x-amz-checksum-* from headers or presigned query parameters', () => {
    expect(declaredChecksum({ 'x-amz-checksum-crc32': 'n7NJGg==' }, [])).toEqual({ algorithm: 'crc32', expected: 'n7NJGg==' });
    expect(declaredChecksum({}, [['x-amz-checksum-sha256', sha256]])).toEqual({ algorithm: 'sha256', expected: sha256 });
    expect(declaredChecksum({ 'x-amz-checksum-crc64nvme': 'rosUhgp5mIg=' }, [])).toEqual({
      algorithm: 'crc64nvme',
      expected: 'rosUhgp5mIg=',
    });
    expect(declaredChecksum({}, [])).toBeUndefined();
  });

  it('refuses what S3 refuses with InvalidRequest', () => {
    const invalid = (message: string) => expect.objectContaining({ code: 'InvalidRequest', status: 400, message });
    expect(() => declaredChecksum({ 'x-amz-checksum-sha256': 'abc=' }, [])).toThrow(
      invalid('Value for x-amz-checksum-sha256 header is invalid.'),
    );
    expect(() => declaredChecksum({ 'x-amz-checksum-crc64nvme': 'n7NJGg==' }, [])).toThrow(
      invalid('Value for x-amz-checksum-crc64nvme header is invalid.'),
    );
    expect(() => declaredChecksum({ 'x-amz-checksum-crc32': 'n7NJGg==', 'x-amz-checksum-sha256': sha256 }, [])).toThrow(
      invalid('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.'),
    );
    expect(() => declaredChecksum({ 'x-amz-checksum-crc32': 'n7NJGg==', 'x-amz-trailer': 'x-amz-checksum-crc32c' }, [])).toThrow(
      invalid('Expecting a single x-amz-checksum- header'),
    );
    expect(() => declaredChecksum({ 'x-amz-sdk-checksum-algorithm': 'CRC32' }, [])).toThrow(
      invalid(
        'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
      ),
    );
    expect(() => declaredChecksum({ 'x-amz-sdk-checksum-algorithm': 'MD4', 'x-amz-checksum-crc32': 'n7NJGg==' }, [])).toThrow(
      invalid(expect.stringContaining('Checksum algorithm provided is unsupported')),
    );
  });

  it('accepts the algorithm with its value, or with a trailer that will carry it', () => {
    expect(declaredChecksum({ 'x-amz-sdk-checksum-algorithm': 'CRC32', 'x-amz-checksum-crc32': 'n7NJGg==' }, [])).toBeDefined();
    expect(
      declaredChecksum({ 'x-amz-sdk-checksum-algorithm': 'CRC64NVME', 'x-amz-trailer': 'x-amz-checksum-crc64nvme' }, []),
    ).toBeUndefined();
  });

  it('decodes Content-MD5 and refuses malformed values with InvalidDigest', () => {
    const md5 = createHash('md5').update('x').digest();
    expect(declaredMd5({ 'content-md5': md5.toString('base64') })).toBe(md5.toString('hex'));
    expect(declaredMd5({})).toBeUndefined();
    expect(() => declaredMd5({ 'content-md5': 'short' })).toThrow(expect.objectContaining({ code: 'InvalidDigest' }));
  });
});

describe('AwsChunkedDecoder', () => {
  const framed = '5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n';

  it('emits the data and collects the trailer, however the bytes are split', async () => {
    for (const size of [1, 3, 7, framed.length]) {
      const pieces = [];
      for (let index = 0; index < framed.length; index += size) pieces.push(Buffer.from(framed.slice(index, index + size)));
      const decoder = new AwsChunkedDecoder();
      const data = await buffer(Readable.from(pieces).pipe(decoder));
      expect(data.toString()).toBe('hello world');
      expect(decoder.trailers.get('x-amz-checksum-crc32')).toBe('DUoRhQ==');
    }
  });

  it('accepts chunk extensions (signatures)', async () => {
    const decoder = new AwsChunkedDecoder();
    const data = await buffer(
      Readable.from([Buffer.from('3;chunk-signature=abc\r\nabc\r\n0;chunk-signature=def\r\n\r\n')]).pipe(decoder),
    );
    expect(data.toString()).toBe('abc');
  });

  it.each(['5\r\nhello\r\n', '5\r\nhelloXX0\r\n\r\n', 'zz\r\n'])('fails on truncated or malformed framing %j', async (text) => {
    const decoder = new AwsChunkedDecoder();
    await expect(buffer(Readable.from([Buffer.from(text)]).pipe(decoder))).rejects.toMatchObject({ code: 'IncompleteBody' });
  });
});
