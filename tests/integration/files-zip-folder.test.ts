import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { folderZipFiles, zipDownloadLinks } from '@/lib/files/download-many';
import type { Owner } from '@/lib/files/service';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { type S3Person, signedInS3Person } from '../helpers/s3-person';

/**
 * A folder's zip listing (lib/files/download-many.ts `folderZipFiles`) against a real emulator with
 * each person's own Identity Pool credentials: every file under the folder at any depth, with its
 * path in the zip (the folder's name first), folder markers, hidden folders and neighbours left
 * out; the links it leads to bring the bytes; IAM keeps everyone out of everyone else's folders.
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
  const home = alice.home;
  for (const [key, body] of [
    [`${home}Photos/`, ''],
    [`${home}Photos/Trip/`, ''],
    [`${home}Photos/Trip/a.txt`, 'aaa'],
    [`${home}Photos/Trip/Day 1/`, ''],
    [`${home}Photos/Trip/Day 1/b.txt`, 'bb'],
    [`${home}Photos/Trip/Day 1/Raw/c.bin`, 'c'],
    [`${home}Photos/Trip/Empty/`, ''],
    [`${home}Photos/Trip/.hidden/d.txt`, 'd'],
    [`${home}Photos/Trip 2/e.txt`, 'e'],
    [`${home}Photos/f.txt`, 'f'],
  ] as const)
    await put(alice, key, body);
});
afterAll(async () => {
  await emulator?.stop();
});

describe('listing a folder for its zip', () => {
  it('lists every file under it at any depth, each with its path in the zip, and nothing else', async () => {
    const files = await folderZipFiles(ownerOf(alice), ['Photos', 'Trip']);
    expect(files.map(({ name, size }) => [name, size]).sort()).toEqual([
      ['Trip/Day 1/Raw/c.bin', 1],
      ['Trip/Day 1/b.txt', 2],
      ['Trip/a.txt', 3],
    ]);
    for (const file of files) expect(file.key).toBe(`${alice.home}Photos/${file.name}`);
  });

  it('leads to links that bring each file’s bytes', async () => {
    const files = await folderZipFiles(ownerOf(alice), ['Photos', 'Trip']);
    const links = await zipDownloadLinks(
      ownerOf(alice),
      files.map((file) => file.key),
    );
    const bodies = await Promise.all(links.map(async (link) => (await fetch(link.url)).text()));
    expect(bodies.sort()).toEqual(['aaa', 'bb', 'c']);
  });

  it('answers nothing for an empty folder, refuses the top level, and IAM refuses another person’s folder', async () => {
    expect(await folderZipFiles(ownerOf(alice), ['Photos', 'Trip', 'Empty'])).toEqual([]);
    expect(await codeOf(folderZipFiles(ownerOf(alice), []))).toBe('invalid_input');
    expect(await codeOf(folderZipFiles({ identityId: alice.identityId, credentials: bob.credentials }, ['Photos']))).toBe(
      'forbidden',
    );
  });
});
