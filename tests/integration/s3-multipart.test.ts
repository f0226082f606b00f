import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { signedInS3Person } from '../helpers/s3-person';

const MiB = 1024 * 1024;

let emulator: EmulatorProcess;
let s3: S3Client;
let Bucket: string;
let home: string;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  Bucket = emulator.config.bucket;
  // One attempt: the test retries the failed part itself, as an uploader would.
  const person = await signedInS3Person(emulator, 'multipart@example.com', { maxAttempts: 1 });
  s3 = person.s3;
  home = person.home;
});
afterAll(async () => {
  await emulator?.stop();
});

const md5 = (data: Buffer) => createHash('md5').update(data).digest();

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

describe('multipart upload', () => {
  it('assembles parts into one object, retrying a part that failed, with the S3 multipart ETag', async () => {
    const Key = `${home}video.bin`;
    const parts = [Buffer.alloc(5 * MiB, 'a'), Buffer.alloc(5 * MiB, 'b'), Buffer.from('tail')];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType: 'video/mp4' }));
    expect(UploadId).toBeTruthy();

    const etags: string[] = [];
    for (const [index, Body] of parts.entries()) {
      const PartNumber = index + 1;
      if (PartNumber === 3) {
        await emulator.hook('POST', '/_local/faults', { target: 's3', status: 503, times: 1 });
        // The injected 503 is not S3 XML, so the SDK reports a parse error: any failure will do.
        const failed = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body })).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failed).toBeInstanceOf(Error);
        const before = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
        expect(before.Parts?.map((part) => part.PartNumber)).toEqual([1, 2]);
      }
      const { ETag } = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body }));
      expect(ETag).toBe(`"${md5(Body).toString('hex')}"`);
      etags.push(ETag ?? '');
    }

    const listed = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
    expect(listed.Parts?.map((part) => [part.PartNumber, part.Size, part.ETag])).toEqual(
      parts.map((body, index) => [index + 1, body.length, etags[index]]),
    );

    const completed = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, index) => ({ ETag, PartNumber: index + 1 })) },
      }),
    );
    const expected = `"${createHash('md5')
      .update(Buffer.concat(parts.map(md5)))
      .digest('hex')}-3"`;
    expect(completed.ETag).toBe(expected);
    expect(completed.Key).toBe(Key);

    const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
    expect(head).toMatchObject({ ContentLength: 10 * MiB + 4, ETag: expected, ContentType: 'video/mp4' });
    const tail = await s3.send(new GetObjectCommand({ Bucket, Key, Range: `bytes=${5 * MiB - 2}-${5 * MiB + 1}` }));
    expect(await tail.Body?.transformToString()).toBe('aabb');
    expect((await failure(s3.send(new ListPartsCommand({ Bucket, Key, UploadId })))).name).toBe('NoSuchUpload');
  });

  it('serves a completed object from its parts: whole, any range, copied, replaced and deleted', async () => {
    const Key = `${home}assembled.bin`;
    const parts = [0, 1, 2].map((index) => Buffer.alloc(index === 2 ? 1234 : 5 * MiB, String.fromCharCode(97 + index)));
    for (const [index, part] of parts.entries()) part.write(`<part ${index + 1} starts>`, 0);
    const whole = Buffer.concat(parts);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const Parts = [];
    for (const [index, Body] of parts.entries()) {
      const { ETag } = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: index + 1, Body }));
      Parts.push({ ETag, PartNumber: index + 1 });
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } }));
    const bytes = async (key: string, Range?: string) =>
      Buffer.from((await (await s3.send(new GetObjectCommand({ Bucket, Key: key, Range }))).Body?.transformToByteArray()) ?? []);
    const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

    expect(sha(await bytes(Key))).toBe(sha(whole));
    for (const [start, end] of [
      [0, 15],
      [5 * MiB - 3, 10 * MiB + 20],
      [10 * MiB, 10 * MiB + 1233],
      [10 * MiB + 1000, 10 * MiB + 5000],
    ] as const) {
      const last = Math.min(end, whole.length - 1);
      expect((await bytes(Key, `bytes=${start}-${end}`)).equals(whole.subarray(start, last + 1))).toBe(true);
    }

    const copy = `${home}assembled copy.bin`;
    await s3.send(new CopyObjectCommand({ Bucket, Key: copy, CopySource: `${Bucket}/${encodeURIComponent(Key)}` }));
    expect(sha(await bytes(copy))).toBe(sha(whole));
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: copy }))).ETag).toBe(
      `"${createHash('md5').update(whole).digest('hex')}"`,
    );

    await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'replaced' }));
    expect((await bytes(Key)).toString()).toBe('replaced');
    await s3.send(new DeleteObjectCommand({ Bucket, Key: copy }));
    expect((await failure(s3.send(new GetObjectCommand({ Bucket, Key: copy })))).name).toBe('NoSuchKey');
  });

  it('refuses parts under 5 MiB except the last, unknown parts and bad order', async () => {
    const Key = `${home}small-parts.bin`;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const first = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: 'small' }));
    const second = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: 'last' }));
    const complete = (Parts: { ETag?: string; PartNumber: number }[]) =>
      failure(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } })));

    const tooSmall = await complete([
      { ETag: first.ETag, PartNumber: 1 },
      { ETag: second.ETag, PartNumber: 2 },
    ]);
    expect(tooSmall).toMatchObject({ name: 'EntityTooSmall', $metadata: { httpStatusCode: 400 } });
    expect((await complete([{ ETag: '"0123456789abcdef0123456789abcdef"', PartNumber: 1 }])).name).toBe('InvalidPart');
    expect((await complete([{ ETag: first.ETag, PartNumber: 3 }])).name).toBe('InvalidPart');
    const order = await complete([
      { ETag: second.ETag, PartNumber: 2 },
      { ETag: first.ETag, PartNumber: 1 },
    ]);
    expect(order.name).toBe('InvalidPartOrder');

    // A single (last) part may be small.
    const single = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: [{ ETag: first.ETag, PartNumber: 1 }] },
      }),
    );
    expect(single.ETag).toMatch(/^"[0-9a-f]{32}-1"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(await got.Body?.transformToString()).toBe('small');
  });

  it('aborts an upload, after which its id is unknown', async () => {
    const Key = `${home}aborted.bin`;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: 'x' }));
    const aborted = await s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }));
    expect(aborted.$metadata.httpStatusCode).toBe(204);
    const gone = await failure(s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: 'y' })));
    expect(gone).toMatchObject({ name: 'NoSuchUpload', $metadata: { httpStatusCode: 404 } });
    expect((await failure(s3.send(new HeadObjectCommand({ Bucket, Key })))).$metadata.httpStatusCode).toBe(404);
  });

  it('refuses part numbers outside 1-10000', async () => {
    const Key = `${home}numbers.bin`;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const error = await failure(s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 10001, Body: 'x' })));
    expect(error).toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
  });
});
