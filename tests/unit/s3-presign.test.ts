import { describe, expect, it } from 'vitest';
import { ownFileKey } from '@/lib/aws/keys';
import {
  MAX_PARTS,
  MIN_PART_SIZE,
  MULTIPART_THRESHOLD,
  PRESIGNED_URL_CREDENTIALS_MARGIN_SECONDS,
  planMultipart,
  presignDownload,
  presignUpload,
  presignUploadParts,
  urlLifetime,
} from '@/lib/aws/s3';
import { AppError } from '@/lib/errors';

const MiB = 1024 * 1024;
const PNG_HEAD = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const NOW = Date.parse('2026-01-01T00:00:00Z');
const ID = 'us-east-1:1666ff8c-8ddf-42c8-9109-07e2dfd3848c';

function credentials(secondsLeft: number) {
  return {
    accessKeyId: `ASIA${secondsLeft}TESTKEY`,
    secretAccessKey: 'secret',
    sessionToken: 'token',
    expiration: new Date(Date.now() + secondsLeft * 1000),
  };
}

function params(url: string): URLSearchParams {
  return new URL(url).searchParams;
}

describe('urlLifetime', () => {
  const at = (secondsLeft: number) => new Date(NOW + secondsLeft * 1000);
  it('is the requested life when the credentials outlive it', () => {
    expect(urlLifetime(300, at(3600), NOW)).toBe(300);
  });
  it('never reaches past the credentials (minus the margin)', () => {
    expect(urlLifetime(900, at(600), NOW)).toBe(600 - PRESIGNED_URL_CREDENTIALS_MARGIN_SECONDS);
    expect(urlLifetime(3600, at(3599.9), NOW)).toBe(3599 - PRESIGNED_URL_CREDENTIALS_MARGIN_SECONDS);
  });
  it('never passes SigV4’s 7 days', () => {
    expect(urlLifetime(10 * 86_400, at(30 * 86_400), NOW)).toBe(604_800);
  });
  it('refuses to sign when the credentials are about to expire or already have', () => {
    for (const left of [PRESIGNED_URL_CREDENTIALS_MARGIN_SECONDS, 10, 0, -60]) {
      expect(() => urlLifetime(300, at(left), NOW)).toThrow(AppError);
    }
    expect(urlLifetime(300, at(PRESIGNED_URL_CREDENTIALS_MARGIN_SECONDS + 1), NOW)).toBe(1);
  });
  it('refuses a zero or nonsensical life', () => {
    expect(() => urlLifetime(0, at(3600), NOW)).toThrow(AppError);
    expect(() => urlLifetime(Number.NaN, at(3600), NOW)).toThrow(AppError);
  });
});

describe('planMultipart', () => {
  const sizes = [1, MULTIPART_THRESHOLD + 1, 8 * MiB, 8 * MiB + 1, 1024 ** 3, 80 * 1024 ** 3 + 7, 5 * 1024 ** 4];
  it.each(sizes)('cuts %d bytes into ≤ 10,000 parts of ≥ 8 MiB that add up', (size) => {
    const plan = planMultipart(size);
    expect(plan.partSize).toBeGreaterThanOrEqual(MIN_PART_SIZE);
    expect(plan.partSize % MiB).toBe(0);
    expect(plan.count).toBeLessThanOrEqual(MAX_PARTS);
    expect(plan.lastPartSize).toBeGreaterThan(0);
    expect(plan.lastPartSize).toBeLessThanOrEqual(plan.partSize);
    expect((plan.count - 1) * plan.partSize + plan.lastPartSize).toBe(size);
  });
  it('cuts a typical big file into about 8 parts', () => {
    expect(planMultipart(200 * 1000 * 1000)).toEqual({ partSize: 24 * MiB, count: 8, lastPartSize: 200_000_000 - 7 * 24 * MiB });
  });
  it('keeps parts at 8 MiB for small multipart files and at 64 MiB for large ones, until 10,000 parts are not enough', () => {
    expect(planMultipart(20 * MiB)).toMatchObject({ partSize: 8 * MiB, count: 3 });
    expect(planMultipart(1024 ** 3)).toMatchObject({ partSize: 64 * MiB, count: 16 });
    expect(planMultipart(600 * 1024 ** 3)).toMatchObject({ partSize: 64 * MiB, count: 9600 });
    expect(planMultipart(5 * 1024 ** 4)).toMatchObject({ partSize: 525 * MiB, count: 9987 });
  });
  it('grows the part size past 64 MiB once 64 MiB parts would pass 10,000 parts', () => {
    const plan = planMultipart(1000 * 1024 ** 3);
    expect(plan.partSize).toBe(103 * MiB);
    expect(plan.count).toBe(Math.ceil((1000 * 1024 ** 3) / (103 * MiB)));
  });
  it.each([0, -1, 1.5, Number.NaN, 5 * 1024 ** 4 + 1])('refuses %d bytes', (size) => {
    expect(() => planMultipart(size)).toThrow(AppError);
  });
});

