import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AwsCredentials } from '@/lib/aws/credentials';
import { createUser, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { credentialsFor } from '../helpers/identity-credentials';

let emulator: EmulatorProcess;
let credentials: AwsCredentials;
let Bucket: string;
let home: string;

/** A fresh client each time: the SDK adopts the server's clock skew, and these tests move the clock. */
function client(
  overrides: Partial<AwsCredentials> = {},
  { checksums = 'WHEN_REQUIRED', maxAttempts = 1 }: { checksums?: 'WHEN_REQUIRED' | 'WHEN_SUPPORTED'; maxAttempts?: number } = {},
) {
  return new S3Client({
    region: emulator.config.region,
    endpoint: emulator.url,
    forcePathStyle: true,
    credentials: { ...credentials, ...overrides },
    requestChecksumCalculation: checksums,
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts,
  });
}

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  Bucket = emulator.config.bucket;
  await createUser(emulator, { email: 'presign@example.com', password: 'Passw0rd!x' });
  const { idToken } = await signIn(emulator, { email: 'presign@example.com', password: 'Passw0rd!x' });
  const identity = await credentialsFor(emulator, idToken);
  credentials = identity.credentials;
  home = `private/${identity.identityId}/`;
});
afterEach(async () => {
  await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
});
afterAll(async () => {
  await emulator?.stop();
});

/** The S3 error a request made through the SDK fails with. */
async function failure(request: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await request;
  } catch (error) {
    if (error instanceof S3ServiceException) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

/** Code and message of an S3 XML error body. */
async function s3Error(response: Response): Promise<{ status: number; code: string; message: string; body: string }> {
  const body = await response.text();
  return {
    status: response.status,
    code: /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? '',
    message: /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? '',
    body,
  };
}

const putUrl = (Key: string, extra: { ContentType?: string; ContentLength?: number } = {}, expiresIn = 300) =>
  getSignedUrl(client(), new PutObjectCommand({ Bucket, Key, ...extra }), {
    expiresIn,
    signableHeaders: new Set(['content-type']),
  });

describe('presigned PUT and GET through fetch', () => {
  it('uploads and downloads, with a download disposition override', async () => {
    const Key = `${home}report.txt`;
    const put = await fetch(await putUrl(Key, { ContentType: 'text/plain', ContentLength: 5 }), {
      method: 'PUT',
      body: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toBe('"5d41402abc4b2a76b9719d911017c592"');

    const url = await getSignedUrl(
      client(),
      new GetObjectCommand({
        Bucket,
        Key,
        ResponseContentDisposition: 'attachment; filename="report.txt"',
        ResponseContentType: 'application/octet-stream',
      }),
      { expiresIn: 60 },
    );
    const get = await fetch(url);
    expect(get.status).toBe(200);
    expect(get.headers.get('content-disposition')).toBe('attachment; filename="report.txt"');
    expect(get.headers.get('content-type')).toBe('application/octet-stream');
    expect(await get.text()).toBe('hello');
  });

  it.each([
    ['smaller', 'four'],
    ['larger', 'sixsix'],
  ])('refuses a body %s than the signed Content-Length, storing nothing', async (_, body) => {
    const Key = `${home}sized-${body}.txt`;
    const url = await putUrl(Key, { ContentType: 'text/plain', ContentLength: 5 });
    const response = await fetch(url, { method: 'PUT', body, headers: { 'content-type': 'text/plain' } });
    expect(await s3Error(response)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    const head = await failure(client().send(new HeadObjectCommand({ Bucket, Key })));
    expect(head.$metadata.httpStatusCode).toBe(404);
  });

  it('refuses a Content-Type other than the signed one, with the debugging elements', async () => {
    const url = await putUrl(`${home}image.png`, { ContentType: 'image/png' });
    const response = await fetch(url, {
      method: 'PUT',
      body: '<svg onload=alert(1)>',
      headers: { 'content-type': 'image/svg+xml' },
    });
    const error = await s3Error(response);
    expect(error).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(error.message).toBe(
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
    expect(error.body).toContain('content-type:image/svg+xml');
    for (const element of ['AWSAccessKeyId', 'StringToSign', 'SignatureProvided', 'CanonicalRequest', 'CanonicalRequestBytes']) {
      expect(error.body).toContain(`<${element}>`);
    }
  });

  it('refuses a tampered signature, key or method', async () => {
    const url = new URL(await putUrl(`${home}tamper.txt`));
    const signature = url.searchParams.get('X-Amz-Signature') ?? '';
    const tampered = new URL(url);
    tampered.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
    expect((await s3Error(await fetch(tampered, { method: 'PUT', body: 'x' }))).code).toBe('SignatureDoesNotMatch');
    const otherKey = new URL(url.href.replace('tamper.txt', 'other.txt'));
    expect((await s3Error(await fetch(otherKey, { method: 'PUT', body: 'x' }))).code).toBe('SignatureDoesNotMatch');
    expect((await s3Error(await fetch(url, { method: 'GET' }))).code).toBe('SignatureDoesNotMatch');
  });

  it('refuses a non-empty upload to a URL presigned with the SDK default empty-body CRC32', async () => {
    const url = await getSignedUrl(
      client({}, { checksums: 'WHEN_SUPPORTED' }),
      new PutObjectCommand({ Bucket, Key: `${home}crc.txt` }),
      {
        expiresIn: 60,
      },
    );
    expect(new URL(url).searchParams.get('x-amz-checksum-crc32')).toBe('AAAAAA==');
    expect(await s3Error(await fetch(url, { method: 'PUT', body: 'data' }))).toMatchObject({ status: 400, code: 'BadDigest' });
  });
});

describe('presigned URL validity', () => {
  it('expires: AccessDenied "Request has expired" with the S3 elements', async () => {
    const url = await putUrl(`${home}late.txt`, {}, 60);
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 120 });
    const error = await s3Error(await fetch(url, { method: 'PUT', body: 'x' }));
    expect(error).toMatchObject({ status: 403, code: 'AccessDenied', message: 'Request has expired' });
    expect(error.body).toContain('<X-Amz-Expires>60</X-Amz-Expires>');
    expect(error.body).toMatch(/<Expires>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/Expires><ServerTime>/);
  });

  it('is not valid before its X-Amz-Date', async () => {
    const url = await putUrl(`${home}early.txt`);
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: -3600 });
    expect(await s3Error(await fetch(url, { method: 'PUT', body: 'x' }))).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'Request is not yet valid',
    });
  });

  it('dies with its credentials: ExpiredToken once they expire, even within X-Amz-Expires', async () => {
    const url = await putUrl(`${home}creds.txt`, {}, 7200);
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 3700 });
    expect(await s3Error(await fetch(url, { method: 'PUT', body: 'x' }))).toMatchObject({ status: 400, code: 'ExpiredToken' });
    const error = await failure(client().send(new GetObjectCommand({ Bucket, Key: `${home}creds.txt` })));
    expect(error.name).toBe('ExpiredToken');
    expect(error.message).toBe('The provided token has expired.');
  });

  it('refuses X-Amz-Expires over a week', async () => {
    const url = new URL(await putUrl(`${home}week.txt`));
    url.searchParams.set('X-Amz-Expires', '604801');
    const error = await s3Error(await fetch(url, { method: 'PUT', body: 'x' }));
    expect(error).toMatchObject({ status: 400, code: 'AuthorizationQueryParametersError' });
    expect(error.message).toBe('X-Amz-Expires must be less than a week (in seconds) that is 604800');
  });
});

