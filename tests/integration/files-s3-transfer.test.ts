import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsCredentials } from '@/lib/aws/credentials';
import { ownFileKey } from '@/lib/aws/keys';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  headFile,
  listUploadedParts,
  planMultipart,
  presignDownload,
  presignUpload,
  presignUploadParts,
} from '@/lib/aws/s3';
import { AppError } from '@/lib/errors';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { signedInS3Person } from '../helpers/s3-person';

const MiB = 1024 * 1024;

let emulator: EmulatorProcess;
let credentials: AwsCredentials;
let identityId: string;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator);
  const person = await signedInS3Person(emulator, 'transfer@example.com');
  credentials = person.credentials;
  identityId = person.identityId;
});
afterAll(async () => {
  await emulator?.stop();
});

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

async function put(url: string, headers: Record<string, string>, body: Uint8Array<ArrayBuffer>): Promise<Response> {
  return fetch(url, { method: 'PUT', headers, body });
}

describe('presigned upload', () => {
  it('stores exactly the body sent through the URL', async () => {
    const key = ownFileKey(identityId, 'notes 日本.txt');
    const body = new TextEncoder().encode('hello from the browser');
    const { url, headers } = await presignUpload(credentials, { key, size: body.length, contentType: 'text/plain' }, 300);
    const response = await put(url, headers, body);
    expect(response.status).toBe(200);
    const stored = await headFile(credentials, key);
    expect(stored).toMatchObject({ key, name: 'notes 日本.txt', size: body.length });
    const download = await fetch(
      await presignDownload(credentials, { key, fileName: 'notes 日本.txt', contentType: 'text/plain' }, 60),
    );
    expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(sha256(body));
  });

  it('refuses another Content-Type than the one signed', async () => {
    const key = ownFileKey(identityId, 'typed.png');
    const body = new Uint8Array(16);
    const { url } = await presignUpload(credentials, { key, size: body.length, contentType: 'image/png' }, 300);
    const response = await put(url, { 'Content-Type': 'text/html' }, body);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(await headFile(credentials, key)).toBeNull();
  });

  it('refuses a body larger than the signed length and stores nothing', async () => {
    const key = ownFileKey(identityId, 'sized.bin');
    const { url, headers } = await presignUpload(credentials, { key, size: 10, contentType: 'application/octet-stream' }, 300);
    const response = await put(url, headers, new Uint8Array(11));
    expect(response.status).toBe(403);
    expect(await headFile(credentials, key)).toBeNull();
  });
});

