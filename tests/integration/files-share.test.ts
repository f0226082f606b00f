import { randomBytes } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseShareToken, shareAddress } from '@/lib/aws/keys';
import { AppError } from '@/lib/errors';
import { listOwnFiles } from '@/lib/files/service';
import { createShareLink, listShareLinks, openShareLink, revokeShareLink } from '@/lib/files/share';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { credentialsFor, type IdentityCredentials } from '../helpers/identity-credentials';
import { type S3Person, s3ClientFor, signedInS3Person } from '../helpers/s3-person';

/**
 * Share links against a real emulator, each party with their own Identity Pool credentials and
 * the official S3 client: the owner's create-only copy, a guest reading it through the
 * unauthenticated role (read yes; list no, anywhere under shared/; a guessed link no), the app's
 * end of a link (an hour, to the second) and revoking, and IAM keeping everyone else out of a
 * person's share folders.
 */

let emulator: EmulatorProcess;
let alice: S3Person;
let bob: S3Person;
let guest: IdentityCredentials & { s3: S3Client };
let bucket: string;

async function put(person: S3Person, name: string, body: string | Uint8Array): Promise<string> {
  const key = `${person.home}${name}`;
  await person.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return key;
}

/** `<status> <S3 error>` of a refused request, or `ok`. */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (!(error instanceof S3ServiceException)) throw error;
    return `${error.$metadata.httpStatusCode} ${error.name}`;
  }
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
}

function list(client: S3Client, prefix?: string): Promise<string> {
  return outcome(client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix })));
}

function keyOf(token: string): string {
  const address = parseShareToken(token);
  if (!address) throw new Error('not a share token');
  return address.key;
}

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator);
  bucket = emulator.config.bucket;
  alice = await signedInS3Person(emulator, 'alice@example.com');
  bob = await signedInS3Person(emulator, 'bob@example.com');
  const guestIdentity = await credentialsFor(emulator);
  guest = { ...guestIdentity, s3: s3ClientFor(emulator, guestIdentity.credentials) };
});
afterAll(async () => {
  await emulator?.stop();
});

describe('a shared file, for a guest', () => {
  it('is a copy a guest can open and download byte for byte, with its name, size and end', async () => {
    const body = randomBytes(4096);
    const key = await put(alice, 'Quarterly report.bin', body);
    const now = new Date();
    const link = await createShareLink(alice, { key, duration: '1d' });
    expect(link).toMatchObject({ name: 'Quarterly report.bin', size: 4096, path: `/s/${link.token}` });
    expect(Date.parse(link.expiresAt) - now.getTime()).toBeGreaterThanOrEqual(24 * 3600 * 1000 - 5000);
    expect(keyOf(link.token)).toMatch(new RegExp(`^shared/1d/${alice.identityId}/[0-9a-f]{32}$`));

    const opened = await openShareLink(guest, link.token);
    expect(opened).toMatchObject({ name: 'Quarterly report.bin', size: 4096, expiresAt: link.expiresAt, previewUrl: null });
    const response = await fetch(opened?.downloadUrl ?? '');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;.*Quarterly/);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(body);
    // The official client with the guest's credentials reads the key too: IAM allows it.
    expect(await outcome(guest.s3.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(link.token) })))).toBe('ok');
    // A signed-in stranger reads it as well (their own role).
    expect(await outcome(bob.s3.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(link.token) })))).toBe('ok');
  });

  it('cannot be found by listing: not shared/, not a day group, not the owner’s folder, not the bucket', async () => {
    for (const prefix of [
      undefined,
      '',
      's',
      'shared',
      'shared/',
      'shared/1d/',
      'shared/7d/',
      `shared/1d/${alice.identityId}/`,
      `shared/1d/${alice.identityId}/0`,
    ]) {
      expect(await list(guest.s3, prefix), `guest ${prefix}`).toBe('403 AccessDenied');
      expect(await list(bob.s3, prefix), `bob ${prefix}`).toBe('403 AccessDenied');
    }
    // The owner may list their own folder, and only that.
    expect(await list(alice.s3, `shared/1d/${alice.identityId}/`)).toBe('ok');
    expect(await list(alice.s3, 'shared/1d/')).toBe('403 AccessDenied');
    expect(await list(alice.s3, `shared/1d/${bob.identityId}/`)).toBe('403 AccessDenied');
  });

  it('cannot be guessed: another secret is the same "gone" as a malformed token, and S3 says AccessDenied, not NoSuchKey', async () => {
    const guessed = shareAddress(alice.identityId, 1, randomBytes(16).toString('hex'));
    expect(await openShareLink(guest, guessed.token)).toBeNull();
    expect(await openShareLink(bob, guessed.token)).toBeNull();
    expect(await openShareLink(guest, 'not-a-token')).toBeNull();
    // A HEAD answer has no body, so no error name: its status says it.
    expect(await outcome(guest.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: guessed.key })))).toMatch(/^403 /);
    expect(await outcome(guest.s3.send(new GetObjectCommand({ Bucket: bucket, Key: guessed.key })))).toBe('403 AccessDenied');
  });
});

