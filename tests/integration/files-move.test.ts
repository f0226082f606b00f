import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { MOVE_BATCH_SIZE, moveBatch, startMove } from '@/lib/files/move';
import type { MoveBatchResult, MoveJob } from '@/lib/files/move-schemas';
import type { Owner } from '@/lib/files/service';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { type S3Person, signedInS3Person } from '../helpers/s3-person';

/**
 * Moving files and folders (lib/files/move.ts) against a real emulator with the person's own
 * credentials: a 300-file folder moved in batches with S3 failing mid-way (copies, then the
 * deletes), then resumed: every file exactly once at the destination, byte-identical, nothing
 * left behind, and a same-named file that appeared at the destination meanwhile never replaced.
 */

let emulator: EmulatorProcess;
let alice: S3Person;

function ownerOf(person: S3Person): Owner {
  return { identityId: person.identityId, credentials: person.credentials };
}

async function put(who: S3Person, entries: readonly (readonly [string, string])[]): Promise<void> {
  for (let start = 0; start < entries.length; start += 50) {
    await Promise.all(
      entries
        .slice(start, start + 50)
        .map(([key, body]) => who.s3.send(new PutObjectCommand({ Bucket: emulator.config.bucket, Key: key, Body: body }))),
    );
  }
}

async function keysUnder(who: S3Person, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await who.s3.send(
      new ListObjectsV2Command({ Bucket: emulator.config.bucket, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

async function read(who: S3Person, key: string): Promise<string> {
  const answer = await who.s3.send(new GetObjectCommand({ Bucket: emulator.config.bucket, Key: key }));
  return (await answer.Body?.transformToString()) ?? '';
}

/** Drives a move to its end, as the browser does, stopping at the first batch with failures. */
async function drive(owner: Owner, job: MoveJob): Promise<{ job: MoveJob; batches: MoveBatchResult[] }> {
  const batches: MoveBatchResult[] = [];
  let current = job;
  for (let guard = 0; guard < 100; guard += 1) {
    const result = await moveBatch(owner, current);
    batches.push(result);
    current = result.job;
    if (result.done || result.failed.length > 0) break;
  }
  return { job: current, batches };
}

async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator);
  alice = await signedInS3Person(emulator, 'alice-move@example.com');
});
afterEach(async () => {
  await emulator.hook('DELETE', '/_local/faults');
});
afterAll(async () => {
  await emulator?.stop();
});

describe('moving a 300-file folder', () => {
  it('survives failed copies and failed deletes mid-way, resumes, and ends with every file once, byte-identical', async () => {
    const owner = ownerOf(alice);
    const home = alice.home;
    // 250 files in Photos/, 50 in Photos/2026/, both folders with markers; Archive/ exists with a file of its own.
    const files = Array.from({ length: 300 }, (_, index) => {
      const relative = index < 250 ? `file-${String(index).padStart(3, '0')}.txt` : `2026/file-${index}.txt`;
      return [relative, `content of ${relative} ${'x'.repeat(index)}`] as const;
    });
    await put(alice, [
      [`${home}Photos/`, ''],
      [`${home}Photos/2026/`, ''],
      [`${home}Archive/`, ''],
      [`${home}Archive/keep.txt`, 'already here'],
      ...files.map(([relative, body]) => [`${home}Photos/${relative}`, body] as const),
    ]);

    const job = await startMove(owner, { files: [], folders: [['Photos']], destination: ['Archive'] });
    expect(job.folders).toEqual([{ from: ['Photos'], to: ['Archive', 'Photos'] }]);
    expect(job.total).toBe(302); // 300 files, the 2026 marker and the folder itself

    // Batch 1 goes through.
    const first = await moveBatch(owner, job);
    expect(first.moved).toHaveLength(MOVE_BATCH_SIZE);
    expect(first.failed).toEqual([]);

    // Batch 2: CopyObject (PUT) fails for a while (each failed copy uses the SDK's retries).
    await emulator.hook('POST', '/_local/faults', { target: 's3', method: 'PUT', status: 503, times: 30 });
    const second = await moveBatch(owner, first.job);
    expect(second.failed.length).toBeGreaterThan(0);
    expect(second.moved.length + second.failed.length).toBe(MOVE_BATCH_SIZE);
    for (const { from, code } of second.failed) {
      expect(code).toBe('storage_unavailable');
      expect(await keysUnder(alice, from)).toEqual([from]); // still where it was
    }
    for (const { from, to } of second.moved) {
      expect(await keysUnder(alice, from)).toEqual([]);
      expect(await keysUnder(alice, to)).toEqual([to]);
    }
    await emulator.hook('DELETE', '/_local/faults');

    // Batch 3: every copy lands but DeleteObjects (POST) fails: nothing is reported moved, the copies stay.
    await emulator.hook('POST', '/_local/faults', { target: 's3', method: 'POST', status: 503, times: -1 });
    const third = await moveBatch(owner, second.job);
    expect(third.moved).toEqual([]);
    expect(third.failed).toHaveLength(MOVE_BATCH_SIZE);
    expect(third.failed.every((failure) => failure.code === 'storage_unavailable')).toBe(true);
    await emulator.hook('DELETE', '/_local/faults');

    // Meanwhile someone puts a same-named file where one of the remaining files is going.
    const intruder = `${home}Archive/Photos/file-249.txt`;
    await put(alice, [[intruder, 'not yours to replace']]);

    // Resume: the same job again, until done.
    const resumed = await drive(owner, third.job);
    expect(resumed.batches.every((batch) => batch.failed.length === 0)).toBe(true);
    expect(resumed.batches.at(-1)?.done).toBe(true);
    expect(resumed.job.moved).toBe(302);

    // Nothing left behind; every file exactly once at the destination, byte-identical; the intruder untouched.
    expect(await keysUnder(alice, `${home}Photos/`)).toEqual([]);
    const expected = [
      `${home}Archive/Photos/`,
      `${home}Archive/Photos/2026/`,
      `${home}Archive/Photos/file-249 (1).txt`,
      ...files.filter(([relative]) => relative !== 'file-249.txt').map(([relative]) => `${home}Archive/Photos/${relative}`),
      intruder,
    ].sort();
    expect(await keysUnder(alice, `${home}Archive/Photos/`)).toEqual(expected);
    for (const [relative, body] of files) {
      const key = relative === 'file-249.txt' ? `${home}Archive/Photos/file-249 (1).txt` : `${home}Archive/Photos/${relative}`;
      expect(await read(alice, key)).toBe(body);
    }
    expect(await read(alice, intruder)).toBe('not yours to replace');
    expect(await read(alice, `${home}Archive/keep.txt`)).toBe('already here');
  });
});

describe('moving files and renaming folders', () => {
  it('gives a file the next free name at the destination and never replaces the one there', async () => {
    const owner = ownerOf(alice);
    const home = alice.home;
    await put(alice, [
      [`${home}report.pdf`, 'new report'],
      [`${home}Docs/`, ''],
      [`${home}Docs/report.pdf`, 'old report'],
    ]);
    const job = await startMove(owner, { files: [`${home}report.pdf`], folders: [], destination: ['Docs'] });
    const { batches } = await drive(owner, job);
    expect(batches.at(-1)?.done).toBe(true);
    expect(await read(alice, `${home}Docs/report.pdf`)).toBe('old report');
    expect(await read(alice, `${home}Docs/report (1).pdf`)).toBe('new report');
    expect(await keysUnder(alice, `${home}report.pdf`)).toEqual([]);
  });

  it('a taken folder name at the destination gets the next free one (no merge)', async () => {
    const owner = ownerOf(alice);
    const home = alice.home;
    await put(alice, [
      [`${home}Inbox/Notes/a.txt`, 'moved'],
      [`${home}Keep/Notes/a.txt`, 'stays'],
    ]);
    const job = await startMove(owner, { files: [], folders: [['Inbox', 'Notes']], destination: ['Keep'] });
    expect(job.folders[0]?.to).toEqual(['Keep', 'Notes (1)']);
    await drive(owner, job);
    expect(await read(alice, `${home}Keep/Notes/a.txt`)).toBe('stays');
    expect(await read(alice, `${home}Keep/Notes (1)/a.txt`)).toBe('moved');
    expect(await keysUnder(alice, `${home}Inbox/Notes/`)).toEqual([]);
  });

  it('renames a folder (a move to a new name in the same parent); a taken name is refused with a suggestion', async () => {
    const owner = ownerOf(alice);
    const home = alice.home;
    await put(alice, [
      [`${home}Trips/`, ''],
      [`${home}Trips/Rome/`, ''],
      [`${home}Trips/Rome/day1.jpg`, 'day one'],
      [`${home}Trips/Paris/x.jpg`, 'paris'],
    ]);
    const taken = await appErrorOf(
      startMove(owner, { files: [], folders: [['Trips', 'Rome']], destination: ['Trips'], rename: 'Paris' }),
    );
    expect(taken.code).toBe('folder_taken');
    expect(taken.details).toEqual({ suggestion: 'Paris (1)' });

    const job = await startMove(owner, { files: [], folders: [['Trips', 'Rome']], destination: ['Trips'], rename: 'Roma' });
    await drive(owner, job);
    expect(await keysUnder(alice, `${home}Trips/`)).toEqual(
      [`${home}Trips/`, `${home}Trips/Paris/x.jpg`, `${home}Trips/Roma/`, `${home}Trips/Roma/day1.jpg`].sort(),
    );
  });

  it('refuses a folder into itself or its own subfolder, and another person’s keys', async () => {
    const owner = ownerOf(alice);
    await put(alice, [[`${alice.home}Loop/inner/x.txt`, 'x']]);
    expect((await appErrorOf(startMove(owner, { files: [], folders: [['Loop']], destination: ['Loop', 'inner'] }))).code).toBe(
      'move_into_itself',
    );
    const foreign = `private/us-east-1:00000000-0000-4000-8000-000000000000/a.txt`;
    expect((await appErrorOf(startMove(owner, { files: [foreign], folders: [], destination: [] }))).code).toBe('forbidden');
    expect(
      (
        await appErrorOf(
          moveBatch(owner, { files: [{ from: `${alice.home}x.txt`, to: foreign }], folders: [], total: 1, moved: 0 }),
        )
      ).code,
    ).toBe('forbidden');
  });
});
