import { describe, expect, it } from 'vitest';
import { compareUtf8, type ListRequest, listPage, SortedKeys } from '../../emulator/s3/list.ts';

const request = (overrides: Partial<ListRequest> = {}): ListRequest => ({
  prefix: '',
  delimiter: '',
  maxKeys: 1000,
  startAfter: '',
  ...overrides,
});

/** Follows continuation tokens to the end, returning every page. */
function allPages(index: SortedKeys, base: Partial<ListRequest>) {
  const pages = [];
  let token: string | undefined;
  do {
    const page = listPage(index, request({ ...base, continuationToken: token }));
    pages.push(page);
    token = page.nextContinuationToken;
  } while (token);
  return pages;
}

describe('compareUtf8', () => {
  it('orders by UTF-8 bytes, not UTF-16 units', () => {
    // U+FF61 (EF BD A1) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16.
    const keys = ['\u{1F600}', '\uFF61', 'a', 'B', 'é'];
    expect([...keys].sort(compareUtf8)).toEqual(['B', 'a', 'é', '\uFF61', '\u{1F600}']);
    const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...keys].sort(compareUtf8)).toEqual(byBytes);
  });

  it('puts a prefix before its extensions', () => {
    expect(compareUtf8('a/', 'a/b')).toBeLessThan(0);
    expect(compareUtf8('a', 'a')).toBe(0);
  });
});

describe('SortedKeys', () => {
  it('inserts and removes keeping order, without duplicates', () => {
    const index = new SortedKeys(['c', 'a']);
    index.insert('b');
    index.insert('b');
    index.remove('zz');
    expect([0, 1, 2].map((i) => index.at(i))).toEqual(['a', 'b', 'c']);
    index.remove('a');
    expect(index.length).toBe(2);
    expect(index.at(0)).toBe('b');
  });
});

describe('listPage', () => {
  const keys = [
    'private/u1/a.txt',
    'private/u1/albums/1.jpg',
    'private/u1/albums/2.jpg',
    'private/u1/b.txt',
    'private/u2/x.txt',
    'public/readme.md',
  ];
  const index = new SortedKeys(keys);

  it('filters by prefix', () => {
    const page = listPage(index, request({ prefix: 'private/u1/' }));
    expect(page.keys).toEqual(keys.slice(0, 4));
    expect(page.isTruncated).toBe(false);
    expect(page.nextContinuationToken).toBeUndefined();
  });

  it('rolls keys up into common prefixes with a delimiter', () => {
    const page = listPage(index, request({ prefix: 'private/u1/', delimiter: '/' }));
    expect(page.keys).toEqual(['private/u1/a.txt', 'private/u1/b.txt']);
    expect(page.commonPrefixes).toEqual(['private/u1/albums/']);
    const top = listPage(index, request({ delimiter: '/' }));
    expect(top.keys).toEqual([]);
    expect(top.commonPrefixes).toEqual(['private/', 'public/']);
  });

  it('counts common prefixes towards max-keys and resumes after a prefix', () => {
    const pages = allPages(index, { prefix: 'private/u1/', delimiter: '/', maxKeys: 1 });
    expect(pages.map((page) => [...page.keys, ...page.commonPrefixes])).toEqual([
      ['private/u1/a.txt'],
      ['private/u1/albums/'],
      ['private/u1/b.txt'],
    ]);
    expect(pages.map((page) => page.isTruncated)).toEqual([true, true, false]);
  });

  it('starts after start-after', () => {
    expect(listPage(index, request({ startAfter: 'private/u2/x.txt' })).keys).toEqual(['public/readme.md']);
    expect(listPage(index, request({ startAfter: 'private/u1/b' })).keys).toEqual([
      'private/u1/b.txt',
      'private/u2/x.txt',
      'public/readme.md',
    ]);
  });

  it('pages ListObjects v1 style: NextMarker (a key or a common prefix) fed back as the marker', () => {
    const pages = [];
    let marker = '';
    for (;;) {
      const page = listPage(index, request({ prefix: 'private/u1/', delimiter: '/', maxKeys: 1, startAfter: marker }));
      pages.push([...page.keys, ...page.commonPrefixes]);
      if (!page.isTruncated) break;
      marker = page.nextMarker ?? '';
    }
    expect(pages).toEqual([['private/u1/a.txt'], ['private/u1/albums/'], ['private/u1/b.txt']]);
    expect(listPage(index, request({ delimiter: '/', startAfter: 'private/' })).commonPrefixes).toEqual(['public/']);
  });

  it('pages through 2,500 keys in 1,000-key pages without loss or repetition', () => {
    const many = Array.from({ length: 2500 }, (_, i) => `public/${String(i).padStart(5, '0')}`);
    const big = new SortedKeys(many.toReversed());
    const pages = allPages(big, { prefix: 'public/' });
    expect(pages.map((page) => page.keys.length)).toEqual([1000, 1000, 500]);
    expect(pages.flatMap((page) => page.keys)).toEqual(many);
  });

  it('returns nothing for max-keys 0 and refuses forged tokens', () => {
    expect(listPage(index, request({ maxKeys: 0 }))).toEqual({ keys: [], commonPrefixes: [], isTruncated: false });
    expect(() => listPage(index, request({ continuationToken: 'not a token!' }))).toThrow(/continuation token/);
    expect(() => listPage(index, request({ continuationToken: Buffer.from('Xabc').toString('base64') }))).toThrow(
      /continuation token/,
    );
  });
});