describe('the end of a link', () => {
  it('an hour link works until its hour is over, then is gone (the app’s clock, to the second)', async () => {
    const key = await put(alice, 'hour.txt', 'for an hour');
    const start = new Date();
    const link = await createShareLink(alice, { key, duration: '1h' }, start);
    expect(keyOf(link.token).startsWith('shared/1d/')).toBe(true);
    expect(await openShareLink(guest, link.token, new Date(start.getTime() + 59 * 60_000))).not.toBeNull();
    expect(await openShareLink(guest, link.token, new Date(start.getTime() + 3600_000))).toBeNull();
    expect(await openShareLink(bob, link.token, new Date(start.getTime() + 3600_000 + 1000))).toBeNull();
  });

  it('a download URL never outlives its link', async () => {
    const key = await put(alice, 'soon.txt', 'soon over');
    const start = new Date();
    const link = await createShareLink(alice, { key, duration: '1h' }, start);
    const opened = await openShareLink(guest, link.token, new Date(start.getTime() + 3600_000 - 120_000));
    expect(new URL(opened?.downloadUrl ?? '').searchParams.get('X-Amz-Expires')).toBe('120');
  });

  it('an ended link is left out of the owner’s list and its copy deleted', async () => {
    const key = await put(alice, 'ended.txt', 'ended');
    const start = new Date(Date.now() - 2 * 3600_000); // Made two hours ago, for an hour.
    const link = await createShareLink(alice, { key, duration: '1h' }, start);
    expect(await openShareLink(guest, link.token)).toBeNull();
    const listed = await listShareLinks(alice);
    expect(listed.map((item) => item.token)).not.toContain(link.token);
    expect(await outcome(alice.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(link.token) })))).toBe('404 NotFound');
  });
});

describe('revoking and the owner’s list', () => {
  it('lists active links with their end, soonest first; a revoked link is gone for everyone', async () => {
    const key = await put(alice, 'photo.txt', 'photo');
    const week = await createShareLink(alice, { key, duration: '7d' });
    const month = await createShareLink(alice, { key, duration: '30d' });
    expect(keyOf(month.token).startsWith('shared/30d/')).toBe(true);
    const listed = await listShareLinks(alice);
    const mine = listed.filter((item) => item.token === week.token || item.token === month.token);
    expect(mine.map((item) => [item.token, item.expiresAt, item.name])).toEqual([
      [week.token, week.expiresAt, 'photo.txt'],
      [month.token, month.expiresAt, 'photo.txt'],
    ]);

    expect(await failure(revokeShareLink(bob, week.token))).toBe('forbidden');
    expect(await openShareLink(guest, week.token)).not.toBeNull();
    await revokeShareLink(alice, week.token);
    expect(await openShareLink(guest, week.token)).toBeNull();
    expect(await outcome(guest.s3.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(week.token) })))).toBe(
      '403 AccessDenied',
    );
    expect((await listShareLinks(alice)).map((item) => item.token)).not.toContain(week.token);
    await revokeShareLink(alice, week.token); // Already gone: still fine.
    expect(await openShareLink(guest, month.token)).not.toBeNull();
  });
});

describe('IAM around share folders', () => {
  it('refuses anyone writing, copying into or deleting from another person’s share folder', async () => {
    const bobsKey = await put(bob, 'planted.txt', 'planted');
    const link = await createShareLink(alice, { key: await put(alice, 'mine.txt', 'mine'), duration: '7d' });
    const victim = keyOf(link.token);
    const planted = shareAddress(alice.identityId, 7, randomBytes(16).toString('hex')).key;
    const refusals = [
      () => bob.s3.send(new PutObjectCommand({ Bucket: bucket, Key: planted, Body: 'x' })),
      () => bob.s3.send(new PutObjectCommand({ Bucket: bucket, Key: victim, Body: 'replaced' })),
      () => bob.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: planted, CopySource: `${bucket}/${bobsKey}` })),
      () => bob.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: victim })),
      () => guest.s3.send(new PutObjectCommand({ Bucket: bucket, Key: planted, Body: 'x' })),
      () => guest.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: victim })),
      // Nobody, the owner included, writes outside a day group's own folder.
      () => alice.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `shared/${alice.identityId}/x`, Body: 'x' })),
    ];
    for (const [index, refusal] of refusals.entries()) expect(await outcome(refusal()), `#${index}`).toBe('403 AccessDenied');
    expect(await openShareLink(guest, link.token)).toMatchObject({ name: 'mine.txt' });
  });

  it('shares only the person’s own files', async () => {
    const bobsKey = await put(bob, 'private.txt', 'bob only');
    expect(await failure(createShareLink(alice, { key: bobsKey, duration: '1d' }))).toBe('forbidden');
    expect(await failure(createShareLink(alice, { key: `${alice.home}missing.txt`, duration: '1d' }))).toBe('not_found');
  });
});

describe('quota', () => {
  it('counts a link’s copy in the person’s storage until it is revoked', async () => {
    const carol = await signedInS3Person(emulator, 'carol@example.com');
    const key = await put(carol, 'big.bin', randomBytes(10_000));
    const view = { sort: 'name', order: 'asc' } as const;
    const before = (await listOwnFiles(carol, view)).usedBytes;
    expect(before).toBe(10_000);
    const link = await createShareLink(carol, { key, duration: '1d' });
    expect((await listOwnFiles(carol, view)).usedBytes).toBe(20_000);
    await revokeShareLink(carol, link.token);
    expect((await listOwnFiles(carol, view)).usedBytes).toBe(10_000);
  });
});