describe('presigned URLs (signing only, no network)', () => {
  const key = ownFileKey(ID, 'é x.txt');

  it('signs Content-Length, Content-Type and If-None-Match into a create-only PUT and caps its life by the credentials', async () => {
    const { url, headers } = await presignUpload(credentials(600), { key, size: 5, contentType: 'text/plain' }, 3600);
    const query = params(url);
    expect(query.get('X-Amz-SignedHeaders')?.split(';')).toEqual(['content-length', 'content-type', 'host', 'if-none-match']);
    // A header, not a query parameter: the browser must send it, and cannot drop it without breaking the signature.
    expect(query.get('if-none-match')).toBeNull();
    expect(Number(query.get('X-Amz-Expires'))).toBeLessThanOrEqual(600 - PRESIGNED_URL_CREDENTIALS_MARGIN_SECONDS);
    expect(Number(query.get('X-Amz-Expires'))).toBeGreaterThan(500);
    expect(query.get('x-amz-checksum-crc32')).toBeNull();
    expect(query.get('x-amz-sdk-checksum-algorithm')).toBeNull();
    expect(headers).toEqual({ 'Content-Type': 'text/plain', 'If-None-Match': '*' });
    expect(new URL(url).pathname).toContain('/us-east-1%3A1666ff8c-8ddf-42c8-9109-07e2dfd3848c/%C3%A9%20x.txt');
  });

  it('leaves If-None-Match out of a PUT meant to replace (the avatar)', async () => {
    const { url, headers } = await presignUpload(
      credentials(600),
      { key, size: 5, contentType: 'image/png', createOnly: false },
      3600,
    );
    expect(params(url).get('X-Amz-SignedHeaders')?.split(';')).toEqual(['content-length', 'content-type', 'host']);
    expect(headers).toEqual({ 'Content-Type': 'image/png' });
  });

  it('refuses bad sizes and header-breaking content types', async () => {
    const creds = credentials(3600);
    await expect(presignUpload(creds, { key, size: -1, contentType: 'text/plain' }, 60)).rejects.toMatchObject({
      code: 'invalid_file',
    });
    await expect(presignUpload(creds, { key, size: 6 * 1024 ** 3, contentType: 'text/plain' }, 60)).rejects.toMatchObject({
      code: 'invalid_file',
    });
    await expect(presignUpload(creds, { key, size: 1, contentType: 'text/plain\r\nx: y' }, 60)).rejects.toMatchObject({
      code: 'invalid_file',
    });
  });

  it('signs each part with its own Content-Length', async () => {
    const parts = await presignUploadParts(credentials(3600), {
      key,
      uploadId: 'upload-1',
      partNumbers: [1, 3],
      partSize: 8 * MiB,
      lastPartSize: 1234,
      totalParts: 3,
    });
    expect(parts.map((part) => part.partNumber)).toEqual([1, 3]);
    for (const { url, partNumber } of parts) {
      const query = params(url);
      expect(query.get('X-Amz-SignedHeaders')).toBe('content-length;host');
      expect(query.get('partNumber')).toBe(String(partNumber));
      expect(query.get('uploadId')).toBe('upload-1');
    }
    await expect(
      presignUploadParts(credentials(3600), {
        key,
        uploadId: 'u',
        partNumbers: [4],
        partSize: MiB,
        lastPartSize: 1,
        totalParts: 3,
      }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('asks S3 for an attachment served as octet-stream for HTML, inline for a PNG', async () => {
    const reads: string[] = [];
    const pngBytes = async (_credentials: unknown, read: string) => {
      reads.push(read);
      return PNG_HEAD;
    };
    const html = params(
      await presignDownload(credentials(3600), { key, fileName: 'page.html', contentType: 'text/html' }, 120, pngBytes),
    );
    expect(html.get('response-content-disposition')).toBe(`attachment; filename="page.html"; filename*=UTF-8''page.html`);
    expect(html.get('response-content-type')).toBe('application/octet-stream');
    expect(html.get('X-Amz-Expires')).toBe('120');
    expect(reads).toEqual([]);
    const png = params(
      await presignDownload(credentials(3600), { key, fileName: 'a.png', contentType: 'image/png' }, 120, pngBytes),
    );
    expect(png.get('response-content-disposition')?.startsWith('inline; ')).toBe(true);
    expect(png.get('response-content-type')).toBe('image/png');
    expect(reads).toEqual([key]);
    const forced = params(
      await presignDownload(
        credentials(3600),
        { key, fileName: 'a.png', contentType: 'image/png', inline: false },
        120,
        pngBytes,
      ),
    );
    expect(forced.get('response-content-disposition')?.startsWith('attachment; ')).toBe(true);
    expect(reads).toEqual([key]);
  });

  it('serves an image whose bytes are not that image (HTML, SVG, unreadable) as an attachment', async () => {
    const lying: [string, () => Promise<Uint8Array>][] = [
      ['HTML', async () => new TextEncoder().encode('<!doctype html><script>alert(1)</script>')],
      ['SVG', async () => new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')],
      ['empty', async () => new Uint8Array()],
      [
        'unreadable',
        async () => {
          throw new AppError('storage_unavailable');
        },
      ],
    ];
    for (const [label, read] of lying) {
      const url = params(
        await presignDownload(credentials(3600), { key, fileName: 'photo.png', contentType: 'image/png' }, 120, read),
      );
      expect(url.get('response-content-disposition'), label).toMatch(/^attachment; /);
      expect(url.get('response-content-type'), label).toBe('application/octet-stream');
    }
  });

  it('caps a download URL by the credentials too', async () => {
    const query = params(await presignDownload(credentials(100), { key, fileName: 'a.txt', contentType: 'text/plain' }, 3600));
    expect(Number(query.get('X-Amz-Expires'))).toBeLessThanOrEqual(100 - PRESIGNED_URL_CREDENTIALS_MARGIN_SECONDS);
  });
});
