import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsCredentials } from '@/lib/aws/credentials';
import { ownFileKey } from '@/lib/aws/keys';
import {
  copyFile,
  deleteFiles,
  headFile,
  listAllFiles,
  listFiles,
  MODIFIED_AT_METADATA,
  presignDownload,
  presignUpload,
  renameFile,
  storageUsed,
} from '@/lib/aws/s3';
import { AppError } from '@/lib/errors';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { type S3Person, signedInS3Person } from '../helpers/s3-person';

let emulator: EmulatorProcess;
let owner: S3Person;
let other: S3Person;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator);
  owner = await signedInS3Person(emulator, 'owner@example.com');
  other = await signedInS3Person(emulator, 'other@example.com');
});
afterAll(async () => {
  await emulator?.stop();
});

/** Puts objects straight through the SDK, `concurrency` at a time. */
async function putMany(s3: S3Client, objects: { key: string; body: string }[], concurrency = 100): Promise<void> {
  const Bucket = emulator.config.bucket;
  for (let start = 0; start < objects.length; start += concurrency) {
    await Promise.all(
      objects
        .slice(start, start + concurrency)
        .map(({ key, body }) => s3.send(new PutObjectCommand({ Bucket, Key: key, Body: body }))),
    );
  }
}

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

const creds = (person: S3Person): AwsCredentials => person.credentials;

describe('listing 2,500 files', () => {
  const COUNT = 2500;
  const names = Array.from({ length: COUNT }, (_, index) => `file-${String(index).padStart(5, '0')}.txt`);
  const bodyOf = (index: number) => 'x'.repeat((index % 7) + 1);
  const expectedBytes = names.reduce((sum, _name, index) => sum + bodyOf(index).length, 0);

  beforeAll(async () => {
    await putMany(
      owner.s3,
      names.map((name, index) => ({ key: ownFileKey(owner.identityId, name), body: bodyOf(index) })),
    );
    // A nested pseudo-folder: never mixed into the listing, still counted in storage.
    await putMany(owner.s3, [{ key: `${owner.home}album/nested.txt`, body: 'nested' }]);
  }, 60_000);

  it('pages through every file with the cursor, in key order, without nested keys', async () => {
    const pages: number[] = [];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listFiles>> = await listFiles(creds(owner), owner.home, { cursor, maxKeys: 1000 });
      pages.push(page.files.length);
      seen.push(...page.files.map((file) => file.name));
      cursor = page.nextCursor;
    } while (cursor);
    // The album/ common prefix takes one of the first page's 1,000 slots (KeyCount counts it), as on S3.
    expect(pages).toEqual([999, 1000, 501]);
    expect(seen).toEqual(names);
    // A page can hold no file yet have a cursor: the album/ prefix filled its only slot.
    const prefixOnly = await listFiles(creds(owner), owner.home, { maxKeys: 1 });
    expect(prefixOnly.files).toEqual([]);
    expect(prefixOnly.nextCursor).toBeTruthy();
    const [first] = (await listFiles(creds(owner), owner.home, { maxKeys: 1, cursor: prefixOnly.nextCursor })).files;
    expect(first).toMatchObject({ key: `${owner.home}file-00000.txt`, name: 'file-00000.txt', size: 1 });
    expect(first?.etag).toMatch(/^[0-9a-f]{32}$/);
    expect(new Date(first?.lastModified ?? '').toISOString()).toBe(first?.lastModified);
  });

  it('lists them all at once, bounded by a limit', async () => {
    const all = await listAllFiles(creds(owner), owner.home);
    expect(all).toHaveLength(COUNT);
    expect(all.some((file) => file.key.includes('/album/'))).toBe(false);
    expect(await listAllFiles(creds(owner), owner.home, { limit: 1200 })).toHaveLength(1200);
  });

  it('adds up the bytes stored, nested folders included', async () => {
    expect(await storageUsed(creds(owner), owner.home)).toBe(expectedBytes + 'nested'.length);
    expect(await storageUsed(creds(other), other.home)).toBe(0);
  });

  it('deletes them in batches of 1,000 and reports keys S3 refused', async () => {
    const keys = names.map((name) => ownFileKey(owner.identityId, name));
    const foreign = ownFileKey(other.identityId, 'not-yours.txt');
    await putMany(other.s3, [{ key: foreign, body: 'mine' }]);
    const result = await deleteFiles(creds(owner), [...keys, foreign, keys[0] ?? '']);
    expect(result.deleted).toHaveLength(COUNT);
    expect(new Set(result.deleted)).toEqual(new Set(keys));
    expect(result.errors).toEqual([{ key: foreign, code: 'forbidden', s3Code: 'AccessDenied' }]);
    expect(await listAllFiles(creds(owner), owner.home)).toEqual([]);
    expect(await headFile(creds(other), foreign)).not.toBeNull();
  });
});

describe('S3 down', () => {
  it('maps a 503 to storage_unavailable after the SDK’s retry', async () => {
    await emulator.hook('POST', '/_local/faults', { target: 's3', status: 503, times: 2 });
    expect((await appError(listFiles(creds(owner), owner.home))).code).toBe('storage_unavailable');
    expect(await listFiles(creds(owner), owner.home)).toMatchObject({ nextCursor: null });
  });
});

