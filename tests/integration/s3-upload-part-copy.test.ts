import { createHash, randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsCredentials } from '@/lib/aws/credentials';
import { ownFileKey } from '@/lib/aws/keys';
import { s3ClientFor as appS3ClientFor, copyFileInParts } from '@/lib/aws/s3';
import { AppError } from '@/lib/errors';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { type S3Person, signedInS3Person } from '../helpers/s3-person';

const MiB = 1024 * 1024;

let emulator: EmulatorProcess;
let Bucket: string;
let owner: S3Person;
let other: S3Person;
let s3: S3Client;
/** 20 MiB of random bytes, stored as a multipart object of 7 + 7 + 6 MiB parts (three part files). */
let source: Buffer;
let sourceKey: string;
let sourceEtag: string;

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const md5Hex = (data: Uint8Array) => createHash('md5').update(data).digest('hex');

async function failure(promise: Promise<unknown>): Promise<S3ServiceException & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) return error as S3ServiceException & Record<string, unknown>;
    throw error;
  }
  throw new Error('expected the request to fail');
}

async function read(client: S3Client, Key: string): Promise<Buffer> {
  const { Body } = await client.send(new GetObjectCommand({ Bucket, Key }));
  return Buffer.from((await Body?.transformToByteArray()) ?? []);
}

/** Stores `parts` as one multipart object at `Key`. */
async function putInParts(Key: string, parts: Buffer[]): Promise<string> {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
  const completed = [];
  for (const [index, Body] of parts.entries()) {
    const { ETag } = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: index + 1, Body }));
    completed.push({ PartNumber: index + 1, ETag });
  }
  const { ETag } = await s3.send(
    new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: completed } }),
  );
  return ETag ?? '';
}

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator);
  Bucket = emulator.config.bucket;
  owner = await signedInS3Person(emulator, 'part-copy@example.com', { maxAttempts: 1 });
  other = await signedInS3Person(emulator, 'part-copy-other@example.com', { maxAttempts: 1 });
  s3 = owner.s3;
  source = randomBytes(20 * MiB);
  sourceKey = `${owner.home}source.bin`;
  sourceEtag = await putInParts(sourceKey, [
    source.subarray(0, 7 * MiB),
    source.subarray(7 * MiB, 14 * MiB),
    source.subarray(14 * MiB),
  ]);
  expect(sourceEtag).toMatch(/-3"$/);
});
afterAll(async () => {
  await emulator?.stop();
});

