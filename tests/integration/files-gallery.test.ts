import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avatarKey, publisherOf } from '@/lib/aws/keys';
import { AppError } from '@/lib/errors';
import { avatarUrlOf, planAvatarUpload } from '@/lib/files/avatar';
import { type GalleryViewer, listGallery, publishOwnFile, removePublicFile, unpublishOwnFile } from '@/lib/files/gallery';
import { forgetPublished, listOwnFiles } from '@/lib/files/service';
import { png } from '../fixtures/png';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { createUser, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { credentialsFor } from '../helpers/identity-credentials';
import { type S3Person, s3ClientFor, signedInS3Person } from '../helpers/s3-person';

/**
 * The public gallery and avatars against a real emulator, each viewer with their own Identity
 * Pool credentials: publishing, a guest's view through the unauthenticated role, removal by the
 * publisher and by an admin (Token role mapping), and both walls (the app's check, then IAM's).
 */

let emulator: EmulatorProcess;
let alice: S3Person;
let bob: S3Person;
let admin: S3Person;
let guest: Awaited<ReturnType<typeof credentialsFor>>;

function viewer(
  person: { identityId: string; credentials: S3Person['credentials'] },
  options: Partial<GalleryViewer> = {},
): GalleryViewer {
  return { identityId: person.identityId, credentials: person.credentials, signedIn: true, isAdmin: false, ...options };
}

async function put(person: S3Person, name: string, body: string | Uint8Array): Promise<string> {
  const key = `${person.home}${name}`;
  await person.s3.send(new PutObjectCommand({ Bucket: emulator.config.bucket, Key: key, Body: body }));
  return key;
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
}

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator);
  alice = await signedInS3Person(emulator, 'alice@example.com');
  bob = await signedInS3Person(emulator, 'bob@example.com');
  await createUser(emulator, { email: 'admin@example.com', password: 'Passw0rd!x', groups: ['admins'] });
  const { idToken } = await signIn(emulator, { email: 'admin@example.com', password: 'Passw0rd!x' });
  const identity = await credentialsFor(emulator, idToken);
  admin = { ...identity, s3: s3ClientFor(emulator, identity.credentials), home: `private/${identity.identityId}/` };
  guest = await credentialsFor(emulator);
});
afterAll(async () => {
  await emulator?.stop();
});

describe('publishing and browsing', () => {
  it('publishes a copy under public/<identityId>/ that a guest can list and open', async () => {
    // A real PNG: an inline URL is signed only for bytes that carry the type's magic number.
    const sunset = png(3, 2, [250, 120, 30]);
    const key = await put(alice, 'sunset.png', sunset);
    const published = await publishOwnFile(alice, key);
    expect(published.key).toBe(`public/${alice.identityId}/sunset.png`);
    expect(publisherOf(published.key)).toBe(alice.identityId);

    const page = await listGallery(viewer(guest, { signedIn: false }), 1);
    expect(page.total).toBe(1);
    const [item] = page.items;
    expect(item).toMatchObject({ name: 'sunset.png', isImage: true, mine: false, canRemove: false, avatarUrl: null });
    const response = await fetch(item?.url ?? '');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^inline/);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(sunset);
  });

  it('shows people their own files as removable, others’ as not, and admins everything as removable', async () => {
    // S3 times have whole seconds: publish the notes a few seconds later on the emulator's clock.
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 5 });
    await publishOwnFile(bob, await put(bob, 'notes.txt', 'bob’s notes'));
    const forAlice = await listGallery(viewer(alice), 1);
    expect(forAlice.items.map((item) => [item.name, item.mine, item.canRemove])).toEqual([
      ['notes.txt', false, false],
      ['sunset.png', true, true],
    ]);
    const forAdmin = await listGallery(viewer(admin, { isAdmin: true }), 1);
    expect(forAdmin.items.every((item) => item.canRemove)).toBe(true);
    const notes = forAlice.items.find((item) => item.name === 'notes.txt');
    expect(notes?.isImage).toBe(false);
    expect((await fetch(notes?.url ?? '')).headers.get('content-disposition')).toMatch(/^attachment/);
  });

  it('refuses to publish someone else’s file', async () => {
    const bobsKey = await put(bob, 'secret.txt', 'mine');
    expect(await failure(publishOwnFile(alice, bobsKey))).toBe('forbidden');
  });

  it('pages the gallery, newest first', async () => {
    // Later than everything published so far (S3 times have whole seconds).
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 10 });
    for (let index = 0; index < 25; index += 1) {
      await publishOwnFile(bob, await put(bob, `photo-${index}.jpg`, `#${index}`));
    }
    const first = await listGallery(viewer(guest, { signedIn: false }), 1);
    expect(first.pageCount).toBe(2);
    expect(first.items).toHaveLength(24);
    const second = await listGallery(viewer(guest, { signedIn: false }), 2);
    expect(second.items).toHaveLength(27 - 24);
    expect(second.items.map((item) => item.name)).toContain('sunset.png');
    expect((await listGallery(viewer(guest, { signedIn: false }), 99)).page).toBe(2);
  });
});

