import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListPartsCommand,
  NoSuchKey,
  NoSuchUpload,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { signedInS3Person } from '../helpers/s3-person';

/**
 * Conditional writes (If-None-Match: *, If-Match) against the emulator process, through the
 * official S3 client and through presigned URLs with plain fetch, as a browser sends them.
 */

let emulator: EmulatorProcess;
let s3: S3Client;
let Bucket: string;
let home: string;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  Bucket = emulator.config.bucket;
  // One attempt: a 409 or 412 is the answer under test, never something to retry.
  const person = await signedInS3Person(emulator, 'conditional@example.com', { maxAttempts: 1 });
  s3 = person.s3;
  home = person.home;
});
afterAll(async () => {
  await emulator?.stop();
});

const quotedMd5 = (data: string | Buffer) => `"${createHash('md5').update(data).digest('hex')}"`;

async function failure(promise: Promise<unknown>): Promise<S3ServiceException & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) return error as S3ServiceException & Record<string, unknown>;
    throw error;
  }
  throw new Error('expected the request to fail');
}

async function read(Key: string): Promise<string> {
  const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
  return (await got.Body?.transformToString()) ?? '';
}

/** A presigned PUT whose signature covers `If-None-Match: *` (what Cubby hands the browser). */
function presignCreateOnly(Key: string): Promise<string> {
  return getSignedUrl(s3, new PutObjectCommand({ Bucket, Key, IfNoneMatch: '*' }), { expiresIn: 300 });
}

/** Code, Condition and the rest of an S3 XML error answer. */
async function xmlError(response: Response): Promise<{ code?: string; condition?: string; body: string }> {
  const body = await response.text();
  return {
    code: /<Code>([^<]*)<\/Code>/.exec(body)?.[1],
    condition: /<Condition>([^<]*)<\/Condition>/.exec(body)?.[1],
    body,
  };
}

/**
 * PUTs every body to `url` at once, as close to simultaneously as a client can: each request
 * sends all but its last byte, and only when every one of them has been flushed to the socket
 * do all the last bytes go, in one tick. So the emulator finishes receiving the bodies together
 * and the check-then-commit of every request overlaps, whatever the machine's speed.
 * Returns the status of each.
 */
async function putTogether(url: string, bodies: Buffer[], headers: Record<string, string>): Promise<number[]> {
  const requests = bodies.map((body) => {
    const request = http.request(url, { method: 'PUT', headers: { ...headers, 'content-length': String(body.length) } });
    const status = new Promise<number>((resolve, reject) => {
      request.once('response', (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
      });
      request.once('error', reject);
    });
    const flushed = new Promise<void>((resolve, reject) =>
      request.write(body.subarray(0, -1), (error) => (error ? reject(error) : resolve())),
    );
    return { request, body, status, flushed };
  });
  await Promise.all(requests.map(({ flushed }) => flushed));
  for (const { request, body } of requests) request.end(body.subarray(-1));
  return Promise.all(requests.map(({ status }) => status));
}

describe('PutObject', () => {
  it('If-None-Match: * creates once, then answers 412 PreconditionFailed naming the condition and keeps the object', async () => {
    const Key = `${home}create-once.txt`;
    const created = await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'first', IfNoneMatch: '*' }));
    expect(created.ETag).toBe(quotedMd5('first'));
    const error = await failure(s3.send(new PutObjectCommand({ Bucket, Key, Body: 'second', IfNoneMatch: '*' })));
    expect(error.name).toBe('PreconditionFailed');
    expect(error.$metadata.httpStatusCode).toBe(412);
    expect(error.Condition).toBe('If-None-Match');
    expect(await read(Key)).toBe('first');
  });

  it('If-Match replaces only the version it names: 200 for the right ETag, 412 for a stale one', async () => {
    const Key = `${home}compare-and-swap.txt`;
    const { ETag: first } = await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'v1' }));
    const { ETag: second } = await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'v2', IfMatch: first }));
    expect(second).toBe(quotedMd5('v2'));
    // Quotes are optional, as on S3.
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'v3', IfMatch: second?.replace(/"/g, '') }));
    const stale = await failure(s3.send(new PutObjectCommand({ Bucket, Key, Body: 'v4', IfMatch: first })));
    expect(stale.$metadata.httpStatusCode).toBe(412);
    expect(stale.Condition).toBe('If-Match');
    expect(await read(Key)).toBe('v3');
  });

  it('If-Match on a key with no object answers 404 NoSuchKey and writes nothing', async () => {
    const Key = `${home}never-written.txt`;
    const error = await failure(s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x', IfMatch: quotedMd5('x') })));
    expect(error).toBeInstanceOf(NoSuchKey);
    expect(await failure(read(Key))).toBeInstanceOf(NoSuchKey);
  });

  it('answers 501 NotImplemented for If-None-Match other than *', async () => {
    const Key = `${home}etag-none-match.txt`;
    const error = await failure(s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x', IfNoneMatch: quotedMd5('y') })));
    expect(error.name).toBe('NotImplemented');
    expect(error.$metadata.httpStatusCode).toBe(501);
    expect(await failure(read(Key))).toBeInstanceOf(NoSuchKey);
  });

  it('lets exactly one of 20 concurrent create-only PUTs of one key win; the others get 412/409 and the winner’s bytes stay', async () => {
    const Key = `${home}race/one-key.bin`;
    const bodies = Array.from({ length: 20 }, () => randomBytes(256 * 1024));
    const results = await Promise.allSettled(
      bodies.map((Body) => s3.send(new PutObjectCommand({ Bucket, Key, Body, IfNoneMatch: '*' }))),
    );
    const winners = results.flatMap((result, index) => (result.status === 'fulfilled' ? [index] : []));
    expect(winners).toHaveLength(1);
    const winner = bodies[winners[0] ?? -1] as Buffer;
    for (const result of results) {
      if (result.status === 'rejected') {
        expect(result.reason).toBeInstanceOf(S3ServiceException);
        expect([412, 409]).toContain((result.reason as S3ServiceException).$metadata.httpStatusCode);
      }
    }
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    const stored = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
    expect(stored.equals(winner)).toBe(true);
    expect(got.ETag).toBe(quotedMd5(winner));
  });
});

