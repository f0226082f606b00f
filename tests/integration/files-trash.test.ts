import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trashPrefix } from '@/lib/aws/keys';
import { AppError } from '@/lib/errors';
import { listOwnFiles, type Owner } from '@/lib/files/service';
import { emptyTrash, listTrash, moveToTrash, restoreFromTrash, restoreTrashBatch } from '@/lib/files/trash';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { type S3Person, signedInS3Person } from '../helpers/s3-person';

/**
 * The trash (lib/files/trash.ts) against a real emulator, with each person's own Identity Pool
 * credentials: a delete moves files (with their folders) to `trash/{identityId}/`, out of the
 * files; restore puts them back, never overwriting (the next free name when the name was taken);
 * Undo restores exactly one delete; emptying and the 30-day purge delete for good; IAM keeps
 * everyone else out of a person's trash; the quota counts the trash.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
let emulator: EmulatorProcess;
let alice: S3Person;
let bob: S3Person;
let carol: S3Person;

function ownerOf(person: S3Person): Owner {
  return { identityId: person.identityId, credentials: person.credentials };
}

async function put(person: S3Person, key: string, body: string): Promise<void> {
  await person.s3.send(new PutObjectCommand({ Bucket: emulator.config.bucket, Key: key, Body: body, ContentType: 'text/plain' }));
}

async function read(person: S3Person, key: string): Promise<string | null> {
  try {
    const answer = await person.s3.send(new GetObjectCommand({ Bucket: emulator.config.bucket, Key: key }));
    return (await answer.Body?.transformToString()) ?? '';
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return null;
    throw error;
  }
}

async function keysUnder(person: S3Person, prefix: string): Promise<string[]> {
  const answer = await person.s3.send(new ListObjectsV2Command({ Bucket: emulator.config.bucket, Prefix: prefix }));
  return (answer.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])).sort();
}

async function s3ErrorName(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  return (error as { name?: string } | null)?.name ?? 'none';
}

async function appErrorCode(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  return error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;
}

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator);
  alice = await signedInS3Person(emulator, 'alice@example.com');
  bob = await signedInS3Person(emulator, 'bob@example.com');
  carol = await signedInS3Person(emulator, 'carol@example.com');
});
afterAll(async () => {
  await emulator?.stop();
});

describe('the trash', () => {
  it('moves deleted files (and their folders) to the trash, out of the files, as one batch', async () => {
    const owner = ownerOf(alice);
    const keys = [`${alice.home}notes.txt`, `${alice.home}Photos/2026/beach.jpg`, `${alice.home}Photos/Empty/`];
    await put(alice, keys[0] ?? '', 'my notes');
    await put(alice, keys[1] ?? '', 'sand');
    await put(alice, keys[2] ?? '', '');
    const before = Date.now();

    const moved = await moveToTrash(owner, keys);

    expect(moved.failed).toEqual([]);
    expect([...moved.trashed].sort()).toEqual([...keys].sort());
    expect(await keysUnder(alice, alice.home)).toEqual([]);
    const trash = trashPrefix(alice.identityId);
    expect(await keysUnder(alice, trash)).toEqual(
      [`${moved.batch}/notes.txt`, `${moved.batch}/Photos/2026/beach.jpg`, `${moved.batch}/Photos/Empty/`]
        .map((rest) => `${trash}${rest}`)
        .sort(),
    );
    const head = await alice.s3.send(
      new HeadObjectCommand({ Bucket: emulator.config.bucket, Key: `${trash}${moved.batch}/Photos/2026/beach.jpg` }),
    );
    expect(decodeURIComponent(head.Metadata?.['trash-original'] ?? '')).toBe(keys[1]);

    const { entries, totalBytes } = await listTrash(owner);
    expect(entries.map((entry) => [entry.originalPath, entry.isFolder, entry.size, entry.daysLeft])).toEqual([
      ['notes.txt', false, 8, 30],
      ['Photos/2026/beach.jpg', false, 4, 30],
      ['Photos/Empty', true, 0, 30],
    ]);
    expect(totalBytes).toBe(12);
    expect(Date.parse(entries[0]?.deletedAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect((await listOwnFiles(owner, { sort: 'name', order: 'asc' })).totalCount).toBe(0);
    await emptyTrash(owner);
  });

  it('restores onto a taken name as the next free name, overwriting nothing, and into a folder that is gone', async () => {
    const owner = ownerOf(alice);
    await put(alice, `${alice.home}report.txt`, 'first draft');
    await put(alice, `${alice.home}Work/plan.txt`, 'the plan');
    const moved = await moveToTrash(owner, [`${alice.home}report.txt`, `${alice.home}Work/plan.txt`]);
    await put(alice, `${alice.home}report.txt`, 'second draft');

    const { entries } = await listTrash(owner);
    const result = await restoreFromTrash(
      owner,
      entries.map((entry) => entry.key),
    );

    expect(result.failed).toEqual([]);
    expect(result.restored.map(({ name, renamed }) => [name, renamed]).sort()).toEqual([
      ['plan.txt', false],
      ['report (1).txt', true],
    ]);
    expect(await read(alice, `${alice.home}report.txt`)).toBe('second draft');
    expect(await read(alice, `${alice.home}report (1).txt`)).toBe('first draft');
    expect(await read(alice, `${alice.home}Work/plan.txt`)).toBe('the plan');
    expect(await keysUnder(alice, trashPrefix(alice.identityId))).toEqual([]);
    expect(moved.batch).toMatch(/^\d+-[0-9a-f]{16}$/);
  });

  it('undoes exactly one delete: its batch comes back, another delete stays in the trash', async () => {
    const owner = ownerOf(alice);
    await put(alice, `${alice.home}keep-deleted.txt`, 'a');
    await put(alice, `${alice.home}undo-me.txt`, 'b');
    await put(alice, `${alice.home}Music/undo-me-too.mp3`, 'c');
    const first = await moveToTrash(owner, [`${alice.home}keep-deleted.txt`]);
    const second = await moveToTrash(owner, [`${alice.home}undo-me.txt`, `${alice.home}Music/undo-me-too.mp3`]);
    expect(second.batch).not.toBe(first.batch);

    const undone = await restoreTrashBatch(owner, second.batch);

    expect(undone.restored).toHaveLength(2);
    expect(await read(alice, `${alice.home}undo-me.txt`)).toBe('b');
    expect(await read(alice, `${alice.home}Music/undo-me-too.mp3`)).toBe('c');
    expect((await listTrash(owner)).entries.map((entry) => entry.originalPath)).toEqual(['keep-deleted.txt']);
    expect(await appErrorCode(restoreTrashBatch(owner, '../x'))).toBe('invalid_input');
    await emptyTrash(owner);
  });

  it('empties the trash for good, and purges entries past 30 days when the trash is viewed', async () => {
    const owner = ownerOf(alice);
    await put(alice, `${alice.home}old.txt`, 'old');
    await put(alice, `${alice.home}older.txt`, 'older');
    await moveToTrash(owner, [`${alice.home}old.txt`], new Date(Date.now() - 29 * DAY_MS));
    await moveToTrash(owner, [`${alice.home}older.txt`], new Date(Date.now() - 30 * DAY_MS - 60_000));

    const { entries } = await listTrash(owner);
    expect(entries.map((entry) => [entry.originalPath, entry.daysLeft])).toEqual([['old.txt', 1]]);
    expect(await keysUnder(alice, trashPrefix(alice.identityId))).toHaveLength(1);

    await put(alice, `${alice.home}gone.txt`, 'gone');
    await moveToTrash(owner, [`${alice.home}gone.txt`]);
    expect(await emptyTrash(owner)).toBe(2);
    expect(await keysUnder(alice, trashPrefix(alice.identityId))).toEqual([]);
    expect((await listTrash(owner)).entries).toEqual([]);
  });

  it('lets nobody else list, read, restore, copy from or write into a person’s trash', async () => {
    const owner = ownerOf(bob);
    await put(bob, `${bob.home}secret.txt`, 'bob only');
    const { batch } = await moveToTrash(owner, [`${bob.home}secret.txt`]);
    const key = `${trashPrefix(bob.identityId)}${batch}/secret.txt`;
    const bucket = emulator.config.bucket;

    expect(
      await s3ErrorName(carol.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: trashPrefix(bob.identityId) }))),
    ).toBe('AccessDenied');
    expect(await s3ErrorName(carol.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'trash/' })))).toBe('AccessDenied');
    expect(await s3ErrorName(carol.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })))).toBe('AccessDenied');
    expect(
      await s3ErrorName(
        carol.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: `${carol.home}stolen.txt`, CopySource: `${bucket}/${key}` })),
      ),
    ).toBe('AccessDenied');
    expect(
      await s3ErrorName(
        carol.s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: `${trashPrefix(bob.identityId)}${batch}/planted.txt`, Body: 'x' }),
        ),
      ),
    ).toBe('AccessDenied');
    const carolOwner = ownerOf(carol);
    expect(await appErrorCode(restoreFromTrash(carolOwner, [key]))).toBe('forbidden');
    expect(await appErrorCode(moveToTrash(carolOwner, [`${bob.home}other.txt`]))).toBe('forbidden');
    // Carol's "undo" of Bob's batch looks only in her own trash.
    expect((await restoreTrashBatch(carolOwner, batch)).restored).toEqual([]);
    expect(await read(bob, key)).toBe('bob only');
  });

  it('counts the trash in the quota until it is emptied', async () => {
    const owner = ownerOf(carol);
    const view = { sort: 'name', order: 'asc' } as const;
    await put(carol, `${carol.home}big.bin`, 'x'.repeat(10_000));
    const before = await listOwnFiles(owner, view);
    expect(before.usedBytes).toBe(10_000);
    expect(before.trashBytes).toBe(0);

    await moveToTrash(owner, [`${carol.home}big.bin`]);
    const trashed = await listOwnFiles(owner, view);
    expect(trashed.totalCount).toBe(0);
    expect(trashed.usedBytes).toBe(10_000);
    expect(trashed.trashBytes).toBe(10_000);

    await emptyTrash(owner);
    const emptied = await listOwnFiles(owner, view);
    expect(emptied.usedBytes).toBe(0);
    expect(emptied.trashBytes).toBe(0);
  });
});
