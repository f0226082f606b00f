import { describe, expect, it } from 'vitest';
import { MAX_NAME_BYTES, utf8Bytes } from '@/lib/files/limits';
import { ZipLinksSchema } from '@/lib/files/schemas';
import { ZIP_LINKS_PER_CALL, zipFileName } from '@/lib/files/zip';
import { zipEntryNames } from '@/lib/files/zip-names';

/** What no entry may ever be: a way out of the folder it is extracted into, or something a file system chokes on. */
function expectSafeEntry(entry: string): void {
  expect(entry.length).toBeGreaterThan(0);
  expect(entry).not.toMatch(/^\//);
  expect(entry).not.toMatch(/\\/);
  expect(entry).not.toMatch(/\p{Cc}/u);
  expect(entry).not.toMatch(/\/$/);
  for (const segment of entry.split('/')) {
    expect(segment).not.toBe('');
    expect(segment).not.toBe('.');
    expect(segment).not.toBe('..');
    expect(utf8Bytes(segment)).toBeLessThanOrEqual(MAX_NAME_BYTES);
  }
}

describe('zipEntryNames: one name at a time (zip-slip table)', () => {
  const table: [input: string, entry: string][] = [
    ['report.pdf', 'report.pdf'],
    ['Photos/2026/beach.jpg', 'Photos/2026/beach.jpg'],
    ['../../etc/passwd', 'etc/passwd'],
    ['..', 'untitled'],
    ['.', 'untitled'],
    ['', 'untitled'],
    ['/', 'untitled'],
    ['/etc/passwd', 'etc/passwd'],
    ['//server/share/x.txt', 'server/share/x.txt'],
    ['a/../../b.txt', 'a/b.txt'],
    ['a/./b.txt', 'a/b.txt'],
    ['..\\..\\windows\\system.ini', '_.._windows_system.ini'],
    ['C:\\Users\\me\\x.txt', 'C:_Users_me_x.txt'],
    ['evil\u0000.txt', 'evil.txt'],
    ['line\nbreak.txt', 'linebreak.txt'],
    ['bell\u0007\u001b[31m.txt', 'bell[31m.txt'],
    ['\u202Egnp.exe', 'gnp.exe'],
    ['.hidden', 'hidden'],
    ['  spaced  .txt', 'spaced.txt'],
    ['folder/', 'folder'],
    ['a\u2215b.txt', 'a_b.txt'],
    ['café.txt', 'café.txt'],
  ];
  it.each(table)('%j → %j', (input, entry) => {
    const [made] = zipEntryNames([input]);
    expect(made).toBe(entry);
    expectSafeEntry(made ?? '');
  });

  it('cuts a forged over-long segment to the name limit instead of failing', () => {
    const [made] = zipEntryNames([`${'é'.repeat(300)}.txt`]);
    expectSafeEntry(made ?? '');
  });
});

describe('zipEntryNames: duplicates get the next free name', () => {
  const table: [inputs: string[], entries: string[]][] = [
    [
      ['a.txt', 'a.txt', 'a.txt'],
      ['a.txt', 'a (1).txt', 'a (2).txt'],
    ],
    [
      ['A.txt', 'a.TXT'],
      ['A.txt', 'a (1).TXT'],
    ],
    [
      ['a (1).txt', 'a.txt', 'a.txt'],
      ['a (1).txt', 'a.txt', 'a (2).txt'],
    ],
    [
      ['../x.txt', 'x.txt', '/x.txt'],
      ['x.txt', 'x (1).txt', 'x (2).txt'],
    ],
    [
      ['Photos/a.jpg', 'Photos', 'photos/a.jpg'],
      ['Photos/a.jpg', 'Photos (1)', 'photos/a (1).jpg'],
    ],
    [
      ['..', '.', ''],
      ['untitled', 'untitled (1)', 'untitled (2)'],
    ],
  ];
  it.each(table)('%j → %j', (inputs, entries) => {
    const made = zipEntryNames(inputs);
    expect(made).toEqual(entries);
    for (const entry of made) expectSafeEntry(entry);
    expect(new Set(made.map((entry) => entry.toLowerCase())).size).toBe(made.length);
  });
});

describe('the zip action input and file name', () => {
  it('takes 1 to ZIP_LINKS_PER_CALL keys, no more', () => {
    const keys = (n: number) => Array.from({ length: n }, (_, index) => `private/x/${index}.txt`);
    expect(ZipLinksSchema.safeParse({ keys: [] }).success).toBe(false);
    expect(ZipLinksSchema.safeParse({ keys: keys(ZIP_LINKS_PER_CALL) }).success).toBe(true);
    expect(ZipLinksSchema.safeParse({ keys: keys(ZIP_LINKS_PER_CALL + 1) }).success).toBe(false);
  });

  it('names the zip after the local date', () => {
    expect(zipFileName(new Date(2026, 0, 5, 23, 59))).toBe('Cubby files 2026-01-05.zip');
  });
});
