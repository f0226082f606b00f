import { describe, expect, it } from 'vitest';
import { zipDownloadLinks } from '@/lib/files/download-many';
import type { Owner } from '@/lib/files/service';

/** Presigning is local: fixed credentials are enough, and no S3 is called. */
const ID = 'us-east-1:1666ff8c-8ddf-42c8-9109-07e2dfd3848c';
const OTHER = 'us-east-1:0b7c1e9a-2d3f-4a5b-8c6d-7e8f9a0b1c2d';
const owner: Owner = {
  identityId: ID,
  credentials: {
    accessKeyId: 'ASIAEXAMPLEEXAMPLE00',
    secretAccessKey: 'secret/example/secret/example/secret/exam',
    sessionToken: 'session-token',
    expiration: new Date(Date.now() + 60 * 60 * 1000),
  },
};

describe('zipDownloadLinks', () => {
  it('presigns an attachment GET for each of the person own keys, in the order asked', async () => {
    const keys = [`private/${ID}/b.txt`, `private/${ID}/a b.txt`];
    const links = await zipDownloadLinks(owner, keys);
    expect(links.map((link) => link.key)).toEqual(keys);
    for (const link of links) {
      const url = new URL(link.url);
      expect(url.pathname.endsWith(`/${encodeURIComponent(link.key.split('/').at(-1) ?? '')}`)).toBe(true);
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
      expect(url.searchParams.get('response-content-disposition')).toMatch(/^attachment/);
    }
  });

  it.each([
    ['another person', `private/${OTHER}/a.txt`],
    ['a published copy', `public/${ID}/a.txt`],
    ['an avatar', `protected/${ID}/avatar`],
    ['a climb out', `private/${ID}/../${OTHER}/a.txt`],
    ['an upload in flight', `incoming/${ID}/0b7c1e9a-2d3f-4a5b-8c6d-7e8f9a0b1c2d`],
  ])('refuses the whole call when one key is %s', async (_, foreign) => {
    await expect(zipDownloadLinks(owner, [`private/${ID}/a.txt`, foreign])).rejects.toMatchObject({ code: 'forbidden' });
  });
});
