import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { Checksum, declaredChecksum, declaredMd5 } from '../../emulator/s3/checksums.ts';
import { AwsChunkedDecoder } from '../../emulator/s3/chunked.ts';
import { S3Error } from '../../emulator/s3/errors.ts';

describe('Checksum', () => {
  // Reference values: CRC32("hello") = 0x3610a686; CRC32C("123456789") = 0xe3069283.
  it.each([
    ['crc32', 'hello', Buffer.from('3610a686', 'hex').toString('base64')],
    ['crc32c', '123456789', Buffer.from('e3069283', 'hex').toString('base64')],
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
  it('reads x-amz-checksum-* from headers or presigned query parameters', () => {
    expect(declaredChecksum({ 'x-amz-checksum-crc32': 'n7NJGg==' }, [])).toEqual({ algorithm: 'crc32', expected: 'n7NJGg==' });
    expect(declaredChecksum({}, [['x-amz-checksum-sha256', 'abc=']])).toEqual({ algorithm: 'sha256', expected: 'abc=' });
    expect(declaredChecksum({}, [])).toBeUndefined();
    expect(() => declaredChecksum({ 'x-amz-checksum-crc64nvme': 'x' }, [])).toThrow(S3Error);
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