describe('presigned PUT with a signed If-None-Match (plain fetch, as the browser sends it)', () => {
  it('signs the header, creates once, then answers 412 with S3’s XML and CORS headers the page can read', async () => {
    const Key = `${home}presigned/report.pdf`;
    const url = await presignCreateOnly(Key);
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')?.split(';')).toContain('if-none-match');
    const origin = emulator.config.appUrl;

    const created = await fetch(url, { method: 'PUT', body: 'tab one', headers: { 'if-none-match': '*', origin } });
    expect(created.status).toBe(200);
    expect(created.headers.get('etag')).toBe(quotedMd5('tab one'));

    const refused = await fetch(url, { method: 'PUT', body: 'tab two', headers: { 'if-none-match': '*', origin } });
    expect(refused.status).toBe(412);
    expect(refused.headers.get('access-control-allow-origin')).toBe(origin);
    expect(await xmlError(refused)).toMatchObject({ code: 'PreconditionFailed', condition: 'If-None-Match' });
    expect(await read(Key)).toBe('tab one');
  });

  it('answers a large create-only PUT onto a taken key with a 412 the page can read', async () => {
    const Key = `${home}presigned/big-taken.bin`;
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'taken' }));
    const url = await presignCreateOnly(Key);
    const origin = emulator.config.appUrl;
    const body = Buffer.alloc(24 * 1024 * 1024, 7);
    const refused = await fetch(url, { method: 'PUT', body, headers: { 'if-none-match': '*', origin } });
    expect(refused.status).toBe(412);
    expect(refused.headers.get('access-control-allow-origin')).toBe(origin);
    expect((await xmlError(refused)).code).toBe('PreconditionFailed');
    expect(await read(Key)).toBe('taken');
  });

  it('refuses the PUT with 403 SignatureDoesNotMatch when the signed header is dropped, writing nothing', async () => {
    const Key = `${home}presigned/dropped-header.txt`;
    const url = await presignCreateOnly(Key);
    const response = await fetch(url, { method: 'PUT', body: 'no header' });
    expect(response.status).toBe(403);
    expect((await xmlError(response)).code).toBe('SignatureDoesNotMatch');
    expect(await failure(read(Key))).toBeInstanceOf(NoSuchKey);
  });

  it('lets the browser send If-None-Match: the preflight allows the header for PUT', async () => {
    const origin = emulator.config.appUrl;
    const response = await fetch(`${emulator.url}/${Bucket}/${home}presigned/x`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type,if-none-match',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(response.headers.get('access-control-allow-headers')).toContain('if-none-match');
  });

  it('lets exactly one of 20 presigned create-only PUTs win when all their bodies end at the same moment', async () => {
    const Key = `${home}presigned/race.bin`;
    const url = await presignCreateOnly(Key);
    const bodies = Array.from({ length: 20 }, () => randomBytes(64 * 1024));
    const statuses = await putTogether(url, bodies, { 'if-none-match': '*' });
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.every((status) => status === 200 || status === 412 || status === 409)).toBe(true);
    const winner = bodies[statuses.indexOf(200)] as Buffer;
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(winner)).toBe(true);
  });
});

