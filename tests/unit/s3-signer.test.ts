import { GetObjectCommand, PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * lib/aws/s3-signer.ts signs requests it builds itself (for speed); these tests hold it to the
 * SDK's getSignedUrl: the same URL, byte for byte, for every kind of URL Cubby hands out, on the
 * emulator (path-style endpoint) and on AWS (virtual-hosted), with awkward keys.
 */

const CREDENTIALS = {
  accessKeyId: 'ASIAQSIGNERTEST00001',
  secretAccessKey: 'c2VjcmV0LWtleS1mb3ItdGhlLXNpZ25lci10ZXN0',
  sessionToken: 'IQoJb3JpZ2luX2VjEPr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ-session-token',
  expiration: new Date('2026-06-01T13:00:00Z'),
};
const KEYS = [
  'private/us-east-1:1666ff8c-8ddf-42c8-9109-07e2dfd3848c/photo.jpg',
  'private/us-east-1:1666ff8c-8ddf-42c8-9109-07e2dfd3848c/rapport final (1).pdf',
  "private/us-east-1:1666ff8c-8ddf-42c8-9109-07e2dfd3848c/ünïcødé 🎉 #1?&=+%20'!*().txt",
  'public/us-east-1:1666ff8c-8ddf-42c8-9109-07e2dfd3848c/a~b_c-d.e',
];
const ENVIRONMENTS = {
  emulator: { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9229', AWS_REGION: 'us-east-1', S3_BUCKET: 'cubby-local' },
  aws: {
    // Production: no emulator defaults, so no endpoint override.
    NODE_ENV: 'production',
    APP_URL: 'https://cubby.example.com',
    SESSION_SECRET: 'x'.repeat(40),
    COGNITO_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123',
    COGNITO_CLIENT_ID: '47ahgb3e4jqhk86o7gugvbglf8',
    COGNITO_CLIENT_SECRET: 'not-a-real-secret',
    COGNITO_DOMAIN: 'https://cubby.auth.eu-west-1.amazoncognito.com',
    COGNITO_IDENTITY_POOL_ID: 'eu-west-1:36d52ea3-26a9-4d70-9ba9-a75c75c69efb',
    AWS_ENDPOINT_URL_S3: undefined,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY: undefined,
    AWS_REGION: 'eu-west-1',
    S3_BUCKET: 'cubby-files-123456789012',
  },
};
const saved = { ...process.env };

afterEach(() => {
  process.env = { ...saved };
  vi.useRealTimers();
});

async function modulesFor(env: Record<string, string | undefined>) {
  process.env = { ...saved, NODE_ENV: 'test' };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  vi.resetModules();
  vi.useFakeTimers({ now: new Date('2026-06-01T12:00:00Z') });
  const signer = await import('@/lib/aws/s3-signer');
  const { s3ClientFor } = await import('@/lib/aws/s3-client');
  const { getEnv } = await import('@/lib/env');
  expect(getEnv().AWS_ENDPOINT_URL_S3).toBe(env.AWS_ENDPOINT_URL_S3);
  return { signer, client: s3ClientFor(CREDENTIALS) };
}

describe.each(Object.entries(ENVIRONMENTS))('presigned URLs on %s', (_, env) => {
  it.each(KEYS)('PutObject with Content-Length and Content-Type signed: %s', async (key) => {
    const { signer, client } = await modulesFor(env);
    const bucket = env.S3_BUCKET;
    const expected = await getSignedUrl(
      client,
      new PutObjectCommand({ Bucket: bucket, Key: key, ContentLength: 1234, ContentType: 'image/jpeg' }),
      { expiresIn: 900, signableHeaders: new Set(['content-type']) },
    );
    const actual = await signer.presignObjectUrl(
      CREDENTIALS,
      { method: 'PUT', key, operation: 'PutObject', headers: { 'content-length': '1234', 'content-type': 'image/jpeg' } },
      900,
      new Set(['content-type']),
    );
    expect(actual).toBe(expected);
    expect(new URL(actual).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
  });

  it.each(KEYS)('GetObject with response headers: %s', async (key) => {
    const { signer, client } = await modulesFor(env);
    const disposition = `attachment; filename="x.txt"; filename*=UTF-8''%C3%BC.txt`;
    const expected = await getSignedUrl(
      client,
      new GetObjectCommand({
        Bucket: env.S3_BUCKET,
        Key: key,
        ResponseContentDisposition: disposition,
        ResponseContentType: 'application/octet-stream',
      }),
      { expiresIn: 600 },
    );
    const actual = await signer.presignObjectUrl(
      CREDENTIALS,
      {
        method: 'GET',
        key,
        operation: 'GetObject',
        query: { 'response-content-disposition': disposition, 'response-content-type': 'application/octet-stream' },
      },
      600,
    );
    expect(actual).toBe(expected);
  });

  it('UploadPart with its Content-Length signed', async () => {
    const { signer, client } = await modulesFor(env);
    const key = KEYS[1] ?? '';
    const uploadId = 'VXBsb2FkIElEIGZvciBlbGx5J3MgbXktbW92aWUubTJ0cyB1cGxvYWQ';
    const expected = await getSignedUrl(
      client,
      new UploadPartCommand({ Bucket: env.S3_BUCKET, Key: key, UploadId: uploadId, PartNumber: 7, ContentLength: 25_165_824 }),
      { expiresIn: 3600 },
    );
    const actual = await signer.presignObjectUrl(
      CREDENTIALS,
      {
        method: 'PUT',
        key,
        operation: 'UploadPart',
        headers: { 'content-length': '25165824' },
        query: { partNumber: '7', uploadId },
      },
      3600,
    );
    expect(actual).toBe(expected);
  });
});
