import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listAllFiles } from '@/lib/aws/s3-objects';
import { generationKey, ListingCache } from '@/lib/files/listing-cache';
import { listOwnFiles, type Owner, removeFiles } from '@/lib/files/service';
import { sharedStore } from '@/lib/store';
import { RedisStore } from '@/lib/store/redis';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { type RedisServer, startRedisServer } from '../helpers/redis-server';
import { type S3Person, signedInS3Person } from '../helpers/s3-person';

/**
 * Read-your-writes across instances (issue 12 §2, issue 13): each instance caches a person's
 * listing, and a change finished on one instance makes the others' cached listing stale at once,
 * through the listing generation in the shared store (a real `redis-server`). Two instances are
 * two ListingCache objects over two RedisStore clients of the same server; the app's own listing
 * cache (lib/files/service.ts) plays one of them. Objects are written straight to S3 behind the
 * caches, so only a listing read afresh can show them.
 */

let emulator: EmulatorProcess;
let redis: RedisServer;
let storeOne: RedisStore;
let storeTwo: RedisStore;

beforeAll(async () => {
  [emulator, redis] = await Promise.all([startEmulatorProcess(), startRedisServer()]);
  useEmulatorEnvironment(emulator, { SESSION_STORE_URL: redis.url });
  storeOne = new RedisStore(redis.url);
  storeTwo = new RedisStore(redis.url);
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterAll(async () => {
  vi.restoreAllMocks();
  await Promise.all([storeOne?.close(), storeTwo?.close(), sharedStore().close()]);
  await Promise.all([emulator?.stop(), redis?.close()]);
});

function ownerOf(person: S3Person): Owner {
  return { identityId: person.identityId, credentials: person.credentials };
}

/** Writes a file straight to S3, behind every cache. */
async function putBehind(person: S3Person, name: string): Promise<void> {
  await person.s3.send(
    new PutObjectCommand({ Bucket: emulator.config.bucket, Key: `${person.home}${name}`, Body: name, ContentType: 'text/plain' }),
  );
}

/** A real S3 listing of the person's folder that counts how often it ran. */
function countedListing(person: S3Person) {
  const counter = { reads: 0 };
  const read = async () => {
    counter.reads += 1;
    return (await listAllFiles(person.credentials, person.home)).map((file) => file.name).sort();
  };
  return { counter, read };
}

describe('listing generations in Redis, shared by two instances', () => {
  it('a change recorded on instance 1 makes the listing cached on instance 2 stale at once', async () => {
    const person = await signedInS3Person(emulator, 'two-instances@example.com');
    const one = new ListingCache<string[]>(() => storeOne);
    const two = new ListingCache<string[]>(() => storeTwo);
    const { counter, read } = countedListing(person);

    expect(await two.get(person.identityId, read)).toEqual([]);
    await putBehind(person, 'a.txt');
    // Cached on instance 2: S3 is not asked again, so the new file is not seen yet.
    expect(await two.get(person.identityId, read)).toEqual([]);
    expect(counter.reads).toBe(1);

    await one.changed(person.identityId);
    expect(await two.get(person.identityId, read)).toEqual(['a.txt']);
    expect(counter.reads).toBe(2);
    expect(await two.get(person.identityId, read)).toEqual(['a.txt']);
    expect(counter.reads).toBe(2);
    // The generation expires with a bounded TTL, well past the listing's.
    const ttl = await storeTwo.client.pttl(generationKey(person.identityId));
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(5 * 60_000);
  });

  it("another person's change leaves a listing cached", async () => {
    const person = await signedInS3Person(emulator, 'unaffected@example.com');
    const other = await signedInS3Person(emulator, 'other@example.com');
    const two = new ListingCache<string[]>(() => storeTwo);
    const { counter, read } = countedListing(person);
    await two.get(person.identityId, read);
    await new ListingCache<string[]>(() => storeOne).changed(other.identityId);
    await two.get(person.identityId, read);
    expect(counter.reads).toBe(1);
  });

  it("the app's file listing (lib/files/service.ts) bumps the shared generation and reads afresh after another instance's change", async () => {
    const person = await signedInS3Person(emulator, 'service@example.com');
    const owner = ownerOf(person);
    const names = async () => (await listOwnFiles(owner, { sort: 'name', order: 'asc' })).items.map((item) => item.name);
    await putBehind(person, 'first.txt');
    expect(await names()).toEqual(['first.txt']);
    await putBehind(person, 'second.txt');
    expect(await names()).toEqual(['first.txt']); // served from this instance's cache

    // Another instance (its own cache, its own Redis client) finished a change.
    await new ListingCache<string[]>(() => storeTwo).changed(person.identityId);
    expect(await names()).toEqual(['first.txt', 'second.txt']);

    // A change made here is recorded in Redis for the other instances.
    const before = Number(await storeTwo.get(generationKey(person.identityId)));
    await removeFiles(owner, [`${person.home}first.txt`]);
    expect(Number(await storeTwo.get(generationKey(person.identityId)))).toBe(before + 1);
    expect(await names()).toEqual(['second.txt']);
  });

  it('reads from S3 every time while Redis is down (never a cache it cannot check), and changes do not throw', async () => {
    const person = await signedInS3Person(emulator, 'store-down@example.com');
    const one = new ListingCache<string[]>(() => storeOne);
    const two = new ListingCache<string[]>(() => storeTwo);
    const { counter, read } = countedListing(person);
    expect(await two.get(person.identityId, read)).toEqual([]);
    await redis.stop();
    try {
      await putBehind(person, 'during.txt');
      expect(await two.get(person.identityId, read)).toEqual(['during.txt']);
      await putBehind(person, 'during-2.txt');
      expect(await two.get(person.identityId, read)).toEqual(['during-2.txt', 'during.txt']);
      expect(counter.reads).toBe(3);
      await expect(one.changed(person.identityId)).resolves.toBeUndefined();
    } finally {
      await redis.restart();
    }
    // Back (empty, nothing persisted): the listing read during the outage was not kept.
    await expect
      .poll(
        () =>
          storeTwo.get('ping').then(
            () => 'up',
            () => 'down',
          ),
        { timeout: 10_000 },
      )
      .toBe('up');
    await two.get(person.identityId, read);
    expect(counter.reads).toBe(4);
  });
});
