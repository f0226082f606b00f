import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeletionSummary, deleteAccount, type LeavingPerson } from '@/lib/account/delete-account';
import { confirmsDeletion } from '@/lib/account/delete-confirmation';
import { DOWNLOAD_LINKS_PAGE, downloadAllLinks } from '@/lib/account/download-all';
import { sharePrefixes, trashPrefix } from '@/lib/aws/keys';
import { AppError } from '@/lib/errors';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { createUser, idpClient } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { credentialsFor } from '../helpers/identity-credentials';
import { s3ClientFor } from '../helpers/s3-person';
import { signInForAccount } from '../helpers/user-tokens';

/**
 * Deleting an account (lib/account/delete-account.ts) against a real emulator, with the person's
 * own Identity Pool credentials and access token: every object of theirs goes (files, nested
 * keys, published copies, avatar, unfinished uploads) in DeleteObjects batches, then the user;
 * another person's objects stay; a run that storage interrupts leaves the account and resumes.
 */

let emulator: EmulatorProcess;
let idp: CognitoIdentityProviderClient;

interface Person extends LeavingPerson {
  email: string;
  s3: S3Client;
}

async function person(email: string): Promise<Person> {
  const password = 'Passw0rd!x';
  const { sub } = await createUser(emulator, { email, password });
  const tokens = await signInForAccount(emulator, { email, password });
  const { identityId, credentials } = await credentialsFor(emulator, tokens.idToken);
  return { email, sub, accessToken: tokens.accessToken, identityId, credentials, s3: s3ClientFor(emulator, credentials) };
}

async function put(who: Person, keys: readonly string[], body = 'twelve bytes'): Promise<void> {
  for (let start = 0; start < keys.length; start += 50) {
    await Promise.all(
      keys
        .slice(start, start + 50)
        .map((Key) => who.s3.send(new PutObjectCommand({ Bucket: emulator.config.bucket, Key, Body: body }))),
    );
  }
}