describe('removing', () => {
  it('stops a non-admin at the app’s check, and at IAM when the check is bypassed', async () => {
    const bobsPublic = `public/${bob.identityId}/notes.txt`;
    expect(await failure(removePublicFile(viewer(alice), bobsPublic))).toBe('forbidden');
    // Pretend the app thought Alice was an admin: her real role still may not delete it.
    expect(await failure(removePublicFile(viewer(alice, { isAdmin: true }), bobsPublic))).toBe('forbidden');
    await expect(
      alice.s3.send(new DeleteObjectCommand({ Bucket: emulator.config.bucket, Key: bobsPublic })),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    expect((await listGallery(viewer(alice), 1)).total).toBe(27);
  });

  it('lets the publisher remove their own, and an admin remove anyone’s', async () => {
    await removePublicFile(viewer(alice), `public/${alice.identityId}/sunset.png`);
    await removePublicFile(viewer(admin, { isAdmin: true }), `public/${bob.identityId}/notes.txt`);
    const names = (await listGallery(viewer(guest, { signedIn: false }), 1)).items.map((item) => item.name);
    expect(names).not.toContain('sunset.png');
    expect(names).not.toContain('notes.txt');
    // The originals in private/ are untouched.
    expect(
      (await bob.s3.send(new GetObjectCommand({ Bucket: emulator.config.bucket, Key: `${bob.home}notes.txt` }))).$metadata
        .httpStatusCode,
    ).toBe(200);
  });

  it('refuses keys that are not gallery files', async () => {
    expect(await failure(removePublicFile(viewer(admin, { isAdmin: true }), `${bob.home}notes.txt`))).toBe('invalid_input');
    expect(await failure(removePublicFile(viewer(admin, { isAdmin: true }), 'public/../private/x'))).toBe('invalid_input');
  });
});

describe('avatars', () => {
  it('uploads an avatar through the presigned PUT that other signed-in people can see and guests cannot', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const upload = await planAvatarUpload(alice, png.byteLength);
    expect((await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: png })).status).toBe(200);

    const seenByBob = await avatarUrlOf(bob.credentials, alice.identityId);
    const response = await fetch(seenByBob ?? '');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png);

    const guestS3 = s3ClientFor(emulator, guest.credentials);
    await expect(
      guestS3.send(new GetObjectCommand({ Bucket: emulator.config.bucket, Key: avatarKey(alice.identityId) })),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await expect(
      bob.s3.send(new PutObjectCommand({ Bucket: emulator.config.bucket, Key: avatarKey(alice.identityId), Body: 'x' })),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });

  it('shows publishers’ avatars to signed-in viewers only', async () => {
    // Newest of all, so it is on the first page (S3 times have whole seconds).
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 20 });
    await publishOwnFile(alice, await put(alice, 'with-avatar.txt', 'hi'));
    const signedIn = await listGallery(viewer(bob), 1);
    expect(signedIn.items.find((item) => item.name === 'with-avatar.txt')?.avatarUrl).toMatch(/avatar/);
    const asGuest = await listGallery(viewer(guest, { signedIn: false }), 1);
    expect(asGuest.items.every((item) => item.avatarUrl === null)).toBe(true);
  });

  it('refuses an avatar that is empty or too large', async () => {
    expect(await failure(planAvatarUpload(alice, 0))).toBe('invalid_file');
    expect(await failure(planAvatarUpload(alice, 2 * 1024 * 1024))).toBe('invalid_file');
  });
});

describe('publishing from /files', () => {
  let carol: S3Person;
  const publicOf = (name: string) => `public/${carol.identityId}/${name}`;
  async function marks(): Promise<Record<string, boolean>> {
    const page = await listOwnFiles(carol, { sort: 'name', order: 'asc' });
    return Object.fromEntries(page.items.map((item) => [item.name, item.isPublic]));
  }

  beforeAll(async () => {
    carol = await signedInS3Person(emulator, 'carol@example.com');
  });

  it('marks a published file Public from S3, and a second publish copies nothing', async () => {
    const key = await put(carol, 'kite.png', 'a kite');
    await put(carol, 'diary.txt', 'private');
    expect(await marks()).toEqual({ 'diary.txt': false, 'kite.png': false });

    expect(await publishOwnFile(carol, key)).toEqual({ key: publicOf('kite.png'), alreadyPublic: false });
    expect(await marks()).toEqual({ 'diary.txt': false, 'kite.png': true });

    // Mark the public copy: a second copy would overwrite the mark.
    await carol.s3.send(new PutObjectCommand({ Bucket: emulator.config.bucket, Key: publicOf('kite.png'), Body: 'marked' }));
    expect(await publishOwnFile(carol, key)).toEqual({ key: publicOf('kite.png'), alreadyPublic: true });
    const body = await carol.s3.send(new GetObjectCommand({ Bucket: emulator.config.bucket, Key: publicOf('kite.png') }));
    expect(await body.Body?.transformToString()).toBe('marked');
  });

  it('unpublishes the public copy only, and never someone else’s', async () => {
    await unpublishOwnFile(carol, `${carol.home}kite.png`);
    await expect(
      carol.s3.send(new HeadObjectCommand({ Bucket: emulator.config.bucket, Key: publicOf('kite.png') })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    expect(await marks()).toEqual({ 'diary.txt': false, 'kite.png': false });
    expect(await failure(unpublishOwnFile(carol, `${bob.home}notes.txt`))).toBe('forbidden');
  });

  it('learns of a copy published outside this process from S3 once its short cache is dropped', async () => {
    await marks(); // Cached: diary.txt is not public.
    await carol.s3.send(new PutObjectCommand({ Bucket: emulator.config.bucket, Key: publicOf('diary.txt'), Body: 'private' }));
    forgetPublished(carol.identityId);
    expect(await marks()).toEqual({ 'diary.txt': true, 'kite.png': false });
  });
});
