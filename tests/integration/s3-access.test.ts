import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { credentialsFor } from '../helpers/identity-credentials';

interface Person {
  identityId: string;
  s3: S3Client;
}

let emulator: EmulatorProcess;
let Bucket: string;
let alice: Person;
let bob: Person;
let guest: Person;

async function person(idToken?: string): Promise<Person> {
  const { identityId, credentials } = await credentialsFor(emulator, idToken);
  const s3 = new S3Client({
    region: emulator.config.region,
    endpoint: emulator.url,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return { identityId, s3 };
}

async function member(email: string): Promise<Person> {
  await createUser(emulator, { email, password: 'Passw0rd!x' });
  return person((await signIn(emulator, { email, password: 'Passw0rd!x' })).idToken);
}

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  Bucket = emulator.config.bucket;
  [alice, bob, guest] = [await member('alice@example.com'), await member('bob@example.com'), await person()];
  await alice.s3.send(new PutObjectCommand({ Bucket, Key: `private/${alice.identityId}/diary.txt`, Body: 'secret' }));
  await alice.s3.send(new PutObjectCommand({ Bucket, Key: `protected/${alice.identityId}/cv.txt`, Body: 'shared' }));
  await alice.s3.send(new PutObjectCommand({ Bucket, Key: `public/${alice.identityId}/notice.txt`, Body: 'for everyone' }));
});
afterAll(async () => {
  await emulator?.stop();
});

/** The S3 error code a request fails with ('' when it succeeds). */
async function codeOf(request: Promise<unknown>): Promise<string> {
  try {
    await request;
    return '';
  } catch (error) {
    if (!(error instanceof S3ServiceException)) throw error;
    return `${error.$metadata.httpStatusCode} ${error.name}`;
  }
}

describe("another identity's private/ prefix", () => {
  it('is closed to get, put, list and delete, with AccessDenied from S3', async () => {
    const prefix = `private/${alice.identityId}/`;
    expect(await codeOf(bob.s3.send(new GetObjectCommand({ Bucket, Key: `${prefix}diary.txt` })))).toBe('403 AccessDenied');
    expect(await codeOf(bob.s3.send(new PutObjectCommand({ Bucket, Key: `${prefix}planted.txt`, Body: 'x' })))).toBe(
      '403 AccessDenied',
    );
    expect(await codeOf(bob.s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix })))).toBe('403 AccessDenied');
    expect(await codeOf(bob.s3.send(new DeleteObjectCommand({ Bucket, Key: `${prefix}diary.txt` })))).toBe('403 AccessDenied');
    const still = await alice.s3.send(new GetObjectCommand({ Bucket, Key: `${prefix}diary.txt` }));
    expect(await still.Body?.transformToString()).toBe('secret');
  });

  it('does not reveal which keys exist: a missing key is AccessDenied, not NoSuchKey', async () => {
    const missing = `private/${alice.identityId}/does-not-exist.txt`;
    expect(await codeOf(bob.s3.send(new GetObjectCommand({ Bucket, Key: missing })))).toBe('403 AccessDenied');
    expect(await codeOf(alice.s3.send(new GetObjectCommand({ Bucket, Key: missing })))).toBe('404 NoSuchKey');
  });

  it('cannot be reached through a presigned URL signed by someone else either', async () => {
    const url = await getSignedUrl(bob.s3, new GetObjectCommand({ Bucket, Key: `private/${alice.identityId}/diary.txt` }), {
      expiresIn: 60,
    });
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>AccessDenied</Code>');
  });
});

describe('listing', () => {
  it('needs a prefix inside what the role may list', async () => {
    expect(await codeOf(alice.s3.send(new ListObjectsV2Command({ Bucket })))).toBe('403 AccessDenied');
    expect(await codeOf(alice.s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'private/' })))).toBe('403 AccessDenied');
    const own = await alice.s3.send(new ListObjectsV2Command({ Bucket, Prefix: `private/${alice.identityId}/` }));
    expect(own.Contents?.map((object) => object.Key)).toEqual([`private/${alice.identityId}/diary.txt`]);
  });
});

describe('protected/ and public/', () => {
  it("lets others read an owner's protected/ files but not write them", async () => {
    const Key = `protected/${alice.identityId}/cv.txt`;
    const read = await bob.s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(await read.Body?.transformToString()).toBe('shared');
    expect(await codeOf(bob.s3.send(new PutObjectCommand({ Bucket, Key, Body: 'defaced' })))).toBe('403 AccessDenied');
  });

  it('lets guests read public/ but not write there, nor read private/', async () => {
    const read = await guest.s3.send(new GetObjectCommand({ Bucket, Key: `public/${alice.identityId}/notice.txt` }));
    expect(await read.Body?.transformToString()).toBe('for everyone');
    expect(await codeOf(guest.s3.send(new PutObjectCommand({ Bucket, Key: 'public/graffiti.txt', Body: 'x' })))).toBe(
      '403 AccessDenied',
    );
    expect(await codeOf(guest.s3.send(new GetObjectCommand({ Bucket, Key: `private/${alice.identityId}/diary.txt` })))).toBe(
      '403 AccessDenied',
    );
  });

  it('lets signed-in people publish under public/<their id>/ only, and remove only their own', async () => {
    const own = `public/${bob.identityId}/bob.txt`;
    expect(await codeOf(bob.s3.send(new PutObjectCommand({ Bucket, Key: own, Body: 'hi' })))).toBe('');
    expect(await codeOf(bob.s3.send(new PutObjectCommand({ Bucket, Key: 'public/loose.txt', Body: 'hi' })))).toBe(
      '403 AccessDenied',
    );
    const alices = `public/${alice.identityId}/notice.txt`;
    expect(await codeOf(bob.s3.send(new PutObjectCommand({ Bucket, Key: alices, Body: 'defaced' })))).toBe('403 AccessDenied');
    expect(await codeOf(bob.s3.send(new DeleteObjectCommand({ Bucket, Key: alices })))).toBe('403 AccessDenied');
    expect(await codeOf(bob.s3.send(new DeleteObjectCommand({ Bucket, Key: own })))).toBe('');
  });

  it('lets guests list public/ but nothing else', async () => {
    const listed = await guest.s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'public/' }));
    expect(listed.Contents?.map((object) => object.Key)).toContain(`public/${alice.identityId}/notice.txt`);
    expect(await codeOf(guest.s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'protected/' })))).toBe('403 AccessDenied');
  });
});
