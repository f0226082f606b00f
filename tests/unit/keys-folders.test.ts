import { describe, expect, it } from 'vitest';
import {
  folderMarkerKey,
  folderPathOf,
  folderPrefix,
  isFolderPath,
  isFolderSegment,
  isOwnFolderKey,
  isOwnKey,
  MAX_KEY_BYTES,
  ownFileKey,
  ownFileKeyIn,
  parseFolderPath,
  splitOwnKey,
} from '@/lib/aws/keys';
import { AppError } from '@/lib/errors';
import { fitsFolderLimits, MAX_FOLDER_DEPTH, MAX_FOLDER_PATH_BYTES, MAX_NAME_BYTES } from '@/lib/files/limits';

const ID = 'us-east-1:1666ff8c-8ddf-42c8-9109-07e2dfd3848c';
const OTHER = 'us-east-1:0b7c1e9a-2d3f-4a5b-8c6d-7e8f9a0b1c2d';
const LONG_REGION_ID = 'ap-southeast-northwest-9:1666ff8c-8ddf-42c8-9109-07e2dfd3848c';
const bytes = (text: string) => new TextEncoder().encode(text).length;
const deep = (depth: number) => Array.from({ length: depth }, (_, index) => `level ${index}`);

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return error instanceof AppError ? error.code : (error as Error).name;
  }
  return 'no error';
}

describe('isFolderSegment: a folder name is exactly its own safe file name', () => {
  const table: [string, unknown, boolean][] = [
    ['plain', 'Photos', true],
    ['with space and digits', 'Tax 2026', true],
    ['unicode and emoji', 'Fotos 日本 😀', true],
    ['dotted like a file', 'v1.2', true],
    ['at the byte limit', `${'é'.repeat((MAX_NAME_BYTES - 1) / 2)}a`, true],
    ['empty', '', false],
    ['dot', '.', false],
    ['dot-dot', '..', false],
    ['hidden (leading dot)', '.trash', false],
    ['leading space', ' a', false],
    ['trailing space', 'a ', false],
    ['double space', 'a  b', false],
    ['slash', 'a/b', false],
    ['backslash', 'a\\b', false],
    ['fullwidth slash look-alike', 'a／b', false],
    ['NUL', 'a\u0000b', false],
    ['newline', 'a\nb', false],
    ['bidi override', 'a\u202Eb', false],
    ['zero-width space', 'a\u200Bb', false],
    ['not NFC (e + combining acute)', 'e\u0301', false],
    ['lone surrogate', 'a\uD800', false],
    ['too long', 'a'.repeat(MAX_NAME_BYTES + 1), false],
    ['not a string', 7, false],
    ['null', null, false],
  ];
  it.each(table)('%s', (_label, segment, expected) => {
    expect(isFolderSegment(segment)).toBe(expected);
  });
});

