import { createHash } from 'node:crypto';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import {
  cancelUpload,
  downloadUrl,
  finishUpload,
  listOwnFiles,
  type Owner,
  ownFileDetails,
  planUpload,
  presignParts,
  removeFiles,
  renameOwnFile,
} from '@/lib/files/service';
import type { FileDetails, FileItem, UploadPlan } from '@/lib/files/types';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { type S3Person, signedInS3Person } from '../helpers/s3-person';

/**
 * The file manager's service layer (what the server actions run) against a real emulator, with
 * each person's own Identity Pool credentials: uploads through presigned URLs with fetch, as the
 * browser does; multipart with a failed part; the quota; 2,500-file pagination; rename; delete.
 */

const QUOTA = 200_000_000;
let emulator: EmulatorProcess;
let alice: S3Person;
let bob: S3Person;

function ownerOf(person: S3Person): Owner {
  return { identityId: person.identityId, credentials: person.credentials };
}

async function expectAppError(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

async function putSingle(plan: UploadPlan, body: Uint8Array<ArrayBuffer>): Promise<Response> {
  if (plan.kind !== 'single') throw new Error('expected a single PUT plan');
  return fetch(plan.url, { method: 'PUT', headers: plan.headers, body });
}

async function uploadText(owner: Owner, name: string, text: string): Promise<FileItem> {
  const body = new TextEncoder().encode(text);
  const plan = await planUpload(owner, { name, size: body.byteLength, type: 'text/plain' });
  expect((await putSingle(plan, body)).status).toBe(200);
  return finishUpload(owner, { key: plan.key });
}

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator, { FILES_QUOTA_BYTES: String(QUOTA) });
  alice = await signedInS3Person(emulator, 'alice@example.com');
  bob = await signedInS3Person(emulator, 'bob@example.com');
});
afterAll(async () => {
  await emulator?.stop();
});