describe('UploadPartCopy', () => {
  it('copies a 20 MiB object in three ranged parts (8 + 8 + 4 MiB, across its part files) that complete into the same bytes', async () => {
    const Key = `${owner.home}copied.bin`;
    const CopySource = `${Bucket}/${sourceKey}`;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const ranges = [
      [0, 8 * MiB - 1],
      [8 * MiB, 16 * MiB - 1],
      [16 * MiB, 20 * MiB - 1],
    ] as const;
    const parts = [];
    for (const [index, [first, last]] of ranges.entries()) {
      const answer = await s3.send(
        new UploadPartCopyCommand({
          Bucket,
          Key,
          UploadId,
          PartNumber: index + 1,
          CopySource,
          CopySourceRange: `bytes=${first}-${last}`,
        }),
      );
      expect(answer.CopyPartResult?.ETag).toBe(`"${md5Hex(source.subarray(first, last + 1))}"`);
      expect(answer.CopyPartResult?.LastModified).toBeInstanceOf(Date);
      parts.push({ PartNumber: index + 1, ETag: answer.CopyPartResult?.ETag });
    }
    const listed = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
    expect(listed.Parts?.map((part) => [part.PartNumber, part.Size])).toEqual([
      [1, 8 * MiB],
      [2, 8 * MiB],
      [3, 4 * MiB],
    ]);
    const completed = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts }, IfNoneMatch: '*' }),
    );
    const partMd5s = Buffer.concat(
      ranges.map(([first, last]) =>
        createHash('md5')
          .update(source.subarray(first, last + 1))
          .digest(),
      ),
    );
    expect(completed.ETag).toBe(`"${md5Hex(partMd5s)}-3"`);
    expect(sha256(await read(s3, Key))).toBe(sha256(source));
  });

  it('copies a whole source without a range, and the part keeps its bytes when the source is deleted before Complete', async () => {
    const small = `${owner.home}small notes.txt`;
    const tail = Buffer.from('the last part, copied whole');
    await s3.send(new PutObjectCommand({ Bucket, Key: small, Body: tail }));
    const Key = `${owner.home}joined.bin`;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const first = await s3.send(
      new UploadPartCopyCommand({
        Bucket,
        Key,
        UploadId,
        PartNumber: 1,
        CopySource: `${Bucket}/${sourceKey}`,
        CopySourceRange: `bytes=${3 * MiB}-${9 * MiB - 1}`,
      }),
    );
    // The source is URL-encoded (the space as %20), as the app sends it; a versionId is ignored.
    const second = await s3.send(
      new UploadPartCopyCommand({
        Bucket,
        Key,
        UploadId,
        PartNumber: 2,
        CopySource: `${Bucket}/${small.split('/').map(encodeURIComponent).join('/')}?versionId=null`,
      }),
    );
    expect(second.CopyPartResult?.ETag).toBe(`"${md5Hex(tail)}"`);
    await s3.send(new DeleteObjectCommand({ Bucket, Key: small }));
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: first.CopyPartResult?.ETag },
            { PartNumber: 2, ETag: second.CopyPartResult?.ETag },
          ],
        },
      }),
    );
    expect(sha256(await read(s3, Key))).toBe(sha256(Buffer.concat([source.subarray(3 * MiB, 9 * MiB), tail])));
  });

  it('answers S3 errors for a range past the source, a malformed range, a missing source and failed source conditions', async () => {
    const Key = `${owner.home}refused.bin`;
    const CopySource = `${Bucket}/${sourceKey}`;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const copy = (extra: Partial<ConstructorParameters<typeof UploadPartCopyCommand>[0]>) =>
      s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 1, CopySource, ...extra }));

    const beyond = await failure(copy({ CopySourceRange: `bytes=${16 * MiB}-${20 * MiB}` }));
    expect(beyond.name).toBe('InvalidArgument');
    expect(beyond.$metadata.httpStatusCode).toBe(400);
    expect(beyond.message).toBe(`Range specified is not valid for source object of size: ${20 * MiB}`);
    expect(beyond.ArgumentName).toBe('x-amz-copy-source-range');

    for (const CopySourceRange of [`bytes=${MiB}-`, 'bytes=10-5', 'bytes=-100', 'items=0-1']) {
      const malformed = await failure(copy({ CopySourceRange }));
      expect(malformed.name, CopySourceRange).toBe('InvalidArgument');
      expect(malformed.message).toMatch(/must be of the form bytes=first-last/);
    }

    const missing = await failure(copy({ CopySource: `${Bucket}/${owner.home}no-such-file` }));
    expect(missing.name).toBe('NoSuchKey');
    expect(missing.$metadata.httpStatusCode).toBe(404);

    const notMatching = await failure(
      copy({ CopySourceRange: 'bytes=0-99', CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"' }),
    );
    expect(notMatching.name).toBe('PreconditionFailed');
    expect(notMatching.$metadata.httpStatusCode).toBe(412);
    const unchanged = await failure(copy({ CopySourceRange: 'bytes=0-99', CopySourceIfNoneMatch: sourceEtag }));
    expect(unchanged.name).toBe('PreconditionFailed');
    const modifiedSince = await failure(
      copy({ CopySourceRange: 'bytes=0-99', CopySourceIfModifiedSince: new Date(Date.now() + 3_600_000) }),
    );
    expect(modifiedSince.name).toBe('PreconditionFailed');
    const unmodifiedSince = await failure(
      copy({ CopySourceRange: 'bytes=0-99', CopySourceIfUnmodifiedSince: new Date(Date.now() - 3_600_000) }),
    );
    expect(unmodifiedSince.name).toBe('PreconditionFailed');
    const matching = await copy({ CopySourceRange: 'bytes=0-99', CopySourceIfMatch: sourceEtag });
    expect(matching.CopyPartResult?.ETag).toBe(`"${md5Hex(source.subarray(0, 100))}"`);

    const unknownUpload = await failure(
      s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId: 'no-such-upload', PartNumber: 1, CopySource })),
    );
    expect(unknownUpload.name).toBe('NoSuchUpload');
    // Nothing refused left a part behind: only the one copy that succeeded is listed.
    const listed = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
    expect(listed.Parts?.map((part) => part.Size)).toEqual([100]);
  });

  it("refuses to copy another person's object (AccessDenied) and stores no part", async () => {
    const Key = `${other.home}stolen.bin`;
    const { UploadId } = await other.s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const error = await failure(
      other.s3.send(
        new UploadPartCopyCommand({
          Bucket,
          Key,
          UploadId,
          PartNumber: 1,
          CopySource: `${Bucket}/${sourceKey}`,
          CopySourceRange: 'bytes=0-99',
        }),
      ),
    );
    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata.httpStatusCode).toBe(403);
    const listed = await other.s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
    expect(listed.Parts ?? []).toEqual([]);
  });
});

describe("the app's copyFileInParts", () => {
  it('copies in 8 MiB parts, create-only: a second copy onto the same name is name_taken and its upload is aborted', async () => {
    const credentials: AwsCredentials = owner.credentials;
    const from = sourceKey;
    const to = ownFileKey(owner.identityId, 'copied by the app.bin');
    // Observes the app's own client (no stand-in): the upload ids its CreateMultipartUpload calls get.
    const uploadIds: string[] = [];
    appS3ClientFor(credentials).middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const output = result.output as { UploadId?: string };
        if (context.commandName === 'CreateMultipartUploadCommand' && output.UploadId) uploadIds.push(output.UploadId);
        return result;
      },
      { step: 'initialize', name: 'observeUploadIds' },
    );
    const input = {
      from,
      to,
      size: source.length,
      contentType: 'application/x-test',
      metadata: { 'cubby-upload': 'first' },
      partSize: 8 * MiB,
    };

    await copyFileInParts(credentials, input);
    expect(sha256(await read(s3, to))).toBe(sha256(source));
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: to }));
    expect(head.ContentType).toBe('application/x-test');
    expect(head.Metadata).toEqual({ 'cubby-upload': 'first' });
    expect(head.ETag).toMatch(/-3"$/);

    const second = await copyFileInParts(credentials, { ...input, metadata: { 'cubby-upload': 'second' } }).catch(
      (error: unknown) => error,
    );
    expect(second).toBeInstanceOf(AppError);
    expect((second as AppError).code).toBe('name_taken');
    // The first file is untouched.
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: to }))).Metadata).toEqual({ 'cubby-upload': 'first' });
    expect(sha256(await read(s3, to))).toBe(sha256(source));
    // The emulator has no ListMultipartUploads: the failed copy's upload id shows it was aborted.
    expect(uploadIds).toHaveLength(2);
    const aborted = await failure(s3.send(new ListPartsCommand({ Bucket, Key: to, UploadId: uploadIds[1] })));
    expect(aborted.name).toBe('NoSuchUpload');
  });
});