describe('isFolderPath and parseFolderPath (URL segments)', () => {
  const table: [string, unknown, string[] | null][] = [
    ['top level', [], []],
    ['one folder', ['Photos'], ['Photos']],
    ['two folders', ['Photos', '2026'], ['Photos', '2026']],
    ['unicode', ['日本', 'été'], ['日本', 'été']],
    [`${MAX_FOLDER_DEPTH} deep`, deep(MAX_FOLDER_DEPTH), deep(MAX_FOLDER_DEPTH)],
    ['too deep', deep(MAX_FOLDER_DEPTH + 1), null],
    ['traversal', ['Photos', '..', 'x'], null],
    ['dot', ['.'], null],
    ['empty segment (double slash)', ['Photos', ''], null],
    ['trailing slash kept in a segment', ['Photos/'], null],
    ['a percent sign is plain text (segments arrive decoded)', ['a%2Fb'], ['a%2Fb']],
    ['segment with slash', ['a/b'], null],
    ['hidden folder', ['.trash', 'x'], null],
    ['untrimmed', [' Photos'], null],
    ['too long in total', Array.from({ length: 3 }, () => 'a'.repeat(MAX_NAME_BYTES)), null],
    ['not an array', 'Photos', null],
    ['array of numbers', [1, 2], null],
  ];
  it.each(table)('%s', (_label, segments, expected) => {
    expect(isFolderPath(segments)).toBe(expected !== null);
    if (Array.isArray(segments) && segments.every((s) => typeof s === 'string')) {
      expect(parseFolderPath(segments)).toEqual(expected);
    }
  });

  it('reads a missing catch-all (the /files route itself) as the top level', () => {
    expect(parseFolderPath(undefined)).toEqual([]);
  });

  it('returns a copy, never the caller array', () => {
    const segments = ['a'];
    expect(parseFolderPath(segments)).not.toBe(segments);
  });

  it('keeps every file of the deepest, longest folder within S3 key limits', () => {
    const longest = Array.from({ length: MAX_FOLDER_DEPTH }, () => 'x'.repeat(MAX_FOLDER_PATH_BYTES / MAX_FOLDER_DEPTH - 1));
    expect(fitsFolderLimits(longest)).toBe(true);
    expect(fitsFolderLimits([...longest.slice(0, -1), `${longest.at(-1)}x`])).toBe(false);
    const key = ownFileKeyIn(LONG_REGION_ID, longest, 'n'.repeat(MAX_NAME_BYTES));
    expect(bytes(key)).toBeLessThanOrEqual(MAX_KEY_BYTES);
    expect(isOwnKey(LONG_REGION_ID, key)).toBe(true);
  });
});

describe('folderPrefix, ownFileKeyIn and folderMarkerKey', () => {
  it('builds prefixes under the person’s own folder', () => {
    expect(folderPrefix(ID, [])).toBe(`private/${ID}/`);
    expect(folderPrefix(ID, ['Photos', '2026'])).toBe(`private/${ID}/Photos/2026/`);
    expect(folderMarkerKey(ID, ['Photos'])).toBe(`private/${ID}/Photos/`);
  });

  it('builds file keys with the safe file name, and [] as ownFileKey does', () => {
    expect(ownFileKeyIn(ID, ['Photos', '2026'], ' ..cat.jpg ')).toBe(`private/${ID}/Photos/2026/cat.jpg`);
    expect(ownFileKeyIn(ID, ['a'], 'x/y\\z')).toBe(`private/${ID}/a/x_y_z`);
    expect(ownFileKeyIn(ID, [], 'a.txt')).toBe(ownFileKey(ID, 'a.txt'));
  });

  const refusals: [string, readonly string[], string][] = [
    ['traversal', ['..'], 'invalid_input'],
    ['a slash inside a segment', ['a/b'], 'invalid_input'],
    ['an empty segment', ['a', ''], 'invalid_input'],
    ['a hidden folder', ['.trash'], 'invalid_input'],
    ['too deep', deep(MAX_FOLDER_DEPTH + 1), 'folder_too_deep'],
    ['too long', Array.from({ length: 3 }, () => 'a'.repeat(MAX_NAME_BYTES)), 'folder_too_deep'],
  ];
  it.each(refusals)('refuses %s', (_label, path, code) => {
    expect(codeOf(() => folderPrefix(ID, path))).toBe(code);
    expect(codeOf(() => ownFileKeyIn(ID, path, 'a.txt'))).toBe(code);
  });

  it('has no marker for the top level, and refuses a malformed identity', () => {
    expect(codeOf(() => folderMarkerKey(ID, []))).toBe('TypeError');
    expect(codeOf(() => folderPrefix('*', ['a']))).toBe('TypeError');
  });

  it('refuses a name that is too long in a folder too', () => {
    expect(codeOf(() => ownFileKeyIn(ID, ['a'], 'n'.repeat(MAX_NAME_BYTES + 1)))).toBe('name_too_long');
  });
});