describe('single uploads', () => {
  it('uploads through the presigned PUT with fetch and downloads the same bytes as an attachment', async () => {
    const owner = ownerOf(alice);
    const item = await uploadText(owner, 'notes.txt', 'hello from the browser');
    expect(item).toMatchObject({ name: 'notes.txt', size: 22, type: 'text/plain' });
    expect(item.key.startsWith(alice.home)).toBe(true);

    const response = await fetch(await downloadUrl(owner, item.key, 'attachment'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;.*notes\.txt/);
    expect(await response.text()).toBe('hello from the browser');

    const page = await listOwnFiles(owner, { sort: 'name', order: 'asc' });
    expect(page.items.map((file) => file.name)).toContain('notes.txt');
  });

  it('refuses a body larger than the signed length and stores nothing', async () => {
    const owner = ownerOf(alice);
    const plan = await planUpload(owner, { name: 'exact.bin', size: 10, type: 'application/octet-stream' });
    const response = await putSingle(plan, new Uint8Array(11));
    expect(response.status).toBe(403);
    await expectAppError(finishUpload(owner, { key: plan.key }), 'not_found');
  });

  it('gives a colliding name the next free "name (n).ext"', async () => {
    const owner = ownerOf(alice);
    await uploadText(owner, 'report.txt', 'one');
    expect((await uploadText(owner, 'report.txt', 'two')).name).toBe('report (1).txt');
    expect((await uploadText(owner, 'report.txt', 'three')).name).toBe('report (2).txt');
  });

  it('parallel uploads of one name: S3 keeps the first, the others hear 412 and take the next free names', async () => {
    const owner = ownerOf(alice);
    const texts = ['first scan', 'second scan', 'third scan'];
    // All three plans are made before any upload, so they all start with scan.pdf.
    const first = await Promise.all(
      texts.map((text) => planUpload(owner, { name: 'scan.pdf', size: text.length, type: 'application/pdf' })),
    );
    expect(first.map((plan) => plan.name)).toEqual(['scan.pdf', 'scan.pdf', 'scan.pdf']);
    const results = await Promise.all(
      texts.map(async (text, index) => {
        const body = new TextEncoder().encode(text);
        const taken: string[] = [];
        for (let attempt = 0; attempt < 8; attempt += 1) {
          const plan =
            attempt === 0
              ? (first[index] ?? (await planUpload(owner, { name: 'scan.pdf', size: body.byteLength, type: 'application/pdf' })))
              : await planUpload(owner, { name: 'scan.pdf', size: body.byteLength, type: 'application/pdf', taken });
          const response = await putSingle(plan, body);
          if (response.status === 412 || response.status === 409) {
            taken.push(plan.name);
            continue;
          }
          expect(response.status).toBe(200);
          return { text, taken, item: await finishUpload(owner, { key: plan.key }) };
        }
        throw new Error('no free name');
      }),
    );
    expect(results.map((result) => result.item.name).sort()).toEqual(['scan (1).pdf', 'scan (2).pdf', 'scan.pdf']);
    // S3 kept exactly one of the three first writes; the other two heard 412 and moved on.
    expect(results.filter((result) => result.taken.length > 0).length).toBe(2);
    // Nothing was replaced: every file holds what its own uploader sent.
    for (const { text, item } of results) {
      expect(await (await fetch(await downloadUrl(owner, item.key, 'attachment'))).text()).toBe(text);
    }
  });

  it('a cancelled upload frees its bytes, and a stale listing never costs a file', async () => {
    const owner = ownerOf(alice);
    const plan = await planUpload(owner, { name: 'held.txt', size: 4, type: 'text/plain' });
    await cancelUpload(owner, { key: plan.key });
    // Someone else (another tab, another instance, the AWS CLI) writes held.txt after the listing was read.
    await listOwnFiles(owner, { sort: 'name', order: 'asc' });
    await alice.s3.send(new PutObjectCommand({ Bucket: emulator.config.bucket, Key: `${alice.home}held.txt`, Body: 'theirs' }));
    const late = await planUpload(owner, { name: 'held.txt', size: 4, type: 'text/plain' });
    expect(late.name).toBe('held.txt'); // From the cached listing...
    expect((await putSingle(late, new TextEncoder().encode('mine'))).status).toBe(412); // ...but S3 says no.
    const again = await planUpload(owner, { name: 'held.txt', size: 4, type: 'text/plain', taken: [late.name] });
    expect(again.name).toBe('held (1).txt');
    expect((await putSingle(again, new TextEncoder().encode('mine'))).status).toBe(200);
    await finishUpload(owner, { key: again.key });
    const theirs = await fetch(await downloadUrl(owner, `${alice.home}held.txt`, 'attachment'));
    expect(await theirs.text()).toBe('theirs');
  });

  it('keeps hostile names inside the person’s own folder', async () => {
    const owner = ownerOf(alice);
    for (const name of ['../../etc/passwd', '\\\\server\\share', `${'é'.repeat(125)}.txt`, 'a\u0000b\u202Egnp.exe']) {
      const item = await uploadText(owner, name, 'x');
      expect(item.key.startsWith(alice.home)).toBe(true);
      const stored = item.key.slice(alice.home.length);
      expect([...stored].some((char) => char === '/' || char === '\\' || char === '\u202e' || char.charCodeAt(0) < 0x20)).toBe(
        false,
      );
      expect(Buffer.byteLength(item.key)).toBeLessThanOrEqual(1024);
    }
  });
});

describe('multipart uploads', () => {
  it('plans parts over 100 MB, survives a failed part, and completes with the right bytes', async () => {
    const owner = ownerOf(bob);
    const size = 105_000_000;
    const plan = await planUpload(owner, { name: 'video.mp4', size, type: 'video/mp4' });
    if (plan.kind !== 'multipart') throw new Error('expected a multipart plan');
    expect(plan.partCount).toBe(Math.ceil(size / plan.partSize));
    expect(plan.parts).toHaveLength(plan.partCount);

    const chunk = Buffer.alloc(plan.partSize, 7);
    const bodyOf = (partNumber: number) =>
      partNumber === plan.partCount ? chunk.subarray(0, size - (plan.partCount - 1) * plan.partSize) : chunk;
    const hash = createHash('sha256');
    for (let part = 1; part <= plan.partCount; part += 1) hash.update(bodyOf(part));

    // Part 3 fails first (a truncated body does not match its signed length), then is retried.
    const third = plan.parts.find((part) => part.partNumber === 3);
    if (!third) throw new Error('no URL for part 3');
    const failed = await fetch(third.url, { method: 'PUT', body: chunk.subarray(0, 1000) });
    expect(failed.ok).toBe(false);

    const [retryUrl] = await presignParts(owner, { key: plan.key, uploadId: plan.uploadId, size, partNumbers: [3] });
    expect(retryUrl?.partNumber).toBe(3);
    const urls = plan.parts.map((part) => (part.partNumber === 3 && retryUrl ? retryUrl : part));
    const etags = await Promise.all(
      urls.map(async ({ partNumber, url }) => {
        const response = await fetch(url, { method: 'PUT', body: bodyOf(partNumber) });
        expect(response.status).toBe(200);
        return { partNumber, etag: response.headers.get('etag') ?? '' };
      }),
    );
    expect(plan.key.startsWith(`incoming/${bob.identityId}/`)).toBe(true);
    const item = await finishUpload(owner, { key: plan.key, name: plan.name, uploadId: plan.uploadId, parts: etags });
    expect(item).toMatchObject({ key: `${bob.home}video.mp4`, name: 'video.mp4', size, type: 'video/mp4' });
    // Nothing is left in incoming/.
    expect(
      (await bob.s3.send(new ListObjectsV2Command({ Bucket: emulator.config.bucket, Prefix: `incoming/${bob.identityId}/` })))
        .KeyCount,
    ).toBe(0);

    const download = await fetch(await downloadUrl(owner, item.key, 'attachment'));
    const received = createHash('sha256');
    for await (const piece of download.body ?? []) received.update(piece);
    expect(received.digest('hex')).toBe(hash.digest('hex'));
  });

  it('refuses an upload that would pass the quota, counting uploads still in flight', async () => {
    const owner = ownerOf(bob);
    const used = (await listOwnFiles(owner, { sort: 'name', order: 'asc' })).usedBytes;
    expect(used).toBe(105_000_000);
    await expectAppError(planUpload(owner, { name: 'big.bin', size: QUOTA - used + 1, type: '' }), 'quota_exceeded');
    const half = await planUpload(owner, { name: 'half.bin', size: (QUOTA - used) / 2, type: '' });
    await expectAppError(planUpload(owner, { name: 'other.bin', size: (QUOTA - used) / 2 + 1, type: '' }), 'quota_exceeded');
    await cancelUpload(owner, { key: half.key });
    const fits = await planUpload(owner, { name: 'fits.bin', size: QUOTA - used, type: '' });
    expect(fits.kind).toBe('single');
    await cancelUpload(owner, { key: fits.key });
  });
});

describe('multipart uploads that meet a taken name', () => {
  it('is completed under the next free name: nothing replaced, nothing uploaded thrown away, nothing left in incoming/', async () => {
    const dave = await signedInS3Person(emulator, 'dave@example.com');
    const owner = ownerOf(dave);
    const size = 101_000_000;
    const plan = await planUpload(owner, { name: 'film.mov', size, type: 'video/quicktime' });
    if (plan.kind !== 'multipart') throw new Error('expected a multipart plan');
    // While the parts travel, another tab finishes a small film.mov.
    await dave.s3.send(new PutObjectCommand({ Bucket: emulator.config.bucket, Key: `${dave.home}film.mov`, Body: 'small' }));
    const chunk = Buffer.alloc(plan.partSize, 9);
    const bodyOf = (partNumber: number) =>
      partNumber === plan.partCount ? chunk.subarray(0, size - (plan.partCount - 1) * plan.partSize) : chunk;
    const parts = await Promise.all(
      plan.parts.map(async ({ partNumber, url }) => {
        const response = await fetch(url, { method: 'PUT', body: bodyOf(partNumber) });
        return { partNumber, etag: response.headers.get('etag') ?? '' };
      }),
    );
    const item = await finishUpload(owner, { key: plan.key, name: plan.name, uploadId: plan.uploadId, parts });
    expect(item).toMatchObject({ name: 'film (1).mov', size });
    expect(await (await fetch(await downloadUrl(owner, `${dave.home}film.mov`, 'attachment'))).text()).toBe('small');
    const listed = await dave.s3.send(
      new ListObjectsV2Command({ Bucket: emulator.config.bucket, Prefix: `incoming/${dave.identityId}/` }),
    );
    expect(listed.KeyCount).toBe(0);
    // A retried finish (its answer was lost) finds the same file and copies nothing again.
    const again = await finishUpload(owner, { key: plan.key, name: plan.name, uploadId: plan.uploadId, parts });
    expect(again.name).toBe('film (1).mov');
    const names = (await listOwnFiles(owner, { sort: 'name', order: 'asc' })).items.map((file) => file.name);
    expect(names).toEqual(['film (1).mov', 'film.mov']);
  });
});

describe('listing, renaming and deleting', () => {
  let carol: S3Person;

  beforeAll(async () => {
    carol = await signedInS3Person(emulator, 'carol@example.com');
    const names = Array.from({ length: 2500 }, (_, index) => `file-${index}.txt`);
    for (let start = 0; start < names.length; start += 100) {
      await Promise.all(
        names.slice(start, start + 100).map((name, offset) =>
          carol.s3.send(
            new PutObjectCommand({
              Bucket: emulator.config.bucket,
              Key: `${carol.home}${name}`,
              Body: 'x'.repeat(1 + ((start + offset) % 97)),
            }),
          ),
        ),
      );
    }
  }, 120_000);

  it('pages through 2,500 files with the cursor, every file exactly once', async () => {
    const owner = ownerOf(carol);
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listOwnFiles(owner, { sort: 'name', order: 'asc', pageSize: 200, ...(cursor ? { cursor } : {}) });
      expect(page.totalCount).toBe(2500);
      for (const item of page.items) seen.add(item.key);
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(13);
    expect(seen.size).toBe(2500);
  });

  it('sorts names numerically, sorts by size, and searches case-insensitively', async () => {
    const owner = ownerOf(carol);
    const byName = await listOwnFiles(owner, { sort: 'name', order: 'asc', pageSize: 3 });
    expect(byName.items.map((item) => item.name)).toEqual(['file-0.txt', 'file-1.txt', 'file-2.txt']);
    const bySize = await listOwnFiles(owner, { sort: 'size', order: 'desc', pageSize: 1 });
    expect(bySize.items[0]?.size).toBe(97);
    const search = await listOwnFiles(owner, { sort: 'name', order: 'asc', query: 'FILE-24', pageSize: 200 });
    expect(search.totalCount).toBe(111);
    expect(search.items[0]?.name).toBe('file-24.txt');
  });

  it('refuses a cursor it did not make', async () => {
    await expectAppError(listOwnFiles(ownerOf(carol), { sort: 'name', order: 'asc', cursor: 'not-a-cursor' }), 'invalid_input');
  });

  it('renames (copy, then delete); onto a taken name it refuses with name_taken and the next free name', async () => {
    const owner = ownerOf(carol);
    const renamed = await renameOwnFile(owner, `${carol.home}file-1.txt`, 'first.txt');
    expect(renamed.name).toBe('first.txt');
    const clash = await appErrorOf(renameOwnFile(owner, `${carol.home}file-2.txt`, 'first.txt'));
    expect(clash.code).toBe('name_taken');
    expect(clash.details).toEqual({ suggestion: 'first (1).txt' });
    // Nothing moved: both files are still there under their names.
    const names = (await listOwnFiles(owner, { sort: 'name', order: 'asc', query: 'fi', pageSize: 3 })).items.map(
      (item) => item.name,
    );
    expect(names).toEqual(['file-0.txt', 'file-2.txt', 'file-3.txt']);
    expect((await renameOwnFile(owner, `${carol.home}file-2.txt`, 'first (1).txt')).name).toBe('first (1).txt');
    const old = await listOwnFiles(owner, { sort: 'name', order: 'asc', query: 'file-1.txt' });
    expect(old.totalCount).toBe(0);
  });

  it('asks S3 whether the new name is free, not the cached listing, and suggests past every taken name', async () => {
    const owner = ownerOf(carol);
    await listOwnFiles(owner, { sort: 'name', order: 'asc' }); // The listing is now cached in this process.
    for (const name of ['later.txt', 'later (1).txt']) {
      await carol.s3.send(new PutObjectCommand({ Bucket: emulator.config.bucket, Key: `${carol.home}${name}`, Body: name }));
    }
    const clash = await appErrorOf(renameOwnFile(owner, `${carol.home}file-3.txt`, 'later.txt'));
    expect(clash.code).toBe('name_taken');
    expect(clash.details).toEqual({ suggestion: 'later (2).txt' });
    const untouched = await fetch(await downloadUrl(owner, `${carol.home}later.txt`, 'attachment'));
    expect(await untouched.text()).toBe('later.txt');
  });

  it('a rename may take a name an unfinished upload was planned with: the upload then moves on, nothing is lost', async () => {
    const owner = ownerOf(carol);
    const plan = await planUpload(owner, { name: 'arriving.txt', size: 3, type: 'text/plain' });
    expect((await renameOwnFile(owner, `${carol.home}file-4.txt`, 'arriving.txt')).name).toBe('arriving.txt');
    expect((await putSingle(plan, new TextEncoder().encode('new'))).status).toBe(412);
    const again = await planUpload(owner, { name: 'arriving.txt', size: 3, type: 'text/plain', taken: [plan.name] });
    expect((await putSingle(again, new TextEncoder().encode('new'))).status).toBe(200);
    expect((await finishUpload(owner, { key: again.key })).name).toBe('arriving (1).txt');
  });

  it('a rename onto a name written behind the listing’s back is refused by S3 and offers the next free one', async () => {
    const owner = ownerOf(carol);
    await listOwnFiles(owner, { sort: 'name', order: 'asc' });
    await carol.s3.send(new PutObjectCommand({ Bucket: emulator.config.bucket, Key: `${carol.home}sneaky.txt`, Body: 'theirs' }));
    const clash = await appErrorOf(renameOwnFile(owner, `${carol.home}file-7.txt`, 'sneaky.txt'));
    expect(clash.code).toBe('name_taken');
    expect(clash.details).toEqual({ suggestion: 'sneaky (1).txt' });
    expect(await (await fetch(await downloadUrl(owner, `${carol.home}sneaky.txt`, 'attachment'))).text()).toBe('theirs');
    expect((await ownFileDetails(owner, `${carol.home}file-7.txt`)).name).toBe('file-7.txt');
  });

  it('refuses names over the limit, 999 characters as well as 1,001, for renames and uploads alike', async () => {
    const owner = ownerOf(carol);
    for (const length of [256, 999, 1001]) {
      const name = `${'n'.repeat(length - 4)}.txt`;
      expect((await appErrorOf(renameOwnFile(owner, `${carol.home}file-5.txt`, name))).code).toBe('name_too_long');
      expect((await appErrorOf(planUpload(owner, { name, size: 1, type: 'text/plain' }))).code).toBe('name_too_long');
    }
    const longest = `${'n'.repeat(251)}.txt`;
    expect((await renameOwnFile(owner, `${carol.home}file-5.txt`, longest)).name).toBe(longest);
  });

  it('keeps the file’s own modification time through renames (S3’s LastModified is the copy’s)', async () => {
    const owner = ownerOf(carol);
    const before = await ownFileDetails(owner, `${carol.home}file-6.txt`);
    expect(before.modifiedAt).toBe(before.lastModified);
    // S3 times have whole seconds: the renames happen a minute later on the emulator's clock.
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 60 });
    let after: FileDetails;
    try {
      const once = await renameOwnFile(owner, before.key, 'six.txt');
      const twice = await renameOwnFile(owner, once.key, 'six again.txt');
      after = await ownFileDetails(owner, twice.key);
    } finally {
      await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
    }
    expect(after.modifiedAt).toBe(before.modifiedAt);
    expect(Date.parse(after.lastModified)).toBeGreaterThan(Date.parse(before.lastModified));
    expect(after).toMatchObject({ name: 'six again.txt', size: before.size, type: 'text/plain' });
  });

  it('deletes a batch and the listing forgets it at once', async () => {
    const owner = ownerOf(carol);
    const before = (await listOwnFiles(owner, { sort: 'name', order: 'asc' })).totalCount;
    const keys = Array.from({ length: 150 }, (_, index) => `${carol.home}file-${1000 + index}.txt`);
    expect((await removeFiles(owner, keys)).sort()).toEqual([...keys].sort());
    expect((await listOwnFiles(owner, { sort: 'name', order: 'asc' })).totalCount).toBe(before - 150);
  });
});

describe('the app’s own wall', () => {
  it('refuses keys outside the caller’s identity before S3 is asked', async () => {
    const owner = ownerOf(alice);
    const foreign = `${bob.home}video.mp4`;
    await expectAppError(downloadUrl(owner, foreign, 'attachment'), 'forbidden');
    await expectAppError(removeFiles(owner, [`${alice.home}notes.txt`, foreign]), 'forbidden');
    await expectAppError(renameOwnFile(owner, foreign, 'mine.mp4'), 'forbidden');
    await expectAppError(finishUpload(owner, { key: 'public/anything.txt' }), 'forbidden');
    await expectAppError(downloadUrl(owner, `${alice.home}../${bob.identityId}/video.mp4`, 'attachment'), 'forbidden');
    // Nothing was deleted by the refused batch.
    expect((await listOwnFiles(owner, { sort: 'name', order: 'asc', query: 'notes' })).totalCount).toBe(1);
  });
});