describe('authentication failures', () => {
  it('refuses anonymous requests with AccessDenied', async () => {
    const response = await fetch(`${emulator.url}/${Bucket}/public/anything.txt`);
    expect(await s3Error(response)).toMatchObject({ status: 403, code: 'AccessDenied', message: 'Access Denied' });
  });

  it('refuses unknown access keys, missing and wrong session tokens', async () => {
    const Key = `${home}auth.txt`;
    const unknown = await failure(client({ accessKeyId: 'ASIAUNKNOWNUNKNOWN00' }).send(new GetObjectCommand({ Bucket, Key })));
    expect(unknown).toMatchObject({ name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } });
    const noToken = await failure(client({ sessionToken: undefined }).send(new GetObjectCommand({ Bucket, Key })));
    expect(noToken.name).toBe('InvalidAccessKeyId');
    const wrongToken = await failure(
      client({ sessionToken: `${credentials.sessionToken}x` }).send(new GetObjectCommand({ Bucket, Key })),
    );
    expect(wrongToken).toMatchObject({ name: 'InvalidToken', $metadata: { httpStatusCode: 400 } });
    const wrongSecret = await failure(client({ secretAccessKey: 'not-the-secret' }).send(new GetObjectCommand({ Bucket, Key })));
    expect(wrongSecret).toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
  });

  it('refuses header-signed requests from a skewed clock; the SDK then corrects from the Date header', async () => {
    const Key = `${home}skew.txt`;
    await client().send(new PutObjectCommand({ Bucket, Key, Body: 'skew' }));
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 1200 });
    const error = await failure(client().send(new GetObjectCommand({ Bucket, Key })));
    expect(error).toMatchObject({ name: 'RequestTimeTooSkewed', $metadata: { httpStatusCode: 403 } });
    const retrying = client({}, { maxAttempts: 3 });
    const got = await retrying.send(new GetObjectCommand({ Bucket, Key }));
    expect(await got.Body?.transformToString()).toBe('skew');
  });
});
