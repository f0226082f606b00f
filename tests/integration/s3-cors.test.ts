import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { signedInS3Person } from '../helpers/s3-person';

let emulator: EmulatorProcess;
let s3: S3Client;
let Bucket: string;
let Key: string;
let objectUrl: string;
let appOrigin: string;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  Bucket = emulator.config.bucket;
  appOrigin = emulator.config.appUrl;
  const person = await signedInS3Person(emulator, 'cors@example.com');
  s3 = person.s3;
  const { identityId } = person;
  Key = `private/${identityId}/upload.png`;
  objectUrl = `${emulator.url}/${Bucket}/private/${encodeURIComponent(identityId)}/upload.png`;
});
afterAll(async () => {
  await emulator?.stop();
});

const preflight = (origin: string, method = 'PUT', headers = 'content-type') =>
  fetch(objectUrl, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });

describe('bucket CORS', () => {
  it('allows a preflight from the app origin', async () => {
    const response = await preflight(appOrigin);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(appOrigin);
    expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(response.headers.get('vary')).toBe('Origin, Access-Control-Request-Headers, Access-Control-Request-Method');
  });

  it('refuses a preflight from any other origin with 403 and no CORS headers', async () => {
    for (const origin of ['https://evil.example', 'http://localhost:3001', appOrigin.replace('http:', 'https:')]) {
      const response = await preflight(origin);
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(await response.text()).toContain('<Code>AccessForbidden</Code>');
    }
  });

  it('refuses a preflight without Origin', async () => {
    const response = await fetch(objectUrl, { method: 'OPTIONS', headers: { 'access-control-request-method': 'PUT' } });
    expect(response.status).toBe(400);
  });

  it('adds CORS headers (ETag exposed) to actual responses for the app origin only', async () => {
    const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket, Key }), { expiresIn: 60 });
    const put = await fetch(url, { method: 'PUT', body: 'png', headers: { origin: appOrigin } });
    expect(put.status).toBe(200);
    expect(put.headers.get('access-control-allow-origin')).toBe(appOrigin);
    expect(put.headers.get('access-control-expose-headers')).toMatch(/\bETag\b/i);

    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key }), { expiresIn: 60 });
    const foreign = await fetch(getUrl, { headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(200);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const plain = await fetch(getUrl);
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    expect(await plain.text()).toBe('png');
  });
});
