import {
  ListObjectsV2Command,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { signedInS3Person } from '../helpers/s3-person';

let emulator: EmulatorProcess;
let s3: S3Client;
let Bucket: string;
let home: string;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  Bucket = emulator.config.bucket;
  const person = await signedInS3Person(emulator, 'lister@example.com');
  s3 = person.s3;
  home = person.home;
});
afterAll(async () => {
  await emulator?.stop();
});

/** Uploads tiny objects, `concurrency` at a time. */
async function putAll(keys: string[], concurrency = 50): Promise<void> {
  for (let start = 0; start < keys.length; start += concurrency) {
    await Promise.all(
      keys.slice(start, start + concurrency).map((Key) => s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }))),
    );
  }
}

describe('ListObjectsV2 pagination', () => {
  it('pages through 2,500 objects, 1,000 at a time, with continuation tokens', async () => {
    const prefix = `${home}many/`;
    const keys = Array.from({ length: 2500 }, (_, index) => `${prefix}${String(index).padStart(4, '0')}.txt`);
    await putAll(keys);

    const pages = [];
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket, Prefix: prefix })) pages.push(page);
    expect(pages.map((page) => [page.KeyCount, page.IsTruncated, page.MaxKeys])).toEqual([
      [1000, true, 1000],
      [1000, true, 1000],
      [500, false, 1000],
    ]);
    expect(pages[0]?.NextContinuationToken).toBeTruthy();
    expect(pages[1]?.ContinuationToken).toBe(pages[0]?.NextContinuationToken);
    expect(pages.flatMap((page) => page.Contents?.map((object) => object.Key) ?? [])).toEqual(keys);

    const capped = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, MaxKeys: 5000 }));
    expect(capped.KeyCount).toBe(1000);
    const after = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, StartAfter: keys[2496], MaxKeys: 10 }));
    expect(after.Contents?.map((object) => object.Key)).toEqual(keys.slice(2497));
    expect(after.StartAfter).toBe(keys[2496]);
  });

  it('refuses a forged continuation token', async () => {
    const error = await s3
      .send(new ListObjectsV2Command({ Bucket, Prefix: home, ContinuationToken: 'forged' }))
      .catch((caught: S3ServiceException) => caught);
    expect(error).toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
  });
});

describe('ListObjectsV2 shape', () => {
  it('rolls keys up into CommonPrefixes with a delimiter, counting both in KeyCount', async () => {
    const prefix = `${home}tree/`;
    await putAll([`${prefix}a.txt`, `${prefix}albums/1.jpg`, `${prefix}albums/2.jpg`, `${prefix}b.txt`, `${prefix}docs/x.pdf`]);
    const result = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, Delimiter: '/' }));
    expect(result).toMatchObject({ Name: Bucket, Prefix: prefix, Delimiter: '/', KeyCount: 4, IsTruncated: false });
    expect(result.Contents?.map((object) => object.Key)).toEqual([`${prefix}a.txt`, `${prefix}b.txt`]);
    expect(result.CommonPrefixes?.map((common) => common.Prefix)).toEqual([`${prefix}albums/`, `${prefix}docs/`]);
    expect(result.Contents?.[0]).toMatchObject({ Size: `${prefix}a.txt`.length, StorageClass: 'STANDARD' });
    expect(result.Contents?.[0]?.ETag).toMatch(/^"[0-9a-f]{32}"$/);

    const paged = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, Delimiter: '/', MaxKeys: 2 }));
    expect([paged.KeyCount, paged.IsTruncated]).toEqual([2, true]);
    const rest = await s3.send(
      new ListObjectsV2Command({ Bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: paged.NextContinuationToken }),
    );
    expect(rest.Contents?.map((object) => object.Key)).toEqual([`${prefix}b.txt`]);
    expect(rest.CommonPrefixes?.map((common) => common.Prefix)).toEqual([`${prefix}docs/`]);
  });

  it('orders keys by UTF-8 bytes and URL-encodes them with encoding-type=url', async () => {
    const prefix = `${home}order/`;
    const names = ['Z', 'a', 'é', '\uFF61', '\u{1F600}', 'a b'];
    await putAll(names.map((name) => `${prefix}${name}`));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix }));
    const expected = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(listed.Contents?.map((object) => object.Key?.slice(prefix.length))).toEqual(expected);

    const url = await getSignedUrl(s3, new ListObjectsV2Command({ Bucket, Prefix: `${prefix}a`, EncodingType: 'url' }), {
      expiresIn: 60,
    });
    const xml = await (await fetch(url)).text();
    expect(xml).toContain('<EncodingType>url</EncodingType>');
    expect(xml).toContain(`<Key>${prefix.replace(/:/g, '%3A')}a+b</Key>`);
  });

  it('lists the exact §7.5 document', async () => {
    const prefix = `${home}exact/`;
    await putAll([`${prefix}one`]);
    const url = await getSignedUrl(s3, new ListObjectsV2Command({ Bucket, Prefix: prefix, Delimiter: '/' }), { expiresIn: 60 });
    const xml = await (await fetch(url)).text();
    expect(xml).toMatch(
      new RegExp(
        '^<\\?xml version="1.0" encoding="UTF-8"\\?>\\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
          `<Name>${Bucket}</Name><Prefix>[^<]+</Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter>` +
          '<IsTruncated>false</IsTruncated><Contents><Key>[^<]+one</Key><LastModified>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z</LastModified>' +
          '<ETag>&quot;[0-9a-f]{32}&quot;</ETag><Size>\\d+</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>$',
      ),
    );
  });
});
