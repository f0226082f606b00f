import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { signedInS3Person } from '../helpers/s3-person';

let emulator: EmulatorProcess;
let s3: S3Client;
let Bucket: string;
/** `private/<identityId>/`: the caller's own folder. */
let home: string;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  Bucket = emulator.config.bucket;
  const person = await signedInS3Person(emulator, 'objects@example.com');
  s3 = person.s3;
  home = person.home;
});
afterAll(async () => {
  await emulator?.stop();
});

const md5 = (data: string | Buffer) => `"${createHash('md5').update(data).digest('hex')}"`;

function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  return promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: unknown) => {
      if (!(error instanceof S3ServiceException)) throw error;
      return error;
    },
  );
}

describe('PutObject / GetObject / HeadObject', () => {
  it('stores a body with its headers and metadata and returns them', async () => {
    const Key = `${home}notes/a b+c:✓.txt`;
    const put = await s3.send(
      new PutObjectCommand({ Bucket, Key, Body: 'hello world', ContentType: 'text/plain', Metadata: { origin: 'test' } }),
    );
    expect(put.ETag).toBe(md5('hello world'));
    expect(put.ServerSideEncryption).toBe('AES256');

    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(await got.Body?.transformToString()).toBe('hello world');
    expect(got).toMatchObject({ ContentType: 'text/plain', ContentLength: 11, ETag: md5('hello world'), AcceptRanges: 'bytes' });
    expect(got.Metadata).toEqual({ origin: 'test' });
    expect(got.LastModified).toBeInstanceOf(Date);

    const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
    expect(head).toMatchObject({ ContentLength: 11, ETag: md5('hello world'), ContentType: 'text/plain' });
  });

  it('round-trips awkward keys and an empty body', async () => {
    const names = ['100% #1?.txt', 'a/../b', 'x//y', 'plus+and space', "quote'(1)*!", 'ünï©ødé/✓', 'tab\tline'];
    for (const name of names) {
      const Key = `${home}odd/${name}`;
      await s3.send(new PutObjectCommand({ Bucket, Key, Body: name }));
      const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
      expect(await got.Body?.transformToString()).toBe(name);
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: `${home}odd/` }));
    expect(listed.Contents?.map((object) => object.Key?.slice(`${home}odd/`.length)).sort()).toEqual([...names].sort());

    const Key = `${home}empty`;
    expect((await s3.send(new PutObjectCommand({ Bucket, Key, Body: '' }))).ETag).toBe(md5(''));
    const empty = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(empty.ContentLength).toBe(0);
    expect(await empty.Body?.transformToString()).toBe('');
  });

  it('replaces an object on a second PUT and refuses it with If-None-Match: *', async () => {
    const Key = `${home}replace.txt`;
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'one' }));
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'two!' }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(await got.Body?.transformToString()).toBe('two!');
    const error = await failure(s3.send(new PutObjectCommand({ Bucket, Key, Body: 'three', IfNoneMatch: '*' })));
    expect(error.name).toBe('PreconditionFailed');
    expect(error.$metadata.httpStatusCode).toBe(412);
  });

  it('serves byte ranges with 206 and Content-Range, and refuses unsatisfiable ones', async () => {
    const Key = `${home}range.txt`;
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: '0123456789' }));
    const part = await s3.send(new GetObjectCommand({ Bucket, Key, Range: 'bytes=2-5' }));
    expect(part.$metadata.httpStatusCode).toBe(206);
    expect(part.ContentRange).toBe('bytes 2-5/10');
    expect(await part.Body?.transformToString()).toBe('2345');
    const suffix = await s3.send(new GetObjectCommand({ Bucket, Key, Range: 'bytes=-3' }));
    expect(await suffix.Body?.transformToString()).toBe('789');
    const error = await failure(s3.send(new GetObjectCommand({ Bucket, Key, Range: 'bytes=10-' })));
    expect(error.name).toBe('InvalidRange');
    expect(error.$metadata.httpStatusCode).toBe(416);
  });

  it('answers 304 for a matching If-None-Match and 412 for a failing If-Match', async () => {
    const Key = `${home}conditional.txt`;
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'cached' }));
    const notModified = await failure(s3.send(new GetObjectCommand({ Bucket, Key, IfNoneMatch: ETag })));
    expect(notModified.$metadata.httpStatusCode).toBe(304);
    const failed = await failure(s3.send(new GetObjectCommand({ Bucket, Key, IfMatch: '"0000"' })));
    expect(failed.$metadata.httpStatusCode).toBe(412);
  });

  it('gives NoSuchKey for a missing key the caller may list, NotFound on HEAD', async () => {
    const error = await failure(s3.send(new GetObjectCommand({ Bucket, Key: `${home}missing.txt` })));
    expect(error).toBeInstanceOf(NoSuchKey);
    expect(error.$metadata.httpStatusCode).toBe(404);
    const head = await failure(s3.send(new HeadObjectCommand({ Bucket, Key: `${home}missing.txt` })));
    expect(head.$metadata.httpStatusCode).toBe(404);
  });

  it('refuses keys over 1024 bytes and other buckets', async () => {
    const long = await failure(s3.send(new PutObjectCommand({ Bucket, Key: `${home}${'k'.repeat(1024)}`, Body: 'x' })));
    expect(long.name).toBe('KeyTooLongError');
    expect(long.$metadata.httpStatusCode).toBe(400);
    const other = await failure(s3.send(new GetObjectCommand({ Bucket: 'someone-elses-bucket', Key: 'x' })));
    expect(other.name).toBe('NoSuchBucket');
    expect(other.$metadata.httpStatusCode).toBe(404);
  });
});