describe('splitOwnKey and isOwnKey: attack table', () => {
  const table: [string, unknown, { path: string[]; name: string } | null][] = [
    ['top-level file', `private/${ID}/a.txt`, { path: [], name: 'a.txt' }],
    ['file in a folder', `private/${ID}/Photos/a.jpg`, { path: ['Photos'], name: 'a.jpg' }],
    ['file two deep', `private/${ID}/Photos/2026/a.jpg`, { path: ['Photos', '2026'], name: 'a.jpg' }],
    [
      `file ${MAX_FOLDER_DEPTH} deep`,
      `private/${ID}/${deep(MAX_FOLDER_DEPTH).join('/')}/a`,
      { path: deep(MAX_FOLDER_DEPTH), name: 'a' },
    ],
    ['file too deep', `private/${ID}/${deep(MAX_FOLDER_DEPTH + 1).join('/')}/a`, null],
    ['a folder marker', `private/${ID}/Photos/`, null],
    ['the top level', `private/${ID}/`, null],
    ["another person's nested file", `private/${OTHER}/Photos/a.jpg`, null],
    ['traversal in the middle', `private/${ID}/Photos/../../${OTHER}/a.jpg`, null],
    ['dot folder', `private/${ID}/./a.jpg`, null],
    ['empty folder segment', `private/${ID}/Photos//a.jpg`, null],
    ['hidden folder (trash)', `private/${ID}/.trash/a.jpg`, null],
    ['untrimmed folder', `private/${ID}/ Photos/a.jpg`, null],
    ['backslash folder', `private/${ID}/a\\b/c`, null],
    ['control char in a folder', `private/${ID}/a\u0001/c`, null],
    ['control char in the name', `private/${ID}/a/b\u0000`, null],
    ['dot-dot name in a folder', `private/${ID}/a/..`, null],
    ['lone surrogate', `private/${ID}/a\uD800/b`, null],
    ['too long key', `private/${ID}/a/${'b'.repeat(MAX_KEY_BYTES)}`, null],
    ['public copy', `public/${ID}/a/b`, null],
    ['prefix trick', `private/${ID}x/a/b`, null],
    ['not a string', ['private', ID, 'a'], null],
  ];
  it.each(table)('%s', (_label, key, expected) => {
    expect(splitOwnKey(ID, key)).toEqual(expected);
    expect(isOwnKey(ID, key)).toBe(expected !== null);
  });

  it('reads back every key ownFileKeyIn builds', () => {
    for (const path of [[], ['a'], ['Photos', '2026'], deep(MAX_FOLDER_DEPTH)]) {
      expect(splitOwnKey(ID, ownFileKeyIn(ID, path, 'x.txt'))).toEqual({ path, name: 'x.txt' });
    }
  });

  it('is null for every key when the identity id is malformed', () => {
    expect(splitOwnKey('', 'private//a/b')).toBeNull();
    expect(splitOwnKey('*', 'private/*/a/b')).toBeNull();
  });
});

describe('isOwnFolderKey and folderPathOf', () => {
  const table: [string, unknown, string[] | null][] = [
    ['a folder', `private/${ID}/Photos/`, ['Photos']],
    ['nested folder', `private/${ID}/Photos/2026/`, ['Photos', '2026']],
    ['the top level itself', `private/${ID}/`, null],
    ['a file', `private/${ID}/Photos`, null],
    ["another person's folder", `private/${OTHER}/Photos/`, null],
    ['traversal', `private/${ID}/../`, null],
    ['empty segment', `private/${ID}/a//`, null],
    ['hidden folder', `private/${ID}/.trash/`, null],
    ['too deep', `private/${ID}/${deep(MAX_FOLDER_DEPTH + 1).join('/')}/`, null],
    ['not a string', 3, null],
  ];
  it.each(table)('%s', (_label, key, expected) => {
    expect(folderPathOf(ID, key)).toEqual(expected);
    expect(isOwnFolderKey(ID, key)).toBe(expected !== null);
  });

  it('reads back every marker folderMarkerKey builds', () => {
    for (const path of [['a'], ['Photos', '2026'], deep(MAX_FOLDER_DEPTH)]) {
      expect(folderPathOf(ID, folderMarkerKey(ID, path))).toEqual(path);
    }
  });
});
