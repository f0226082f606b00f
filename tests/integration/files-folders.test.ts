import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trashPrefix } from '@/lib/aws/keys';
import { AppError } from '@/lib/errors';
import { listFolderPage } from '@/lib/files/folder-listing';
import { countFolder, createFolder, deleteFolder } from '@/lib/files/folders';
import { MAX_FOLDER_DEPTH } from '@/lib/files/limits';
import { finishUpload, listOwnFiles, type Owner, planUpload } from '@/lib/files/service';
import { restoreTrashBatch } from '@/lib/files/trash';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { type S3Person, signedInS3Person } from '../helpers/s3-person';

/**
 * Folders (lib/files/folder-listing.ts, lib/files/folders.ts, the folder side of
 * lib/files/service.ts) against a real emulator with each person's own Identity Pool credentials:
 * a folder of 2,500 objects listed with a delimiter in pages (folders first, nothing twice,
 * nothing missing), create-only folders, a folder deleted with its counts (to the trash, and back),
 * uploads into a folder, and IAM keeping everyone out of everyone else's folders.
 */

let emulator: EmulatorProcess;
let alice: S3Person;
let bob: S3Person;

function ownerOf(person: S3Person): Owner {
  return { identityId: person.identityId, credentials: person.credentials };
}

async function put(person: S3Person, key: string, body = ''): Promise<void> {
  await person.s3.send(new PutObjectCommand({ Bucket: emulator.config.bucket, Key: key, Body: body }));
}

