import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownFileKey } from '@/lib/aws/keys';
import { downloadUrl } from '@/lib/files/service';
import { png } from '../fixtures/png';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { type S3Person, signedInS3Person } from '../helpers/s3-person';

/**
 * Content that lies about its type never renders inline: before an inline preview URL is signed,
 * the file's first bytes are read from the emulator's S3 (ranged GET, the person's credentials)
 * and must carry the declared image type's magic number.
 */

let emulator: EmulatorProcess;
let person: S3Person;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator);
  person = await signedInS3Person(emulator, 'sniff@example.com');
});
afterAll(async () => {
  await emulator?.stop();
});

/** Stores `body` under the person's own name with the declared type, as a browser upload would. */
async function stored(name: string, body: Uint8Array | string, contentType: string): Promise<string> {
  const key = ownFileKey(person.identityId, name);
  await person.s3.send(new PutObjectCommand({ Bucket: emulator.config.bucket, Key: key, Body: body, ContentType: contentType }));
  return key;
}

async function previewOf(key: string): Promise<Response> {
  const owner = { identityId: person.identityId, credentials: person.credentials };
  return fetch(await downloadUrl(owner, key, 'inline'));
}

describe('an inline preview', () => {
  it('shows a real PNG inline as image/png', async () => {
    const response = await previewOf(await stored('real.png', png(4, 4, [0, 128, 255]), 'image/png'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^inline; /);
    expect(response.headers.get('content-type')).toBe('image/png');
  });

  it('serves an HTML file stored as photo.png (declared image/png) as an attachment', async () => {
    const html = '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>';
    const response = await previewOf(await stored('photo.png', html, 'image/png'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="photo.png"/);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(await response.text()).toBe(html);
  });

  it('serves an SVG stored as a JPEG, and an empty .gif, as attachments', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>';
    for (const key of [await stored('vector.jpg', svg, 'image/jpeg'), await stored('empty.gif', '', 'image/gif')]) {
      const response = await previewOf(key);
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; /);
      expect(response.headers.get('content-type')).toBe('application/octet-stream');
    }
  });
});