describe('presigned download', () => {
  async function upload(name: string, contentType: string, body: Uint8Array<ArrayBuffer>): Promise<string> {
    const key = ownFileKey(identityId, name);
    const { url, headers } = await presignUpload(credentials, { key, size: body.length, contentType }, 300);
    expect((await put(url, headers, body)).status).toBe(200);
    return key;
  }

  it('serves an HTML file as an attachment of type application/octet-stream', async () => {
    const key = await upload('page.html', 'text/html', new TextEncoder().encode('<script>alert(1)</script>'));
    const response = await fetch(
      await presignDownload(credentials, { key, fileName: 'page.html', contentType: 'text/html' }, 60),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="page.html"; filename*=UTF-8''page.html`);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
  });

  it('shows a PNG inline as image/png, with a UTF-8 file name', async () => {
    const key = await upload('café.png', 'image/png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const response = await fetch(await presignDownload(credentials, { key, fileName: 'café.png', contentType: 'image/png' }, 60));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`inline; filename="cafe.png"; filename*=UTF-8''caf%C3%A9.png`);
    expect(response.headers.get('content-type')).toBe('image/png');
  });
});

describe('multipart upload', () => {
  it('resumes after a failed part: listUploadedParts tells what is left, then it completes', async () => {
    const size = 11 * MiB + 123;
    const data = new Uint8Array(size);
    for (let index = 0; index < size; index += 4096) data[index] = (index / 4096) % 251;
    const key = ownFileKey(identityId, 'big video.mp4');
    const plan = planMultipart(size);
    expect(plan).toEqual({ partSize: 8 * MiB, count: 2, lastPartSize: 3 * MiB + 123 });

    const uploadId = await createMultipartUpload(credentials, { key, contentType: 'video/mp4' });
    const urls = await presignUploadParts(credentials, {
      key,
      uploadId,
      partNumbers: [1, 2],
      partSize: plan.partSize,
      lastPartSize: plan.lastPartSize,
      totalParts: plan.count,
    });
    const partBody = (partNumber: number) =>
      data.subarray((partNumber - 1) * plan.partSize, Math.min(size, partNumber * plan.partSize));
    const send = (partNumber: number) => {
      const url = urls.find((part) => part.partNumber === partNumber)?.url;
      if (!url) throw new Error(`no URL for part ${partNumber}`);
      return put(url, {}, partBody(partNumber));
    };

    const first = await send(1);
    expect(first.status).toBe(200);
    await emulator.hook('POST', '/_local/faults', { target: 's3', status: 503, times: 1 });
    const failed = await send(2);
    expect(failed.status).toBe(503);

    const afterFailure = await listUploadedParts(credentials, { key, uploadId });
    expect(afterFailure.map((part) => part.partNumber)).toEqual([1]);
    expect(afterFailure[0]).toMatchObject({ size: 8 * MiB, etag: first.headers.get('etag')?.replaceAll('"', '') });

    const retried = await send(2);
    expect(retried.status).toBe(200);
    const parts = await listUploadedParts(credentials, { key, uploadId });
    expect(parts.map((part) => [part.partNumber, part.size])).toEqual([
      [1, 8 * MiB],
      [2, 3 * MiB + 123],
    ]);
    // Out of order and with the quoted ETag a browser reads: both are accepted.
    await completeMultipartUpload(credentials, {
      key,
      uploadId,
      parts: [
        { partNumber: 2, etag: retried.headers.get('etag') ?? '' },
        { partNumber: 1, etag: parts[0]?.etag ?? '' },
      ],
    });

    const stored = await headFile(credentials, key);
    expect(stored?.size).toBe(size);
    expect(stored?.etag).toMatch(/^[0-9a-f]{32}-2$/);
    const download = await fetch(
      await presignDownload(credentials, { key, fileName: 'big video.mp4', contentType: 'video/mp4' }, 60),
    );
    expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(sha256(data));
  });

  it('refuses a part larger than its signed length', async () => {
    const key = ownFileKey(identityId, 'strict.bin');
    const uploadId = await createMultipartUpload(credentials, { key, contentType: 'application/octet-stream' });
    const [part] = await presignUploadParts(credentials, {
      key,
      uploadId,
      partNumbers: [1],
      partSize: 8 * MiB,
      lastPartSize: 100,
      totalParts: 1,
    });
    const response = await put(part?.url ?? '', {}, new Uint8Array(101));
    expect(response.status).toBe(403);
    expect(await listUploadedParts(credentials, { key, uploadId })).toEqual([]);
    await abortMultipartUpload(credentials, { key, uploadId });
  });

  it('aborts: the upload is gone (not_found), and aborting again succeeds', async () => {
    const key = ownFileKey(identityId, 'abandoned.bin');
    const uploadId = await createMultipartUpload(credentials, { key, contentType: 'application/octet-stream' });
    await abortMultipartUpload(credentials, { key, uploadId });
    const error = await listUploadedParts(credentials, { key, uploadId }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('not_found');
    await expect(abortMultipartUpload(credentials, { key, uploadId })).resolves.toBeUndefined();
    const completed = await completeMultipartUpload(credentials, { key, uploadId, parts: [{ partNumber: 1, etag: 'x' }] }).catch(
      (caught: unknown) => caught,
    );
    expect((completed as AppError).code).toBe('not_found');
  });
});