describe('copy and rename', () => {
  it('renames a file whose key holds the identity id’s colon and unicode (copy, then delete)', async () => {
    const from = ownFileKey(owner.identityId, 'Résumé 2026 (draft) 😀.txt');
    const to = ownFileKey(owner.identityId, 'Résumé: final 日本.txt');
    expect(from).toContain(':');
    await putMany(owner.s3, [{ key: from, body: 'résumé body' }]);
    await renameFile(creds(owner), from, to);
    expect(await headFile(creds(owner), from)).toBeNull();
    const renamed = await headFile(creds(owner), to);
    expect(renamed).toMatchObject({ key: to, name: 'Résumé: final 日本.txt', size: Buffer.byteLength('résumé body') });
    const body = await fetch(await presignDownload(creds(owner), { key: to, fileName: 'x.txt', contentType: 'text/plain' }, 60));
    expect(await body.text()).toBe('résumé body');
  });

  it('keeps content headers, user metadata and the file’s own modification time through renames', async () => {
    const first = ownFileKey(owner.identityId, 'scan.md');
    const second = ownFileKey(owner.identityId, 'scan renamed.md');
    const third = ownFileKey(owner.identityId, 'scan final.md');
    await owner.s3.send(
      new PutObjectCommand({
        Bucket: emulator.config.bucket,
        Key: first,
        Body: '# scan',
        ContentType: 'text/markdown',
        ContentDisposition: 'inline',
        CacheControl: 'no-cache',
        ContentLanguage: 'fr',
        Metadata: { origin: 'scanner' },
      }),
    );
    const original = await headFile(creds(owner), first);
    expect(original?.modifiedAt).toBe(original?.lastModified);
    // S3 times have whole seconds: the renames happen a minute later on the emulator's clock.
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 60 });
    try {
      await renameFile(creds(owner), first, second);
      await renameFile(creds(owner), second, third);
    } finally {
      await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
    }
    const renamed = await headFile(creds(owner), third);
    expect(renamed?.modifiedAt).toBe(original?.lastModified);
    expect(Date.parse(renamed?.lastModified ?? '')).toBeGreaterThan(Date.parse(original?.lastModified ?? ''));
    const raw = await owner.s3.send(new HeadObjectCommand({ Bucket: emulator.config.bucket, Key: third }));
    expect(raw).toMatchObject({
      ContentType: 'text/markdown',
      ContentDisposition: 'inline',
      CacheControl: 'no-cache',
      ContentLanguage: 'fr',
      Metadata: { origin: 'scanner', [MODIFIED_AT_METADATA]: original?.lastModified },
    });
  });

  it('copies, keeping the original', async () => {
    const from = ownFileKey(owner.identityId, 'a.txt');
    const to = ownFileKey(owner.identityId, 'a (1).txt');
    await putMany(owner.s3, [{ key: from, body: 'aaa' }]);
    await copyFile(creds(owner), from, to);
    expect((await headFile(creds(owner), from))?.size).toBe(3);
    expect((await headFile(creds(owner), to))?.etag).toBe((await headFile(creds(owner), from))?.etag);
  });

  it('maps a missing source to not_found', async () => {
    const error = await appError(
      renameFile(creds(owner), ownFileKey(owner.identityId, 'ghost.txt'), ownFileKey(owner.identityId, 'b.txt')),
    );
    expect(error.code).toBe('not_found');
  });
});

describe("another person's private folder: IAM's wall, mapped to forbidden", () => {
  let foreign: string;
  beforeAll(async () => {
    foreign = ownFileKey(other.identityId, 'diary.txt');
    await putMany(other.s3, [{ key: foreign, body: 'secret' }]);
  });

  it('refuses to list it', async () => {
    expect((await appError(listFiles(creds(owner), other.home))).code).toBe('forbidden');
    expect((await appError(storageUsed(creds(owner), 'private/'))).code).toBe('forbidden');
  });

  it('refuses to read its metadata', async () => {
    expect((await appError(headFile(creds(owner), foreign))).code).toBe('forbidden');
  });

  it('refuses to copy out of it or rename into it', async () => {
    const mine = ownFileKey(owner.identityId, 'stolen.txt');
    expect((await appError(copyFile(creds(owner), foreign, mine))).code).toBe('forbidden');
    expect(await headFile(creds(owner), mine)).toBeNull();
    await putMany(owner.s3, [{ key: mine, body: 'planted' }]);
    expect((await appError(renameFile(creds(owner), mine, ownFileKey(other.identityId, 'planted.txt')))).code).toBe('forbidden');
    expect(await headFile(creds(owner), mine)).not.toBeNull();
  });

  it('refuses a presigned GET and PUT made with the wrong person’s credentials', async () => {
    const get = await fetch(
      await presignDownload(creds(owner), { key: foreign, fileName: 'diary.txt', contentType: 'text/plain' }, 60),
    );
    expect(get.status).toBe(403);
    expect(await get.text()).toContain('<Code>AccessDenied</Code>');
    const upload = await presignUpload(creds(owner), { key: foreign, size: 5, contentType: 'text/plain' }, 60);
    const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: 'owned' });
    expect(put.status).toBe(403);
    expect(await put.text()).toContain('<Code>AccessDenied</Code>');
    expect(await headFile(creds(other), foreign)).toMatchObject({ size: 6 });
  });
});