/** Runs `work` over `items`, `limit` at a time. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
}

async function keysUnder(person: S3Person, prefix: string): Promise<string[]> {
  const answer = await person.s3.send(new ListObjectsV2Command({ Bucket: emulator.config.bucket, Prefix: prefix }));
  return (answer.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])).sort();
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (error === null) return 'none';
  return error instanceof AppError ? error.code : `${(error as { name?: string }).name}`;
}

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator);
  alice = await signedInS3Person(emulator, 'alice@example.com');
  bob = await signedInS3Person(emulator, 'bob@example.com');
});
afterAll(async () => {
  await emulator?.stop();
});

describe('listing a folder', () => {
  const files = Array.from({ length: 2_300 }, (_, index) => `file ${String(index).padStart(4, '0')}.txt`);
  const folders = Array.from({ length: 100 }, (_, index) => `Sub ${String(index).padStart(3, '0')}`);

  beforeAll(async () => {
    const big = `${alice.home}Big/`;
    // 2,300 files, 100 folders each with a marker and a file (2,500 objects in the folder's tree), a
    // hidden folder and a key Cubby would never build: neither may show.
    const keys = [
      ...files.map((name) => `${big}${name}`),
      ...folders.flatMap((name) => [`${big}${name}/`, `${big}${name}/inside.txt`]),
      `${big}.hidden/secret.txt`,
      `${big} untrimmed/x.txt`,
    ];
    await inParallel(keys, 16, (key) => put(alice, key, 'x'));
  }, 120_000);

  it('pages 2,500 objects with the delimiter: every folder and file exactly once, subfolders not opened', async () => {
    const seenFolders: string[] = [];
    const seenFiles: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listFolderPage(alice.credentials, alice.identityId, ['Big'], { cursor, maxKeys: 1000 });
      seenFolders.push(...page.folders);
      seenFiles.push(...page.files.map((file) => file.name));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3); // 2,300 files + 102 common prefixes, 1,000 per page.
    expect(seenFolders).toEqual(folders);
    expect(seenFiles).toEqual(files);
  });

  it('shows folders first (first page, sorted by name) then files, paging through all of them', async () => {
    const owner = ownerOf(alice);
    const first = await listOwnFiles(owner, { sort: 'name', order: 'asc', path: ['Big'], pageSize: 200 });
    expect(first.path).toEqual(['Big']);
    expect(first.folders.map((folder) => folder.name)).toEqual(folders);
    expect(first.folders[0]?.path).toEqual(['Big', 'Sub 000']);
    expect(first.totalCount).toBe(2_300);
    const names = first.items.map((item) => item.name);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await listOwnFiles(owner, { sort: 'name', order: 'asc', path: ['Big'], pageSize: 200, cursor });
      expect(page.folders).toEqual([]);
      names.push(...page.items.map((item) => item.name));
      cursor = page.nextCursor;
    }
    expect(names).toEqual(files);

    const descending = await listOwnFiles(owner, { sort: 'name', order: 'desc', path: ['Big'] });
    expect(descending.folders[0]?.name).toBe('Sub 099');
  });

  it('searches within the folder, or across all files (each hit naming its folder)', async () => {
    const owner = ownerOf(alice);
    const inFolder = await listOwnFiles(owner, { sort: 'name', order: 'asc', path: ['Big'], query: 'inside' });
    expect(inFolder.totalCount).toBe(0);
    const everywhere = await listOwnFiles(owner, { sort: 'name', order: 'asc', query: 'inside', scope: 'all', pageSize: 200 });
    expect(everywhere.totalCount).toBe(100);
    expect(everywhere.items[0]?.folder).toEqual(['Big', 'Sub 000']);
    expect(everywhere.folders).toEqual([]);
  });
});

describe('creating a folder', () => {
  it('creates an empty folder that lists, and never makes one twice (create-only)', async () => {
    const owner = ownerOf(alice);
    expect(await createFolder(owner, [], 'Photos')).toEqual(['Photos']);
    expect(await createFolder(owner, ['Photos'], ' 2026 ')).toEqual(['Photos', '2026']);
    expect(await keysUnder(alice, `${alice.home}Photos/`)).toEqual([`${alice.home}Photos/`, `${alice.home}Photos/2026/`]);
    const top = await listOwnFiles(owner, { sort: 'name', order: 'asc' });
    expect(top.folders.map((folder) => folder.name)).toContain('Photos');
    const photos = await listOwnFiles(owner, { sort: 'name', order: 'asc', path: ['Photos'] });
    expect(photos.folders).toEqual([{ name: '2026', path: ['Photos', '2026'] }]);
    expect(photos.totalCount).toBe(0);

    expect(await codeOf(createFolder(owner, [], 'Photos'))).toBe('folder_taken');
    // A folder that only files imply exists too.
    await put(alice, `${alice.home}Implied/file.txt`, 'x');
    expect(await codeOf(createFolder(owner, [], 'Implied'))).toBe('folder_taken');
    expect(await keysUnder(alice, `${alice.home}Implied/`)).toEqual([`${alice.home}Implied/file.txt`]);
  });

  it('refuses a folder past the depth limit', async () => {
    const owner = ownerOf(alice);
    const deepest = Array.from({ length: MAX_FOLDER_DEPTH }, (_, index) => `d${index}`);
    expect(await createFolder(owner, deepest.slice(0, -1), 'd9')).toEqual(deepest);
    expect(await codeOf(createFolder(owner, deepest, 'one more'))).toBe('folder_too_deep');
  });

  it('uploads into a folder, never over a folder’s name', async () => {
    const owner = ownerOf(alice);
    await createFolder(owner, ['Photos'], 'beach.jpg');
    const plan = await planUpload(owner, { name: 'beach.jpg', size: 4, type: 'image/jpeg', folder: ['Photos'] });
    if (plan.kind !== 'single') throw new Error('expected a single PUT');
    expect(plan.key).toBe(`${alice.home}Photos/beach (1).jpg`);
    const sent = await fetch(plan.url, { method: 'PUT', headers: plan.headers, body: 'jpeg' });
    expect(sent.status).toBe(200);
    const file = await finishUpload(owner, { key: plan.key });
    expect(file.name).toBe('beach (1).jpg');
    const photos = await listOwnFiles(owner, { sort: 'name', order: 'asc', path: ['Photos'] });
    expect(photos.items.map((item) => item.name)).toEqual(['beach (1).jpg']);
  });
});

describe('deleting a folder', () => {
  it('counts what it holds, then moves all of it to the trash as one batch that restores whole', async () => {
    const owner = ownerOf(alice);
    await createFolder(owner, [], 'Trip');
    await put(alice, `${alice.home}Trip/day 1.txt`, '12345');
    await put(alice, `${alice.home}Trip/Pics/a.jpg`, 'abc');
    await put(alice, `${alice.home}Trip/Pics/Raw/b.raw`, 'de');
    await put(alice, `${alice.home}Trip/Empty/`);
    await put(alice, `${alice.home}Tripod.txt`, 'not in the folder');

    expect(await countFolder(owner, ['Trip'])).toEqual({ files: 3, folders: 3, bytes: 10 });
    const deletion = await deleteFolder(owner, ['Trip']);
    expect(deletion).toMatchObject({ files: 3, folders: 3, bytes: 10, failed: 0 });
    expect(await keysUnder(alice, `${alice.home}Trip/`)).toEqual([]);
    expect(await keysUnder(alice, `${alice.home}Tripod.txt`)).toEqual([`${alice.home}Tripod.txt`]);
    expect((await keysUnder(alice, trashPrefix(alice.identityId))).length).toBe(5);
    const top = await listOwnFiles(owner, { sort: 'name', order: 'asc' });
    expect(top.folders.map((folder) => folder.name)).not.toContain('Trip');

    await restoreTrashBatch(owner, deletion.batch);
    expect(await countFolder(owner, ['Trip'])).toEqual({ files: 3, folders: 3, bytes: 10 });
  });

  it('refuses the top level', async () => {
    expect(await codeOf(deleteFolder(ownerOf(alice), []))).toBe('invalid_input');
  });
});

describe('IAM: nobody lists or writes another person’s folders', () => {
  it('refuses listing, creating, counting and deleting in another person’s folder', async () => {
    const intruder: Owner = { identityId: alice.identityId, credentials: bob.credentials };
    expect(await codeOf(listFolderPage(bob.credentials, alice.identityId, ['Photos']))).toBe('forbidden');
    expect(await codeOf(listOwnFiles(intruder, { sort: 'name', order: 'asc', path: ['Photos'] }))).toBe('forbidden');
    expect(await codeOf(createFolder(intruder, ['Photos'], 'Planted'))).toBe('forbidden');
    expect(await codeOf(countFolder(intruder, ['Photos']))).toBe('forbidden');
    expect(await codeOf(deleteFolder(intruder, ['Photos']))).toBe('forbidden');
    expect(
      await codeOf(bob.s3.send(new PutObjectCommand({ Bucket: emulator.config.bucket, Key: `${alice.home}Planted/` }))),
    ).toBe('AccessDenied');
    expect(await keysUnder(alice, `${alice.home}Planted/`)).toEqual([]);
    expect(await keysUnder(alice, `${alice.home}Photos/Planted/`)).toEqual([]);
  });
});