describe('DeleteObject / DeleteObjects', () => {
  it('deletes an object, and answers 204 again for the missing key', async () => {
    const Key = `${home}delete-me.txt`;
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'bye' }));
    expect((await s3.send(new DeleteObjectCommand({ Bucket, Key }))).$metadata.httpStatusCode).toBe(204);
    expect((await s3.send(new DeleteObjectCommand({ Bucket, Key }))).$metadata.httpStatusCode).toBe(204);
    expect((await failure(s3.send(new GetObjectCommand({ Bucket, Key })))).name).toBe('NoSuchKey');
  });

  it('deletes a batch, reporting refused keys as AccessDenied, and only errors in Quiet mode', async () => {
    const keys = ['1', '2', '3'].map((name) => `${home}batch/${name}`);
    await Promise.all(keys.map((Key) => s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }))));
    const result = await s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: { Objects: [{ Key: keys[0] }, { Key: keys[1] }, { Key: 'private/us-east-1:someone-else/x' }] },
      }),
    );
    expect(result.Deleted?.map((entry) => entry.Key).sort()).toEqual([keys[0], keys[1]]);
    expect(result.Errors).toEqual([{ Key: 'private/us-east-1:someone-else/x', Code: 'AccessDenied', Message: 'Access Denied' }]);
    const quiet = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Quiet: true, Objects: [{ Key: keys[2] }] } }));
    expect(quiet.Deleted).toBeUndefined();
    expect(quiet.Errors).toBeUndefined();
    expect((await failure(s3.send(new HeadObjectCommand({ Bucket, Key: keys[2] })))).$metadata.httpStatusCode).toBe(404);
  });
});

describe('CopyObject', () => {
  it('copies body and metadata, or replaces metadata with REPLACE', async () => {
    const source = `${home}copy/source.txt`;
    await s3.send(
      new PutObjectCommand({ Bucket, Key: source, Body: 'copy me', ContentType: 'text/plain', Metadata: { a: '1' } }),
    );
    const copied = await s3.send(
      new CopyObjectCommand({ Bucket, Key: `${home}copy/target.txt`, CopySource: `${Bucket}/${encodeURIComponent(source)}` }),
    );
    expect(copied.CopyObjectResult?.ETag).toBe(md5('copy me'));
    const target = await s3.send(new GetObjectCommand({ Bucket, Key: `${home}copy/target.txt` }));
    expect(await target.Body?.transformToString()).toBe('copy me');
    expect(target).toMatchObject({ ContentType: 'text/plain', Metadata: { a: '1' } });

    await s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: source,
        CopySource: `${Bucket}/${encodeURIComponent(source)}`,
        MetadataDirective: 'REPLACE',
        ContentType: 'text/markdown',
        Metadata: { b: '2' },
      }),
    );
    expect(await s3.send(new HeadObjectCommand({ Bucket, Key: source }))).toMatchObject({
      ContentType: 'text/markdown',
      Metadata: { b: '2' },
    });
  });

  it('refuses a copy onto itself without REPLACE, and a missing source', async () => {
    const Key = `${home}copy/self.txt`;
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x' }));
    const self = await failure(
      s3.send(new CopyObjectCommand({ Bucket, Key, CopySource: `${Bucket}/${encodeURIComponent(Key)}` })),
    );
    expect(self.name).toBe('InvalidRequest');
    const missing = await failure(
      s3.send(new CopyObjectCommand({ Bucket, Key, CopySource: `${Bucket}/${encodeURIComponent(`${home}nope`)}` })),
    );
    expect(missing.name).toBe('NoSuchKey');
  });
});

describe('the S3 wire format', () => {
  it('puts request ids on every response and S3 XML in error bodies', async () => {
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: `${home}absent` }), { expiresIn: 60 });
    const response = await fetch(url);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/xml');
    const requestId = response.headers.get('x-amz-request-id') ?? '';
    expect(requestId).toMatch(/^[0-9A-F]{16}$/);
    expect(response.headers.get('x-amz-id-2')).toBeTruthy();
    const body = await response.text();
    expect(body).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code>/);
    expect(body).toContain('<Message>The specified key does not exist.</Message>');
    expect(body).toContain(`<Key>${home}absent</Key>`);
    expect(body).toContain(`<RequestId>${requestId}</RequestId><HostId>`);
  });

  it('answers HEAD errors without a body', async () => {
    const url = await getSignedUrl(s3, new HeadObjectCommand({ Bucket, Key: `${home}absent` }), { expiresIn: 60 });
    const response = await fetch(url, { method: 'HEAD' });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amz-request-id')).toBeTruthy();
    expect(await response.text()).toBe('');
  });
});