describe('CopyObject', () => {
  it('applies If-None-Match / If-Match to the destination: 412 onto an existing key, 200 onto a free one', async () => {
    const source = `${home}copy/source.txt`;
    const taken = `${home}copy/taken.txt`;
    await s3.send(new PutObjectCommand({ Bucket, Key: source, Body: 'source bytes' }));
    const { ETag: takenEtag } = await s3.send(new PutObjectCommand({ Bucket, Key: taken, Body: 'someone else' }));
    const CopySource = `${Bucket}/${source}`;

    const refused = await failure(s3.send(new CopyObjectCommand({ Bucket, Key: taken, CopySource, IfNoneMatch: '*' })));
    expect(refused.$metadata.httpStatusCode).toBe(412);
    expect(refused.Condition).toBe('If-None-Match');
    expect(await read(taken)).toBe('someone else');

    const free = `${home}copy/free.txt`;
    await s3.send(new CopyObjectCommand({ Bucket, Key: free, CopySource, IfNoneMatch: '*' }));
    expect(await read(free)).toBe('source bytes');

    const stale = await failure(s3.send(new CopyObjectCommand({ Bucket, Key: taken, CopySource, IfMatch: quotedMd5('nope') })));
    expect(stale.$metadata.httpStatusCode).toBe(412);
    await s3.send(new CopyObjectCommand({ Bucket, Key: taken, CopySource, IfMatch: takenEtag }));
    expect(await read(taken)).toBe('source bytes');
  });

  it('keeps the source conditions (x-amz-copy-source-if-*) on the source', async () => {
    const source = `${home}copy/conditional-source.txt`;
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket, Key: source, Body: 'src' }));
    const CopySource = `${Bucket}/${source}`;
    const refused = await failure(
      s3.send(new CopyObjectCommand({ Bucket, Key: `${home}copy/c1.txt`, CopySource, CopySourceIfMatch: quotedMd5('other') })),
    );
    expect(refused.$metadata.httpStatusCode).toBe(412);
    await s3.send(new CopyObjectCommand({ Bucket, Key: `${home}copy/c2.txt`, CopySource, CopySourceIfMatch: ETag }));
    expect(await read(`${home}copy/c2.txt`)).toBe('src');
  });
});

describe('CompleteMultipartUpload', () => {
  const MiB = 1024 * 1024;

  /** Starts an upload of `key` and uploads two parts (5 MiB + a tail); returns what Complete needs. */
  async function upload(Key: string) {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const parts = [Buffer.alloc(5 * MiB, 1), Buffer.from('tail')];
    const Parts = [];
    for (const [index, Body] of parts.entries()) {
      const { ETag } = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: index + 1, Body }));
      Parts.push({ ETag, PartNumber: index + 1 });
    }
    return { UploadId, MultipartUpload: { Parts }, size: 5 * MiB + 4 };
  }

  it('loses to a PutObject that took the key meanwhile: 412, nothing overwritten, the upload still there to abort', async () => {
    const Key = `${home}multipart/lost-race.bin`;
    const { UploadId, MultipartUpload } = await upload(Key);
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'the other tab', IfNoneMatch: '*' }));

    const error = await failure(
      s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload, IfNoneMatch: '*' })),
    );
    expect(error.$metadata.httpStatusCode).toBe(412);
    expect(error.Condition).toBe('If-None-Match');
    expect(await read(Key)).toBe('the other tab');

    const listed = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
    expect(listed.Parts?.map((part) => part.PartNumber)).toEqual([1, 2]);
    await s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }));
    expect(await failure(s3.send(new ListPartsCommand({ Bucket, Key, UploadId })))).toBeInstanceOf(NoSuchUpload);
  });

  it('can still be completed after a 412 once the key is free again', async () => {
    const Key = `${home}multipart/retry-later.bin`;
    const { UploadId, MultipartUpload, size } = await upload(Key);
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'briefly here' }));
    const refused = await failure(
      s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload, IfNoneMatch: '*' })),
    );
    expect(refused.$metadata.httpStatusCode).toBe(412);
    await s3.send(new DeleteObjectCommand({ Bucket, Key }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload, IfNoneMatch: '*' }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(got.ContentLength).toBe(size);
    await got.Body?.transformToByteArray();
  });

  it('answers 409 ConditionalRequestConflict, and ends the upload, when the key was deleted during the upload', async () => {
    const Key = `${home}multipart/conflict.bin`;
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'old version' }));
    const { UploadId, MultipartUpload } = await upload(Key);
    await s3.send(new DeleteObjectCommand({ Bucket, Key }));
    const error = await failure(
      s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload, IfMatch: ETag })),
    );
    expect(error.name).toBe('ConditionalRequestConflict');
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect(await failure(read(Key))).toBeInstanceOf(NoSuchKey);
    expect(await failure(s3.send(new ListPartsCommand({ Bucket, Key, UploadId })))).toBeInstanceOf(NoSuchUpload);
  });

  it('If-Match completes over the version it names', async () => {
    const Key = `${home}multipart/replace.bin`;
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'small' }));
    const { UploadId, MultipartUpload, size } = await upload(Key);
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload, IfMatch: ETag }));
    expect(done.ETag).toMatch(/-2"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(got.ContentLength).toBe(size);
    await got.Body?.transformToByteArray();
  });
});
