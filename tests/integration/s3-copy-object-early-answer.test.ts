import { createHash, randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  type CopyObjectCommandInput,
  type CopyObjectCommandOutput,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { DeserializeMiddleware } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownFileKey } from '@/lib/aws/keys';
import { renameOwnFile } from '@/lib/files/service';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { type S3Person, signedInS3Person } from '../helpers/s3-person';

/**
 * CopyObject answers as S3 does: once the copy starts, the 200 and its headers go out at once
 * (whitespace keeps the answer alive), and the result, or an error that happened during the copy,
 * follows in the body. So a client's per-attempt timeout (Cubby's 4 s) bounds the wait for S3's
 * answer, not the time the copy of a large object takes. The source is 300 MiB, long enough
 * to copy that the answer's head can be seen while the destination does not exist yet.
 */

const MiB = 1024 * 1024;
const PART_BYTES = 50 * MiB;
const PARTS = 6;

let emulator: EmulatorProcess;
let Bucket: string;
let person: S3Person;
let s3: S3Client;
let sourceKey: string;
/** The plain MD5 (hex) of the source's bytes: the ETag of any copy of it. */
let sourceMd5: string;

/** Part `index` of the source: one random MiB repeated, stamped with the part's number so parts differ. */
function partOf(block: Buffer, index: number): Buffer {
  const part = Buffer.alloc(PART_BYTES);
  for (let offset = 0; offset < PART_BYTES; offset += block.length) block.copy(part, offset);
  part.writeUInt32BE(index, 0);
  return part;
}

/** Stores the 300 MiB source as a multipart object (as the browser uploads a large file); returns its MD5. */
async function uploadSource(Key: string): Promise<string> {
  const block = randomBytes(MiB);
  const md5 = createHash('md5');
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType: 'application/octet-stream' }));
  const Parts = [];
  for (let index = 0; index < PARTS; index += 1) {
    const Body = partOf(block, index);
    md5.update(Body);
    const { ETag } = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: index + 1, Body }));
    Parts.push({ PartNumber: index + 1, ETag });
  }
  await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } }));
  return md5.digest('hex');
}

/**
 * A CopyObject that calls `onHead` with the HTTP status as soon as the answer's status and headers
 * are in, before the SDK reads its body (the middleware sits next to the HTTP handler), and waits
 * for it before letting the SDK read on.
 */
function copyWatchingHead(input: CopyObjectCommandInput, onHead: (status: number | undefined) => Promise<void>) {
  const command = new CopyObjectCommand(input);
  const watchHead: DeserializeMiddleware<CopyObjectCommandInput, CopyObjectCommandOutput> = (next) => async (args) => {
    const result = await next(args);
    await onHead((result.response as { statusCode?: number }).statusCode);
    return result;
  };
  command.middlewareStack.addRelativeTo(watchHead, {
    relation: 'after',
    toMiddleware: 'throw200ExceptionsMiddleware',
    name: 'watchHead',
    override: true,
  });
  return command;
}

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

async function exists(Key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket, Key }));
    return true;
  } catch (error) {
    if (error instanceof S3ServiceException && error.name === 'NotFound') return false;
    throw error;
  }
}

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator);
  Bucket = emulator.config.bucket;
  // One attempt: an SDK retry would hide what the first answer was.
  person = await signedInS3Person(emulator, 'copy-early@example.com', { maxAttempts: 1 });
  s3 = person.s3;
  sourceKey = `${person.home}big-source.bin`;
  sourceMd5 = await uploadSource(sourceKey);
});
afterAll(async () => {
  await emulator?.stop();
});

describe('CopyObject of a large object', () => {
  it('answers 200 while the bytes are still being copied, then CopyObjectResult with the copy’s ETag', async () => {
    const Key = `${person.home}copy/early.bin`;
    const heads: { status: number | undefined; destinationExisted: boolean }[] = [];
    const answer = await s3.send(
      copyWatchingHead({ Bucket, Key, CopySource: `${Bucket}/${sourceKey}`, IfNoneMatch: '*' }, async (status) => {
        heads.push({ status, destinationExisted: await exists(Key) });
      }),
    );
    // The head came while the copy was under way: the destination was not there yet.
    expect(heads).toEqual([{ status: 200, destinationExisted: false }]);
    expect(answer.CopyObjectResult?.ETag).toBe(`"${sourceMd5}"`);
    expect(answer.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    const copied = await s3.send(new HeadObjectCommand({ Bucket, Key }));
    expect(copied.ContentLength).toBe(PARTS * PART_BYTES);
    expect(copied.ETag).toBe(`"${sourceMd5}"`);
    expect(copied.ContentType).toBe('application/octet-stream');
  });

  it('a write that takes the key during the copy fails it inside the 200: PreconditionFailed, the other write kept', async () => {
    const Key = `${person.home}copy/raced.bin`;
    const heads: (number | undefined)[] = [];
    const refused = await failure(
      s3.send(
        copyWatchingHead({ Bucket, Key, CopySource: `${Bucket}/${sourceKey}`, IfNoneMatch: '*' }, async (status) => {
          heads.push(status);
          await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'took the name first' }));
        }),
      ),
    );
    // The answer's status was 200; the SDK (throw200Exceptions) reads the <Error> in its body,
    // throws it under its Code and reports it as a 503 (so a client with retries would retry it).
    expect(heads).toEqual([200]);
    expect(refused.name).toBe('PreconditionFailed');
    expect(refused.$metadata.httpStatusCode).toBe(503);
    const kept = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(await kept.Body?.transformToString()).toBe('took the name first');
  });

  it('the app renames it (create-only CopyObject, then delete) with a single CopyObject, no retry', async () => {
    await emulator.hook('DELETE', '/_local/stats');
    const renamed = await renameOwnFile(
      { identityId: person.identityId, credentials: person.credentials },
      sourceKey,
      'big-renamed.bin',
    );
    expect(renamed.name).toBe('big-renamed.bin');
    expect(renamed.key).toBe(ownFileKey(person.identityId, 'big-renamed.bin'));
    const stats = (await emulator.hook('GET', '/_local/stats')) as Record<string, number>;
    expect(stats['s3:CopyObject']).toBe(1);
    const moved = await s3.send(new HeadObjectCommand({ Bucket, Key: renamed.key }));
    expect(moved.ETag).toBe(`"${sourceMd5}"`);
    expect(moved.ContentLength).toBe(PARTS * PART_BYTES);
    expect(await exists(sourceKey)).toBe(false);
  });
});