async function keysUnder(who: Person, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await who.s3.send(
      new ListObjectsV2Command({ Bucket: emulator.config.bucket, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Everything a person can have in the bucket: `files` private files (one nested), 2 published, an avatar, an unfinished upload. */
async function fillBucket(who: Person, files: number): Promise<void> {
  const id = who.identityId;
  const privateKeys = Array.from({ length: files - 1 }, (_, index) => `private/${id}/file-${index}.txt`);
  await put(who, [...privateKeys, `private/${id}/nested/deeper.txt`]);
  await put(who, [`public/${id}/shared.txt`, `public/${id}/photo.png`, `protected/${id}/avatar`]);
  await put(who, [`incoming/${id}/0b7c5a3e-1d2f-4c3b-9a8e-7f6d5c4b3a21`]);
  // A share-link copy (lib/files/share.ts): anyone with the link may read it, so it must go too.
  await put(who, [`${sharePrefixes(id)[1]}${'ab'.repeat(16)}`]);
  // A file in the trash (lib/files/trash.ts), in a folder it was deleted from.
  await put(who, [`${trashPrefix(id)}1700000000000-0123456789abcdef/old/notes.txt`]);
}

async function userExists(email: string): Promise<boolean> {
  try {
    await idp.send(new AdminGetUserCommand({ UserPoolId: emulator.config.userPoolId, Username: email }));
    return true;
  } catch (error) {
    if (error instanceof UserNotFoundException) return false;
    throw error;
  }
}

/** Every key under the person's folders, listed with their own credentials (still valid until they expire). */
async function ownedKeys(who: Person): Promise<string[]> {
  const id = who.identityId;
  const areas = await Promise.all(
    [`private/${id}/`, `public/${id}/`, `protected/${id}/`, `incoming/${id}/`, trashPrefix(id), ...sharePrefixes(id)].map(
      (prefix) => keysUnder(who, prefix),
    ),
  );
  return areas.flat();
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
  idp = idpClient(emulator);
});
afterAll(async () => {
  await emulator?.stop();
});

describe('deleting an account', () => {
  it('removes every object of the person in batches, then the user, and leaves another person alone', async () => {
    const alice = await person('alice@example.com');
    const bob = await person('bob@example.com');
    await fillBucket(alice, 1203);
    await fillBucket(bob, 3);
    const bobsBefore = await ownedKeys(bob);

    const summary = await deleteAccount(alice);

    expect(summary).toEqual<DeletionSummary>({
      files: 1203,
      published: 2,
      avatar: 1,
      uploads: 1,
      shares: 1,
      trash: 1,
      bytes: 1209 * 12,
    });
    expect(await ownedKeys(alice)).toEqual([]);
    expect(await userExists(alice.email)).toBe(false);
    expect((await ownedKeys(bob)).sort()).toEqual(bobsBefore.sort());
    expect(await userExists(bob.email)).toBe(true);
  });

  it('stops with "try again" when storage fails part-way, keeps the account, and a second run finishes', async () => {
    const carol = await person('carol@example.com');
    await fillBucket(carol, 1500);
    // The share copy, the published copies, the upload, the avatar, the trash and the first 1,000 files go; then every DeleteObjects fails.
    await emulator.hook('POST', '/_local/faults', { target: 's3', method: 'POST', status: 200, times: 6 });
    await emulator.hook('POST', '/_local/faults', { target: 's3', method: 'POST', status: 503, times: -1 });

    const failure = await appErrorOf(deleteAccount(carol));
    expect(failure.code).toBe('account_delete_incomplete');
    expect(await userExists(carol.email)).toBe(true);
    expect(await keysUnder(carol, `private/${carol.identityId}/`)).toHaveLength(500);
    expect(await keysUnder(carol, `public/${carol.identityId}/`)).toEqual([]);

    await emulator.hook('DELETE', '/_local/faults');
    const summary = await deleteAccount(carol);

    // The summary counts both runs.
    expect(summary).toEqual<DeletionSummary>({
      files: 1500,
      published: 2,
      avatar: 1,
      uploads: 1,
      shares: 1,
      trash: 1,
      bytes: 1506 * 12,
    });
    expect(await ownedKeys(carol)).toEqual([]);
    expect(await userExists(carol.email)).toBe(false);
  });

  it('keeps the account when Cognito refuses the token, after the objects are gone', async () => {
    const dave = await person('dave@example.com');
    await fillBucket(dave, 2);
    const failure = await appErrorOf(deleteAccount({ ...dave, accessToken: `${dave.accessToken}x` }));
    expect(failure.code).toBe('session_ended');
    expect(await ownedKeys(dave)).toEqual([]);
    expect(await userExists(dave.email)).toBe(true);
  });
});

describe('download all my files', () => {
  it('lists a download link for every file, published copy and the avatar, a page at a time', async () => {
    const erin = await person('erin@example.com');
    await fillBucket(erin, DOWNLOAD_LINKS_PAGE + 3);

    const first = await downloadAllLinks(erin);
    expect(first.links.filter((link) => link.area === 'files')).toHaveLength(DOWNLOAD_LINKS_PAGE);
    expect(
      first.links
        .filter((link) => link.area !== 'files')
        .map((link) => `${link.area}:${link.name}`)
        .sort(),
    ).toEqual(['avatar:avatar', 'published:photo.png', 'published:shared.txt']);
    expect(first.nextCursor).not.toBeNull();
    const second = await downloadAllLinks(erin, first.nextCursor);
    expect(second.links.map((link) => link.area)).toEqual(['files', 'files', 'files']);
    expect(second.nextCursor).toBeNull();
    const names = new Set([...first.links, ...second.links].filter((link) => link.area === 'files').map((link) => link.name));
    expect(names.size).toBe(DOWNLOAD_LINKS_PAGE + 3);

    const link = second.links[0];
    if (!link) throw new Error('no link');
    const response = await fetch(link.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(await response.text()).toBe('twelve bytes');
    expect(link.size).toBe(12);
  });
});

describe('download all my files, in folders', () => {
  it('names a file by its folder path and leaves folder markers out', async () => {
    const fay = await person('fay@example.com');
    const id = fay.identityId;
    await put(fay, [
      `private/${id}/Photos/`,
      `private/${id}/Photos/2026/`,
      `private/${id}/Photos/2026/beach.txt`,
      `private/${id}/top.txt`,
    ]);

    const page = await downloadAllLinks(fay);

    expect(
      page.links
        .filter((link) => link.area === 'files')
        .map((link) => link.name)
        .sort(),
    ).toEqual(['Photos/2026/beach.txt', 'top.txt']);
  });
});

describe('the typed confirmation', () => {
  it.each([
    ['ada@example.com', 'ada@example.com', true],
    ['  ADA@Example.com ', 'ada@example.com', true],
    ['ada@example.co', 'ada@example.com', false],
    ['DELETE', 'ada@example.com', false],
    ['', 'ada@example.com', false],
    ['DELETE', null, true],
    [' DELETE ', null, true],
    ['delete', null, false],
  ])('%j for %j → %s', (typed, email, expected) => {
    expect(confirmsDeletion(typed, email)).toBe(expected);
  });
});
