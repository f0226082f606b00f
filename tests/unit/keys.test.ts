import { describe, expect, it } from 'vitest';
import {
  avatarKey,
  fileNameOf,
  GALLERY_PREFIX,
  incomingKey,
  incomingPrefix,
  isOwnIncomingKey,
  isOwnKey,
  MAX_KEY_BYTES,
  nextFreeName,
  nextFreeNameAfter,
  ownFileKey,
  ownPrefix,
  publicKey,
  publicPrefix,
  publisherOf,
  safeFileName,
  UNTITLED,
  withCollisionSuffix,
} from '@/lib/aws/keys';
import { AppError } from '@/lib/errors';
import { fitsNameLimit, MAX_NAME_BYTES, nameTooLongMessage } from '@/lib/files/limits';

const ID = 'us-east-1:1666ff8c-8ddf-42c8-9109-07e2dfd3848c';
const OTHER = 'us-east-1:0b7c1e9a-2d3f-4a5b-8c6d-7e8f9a0b1c2d';
const bytes = (text: string) => new TextEncoder().encode(text).length;
const isValidUtf8 = (text: string) =>
  new TextDecoder('utf-8', { fatal: true }).decode(new TextEncoder().encode(text)) === text && text.isWellFormed();

const graphemesOf = (text: string) =>
  Array.from(new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text), ({ segment }) => segment);

/** Every safe name obeys these, whatever went in. */
function expectSafe(name: string): void {
  expect(name.length).toBeGreaterThan(0);
  expect(name).not.toMatch(/[/\\\p{Cc}\u202A-\u202E\u2066-\u2069\u200B\u200E\u200F\uFEFF]/u);
  expect(name).not.toMatch(/^[.\s]/u);
  expect(name).not.toMatch(/\s$/u);
  expect(bytes(name)).toBeLessThanOrEqual(MAX_NAME_BYTES);
  expect(isValidUtf8(name)).toBe(true);
  expect(safeFileName(name)).toBe(name);
}

describe('safeFileName: hostile names', () => {
  const table: [string, string, string][] = [
    ['traversal', '../../etc/passwd', '_.._etc_passwd'],
    ['dot-dot', '..', UNTITLED],
    ['dot', '.', UNTITLED],
    ['leading slash', '/etc/passwd', '_etc_passwd'],
    ['UNC path', '\\\\server\\x', '__server_x'],
    ['Windows path', 'C:\\Windows\\x', 'C:_Windows_x'],
    ['full-width and division slashes', 'a\uFF0Fb\u2215c\uFF3Cd', 'a_b_c_d'],
    ['hidden file', '.bashrc', 'bashrc'],
    ['leading dots and spaces', ' . .. x.txt', 'x.txt'],
    ['NUL byte', 'evil.txt\u0000.jpg', 'evil.txt.jpg'],
    ['CR/LF and tabs', 'a\r\nb\tc.txt', 'abc.txt'],
    ['DEL and C1', 'a\u007Fb\u0085c\u009F.txt', 'abc.txt'],
    ['RTL override', 'evil\u202Etxt.exe', 'eviltxt.exe'],
    ['bidi isolates and embeddings', '\u2066a\u2069\u202Ab\u202C.txt', 'ab.txt'],
    ['zero-width characters', 'in\u200Bvoi\u200Cce\u200D\uFEFF\u2060.pdf', 'invoice.pdf'],
    ['LRM/RLM/ALM and soft hyphen', 'a\u200Eb\u200Fc\u061Cd\u00ADe.txt', 'abcde.txt'],
    ['line separators and space runs', 'a\u2028b\u2029c   d .txt', 'a b c d.txt'],
    ['trailing spaces', 'report.pdf   ', 'report.pdf'],
    ['empty', '', UNTITLED],
    ['whitespace only', ' \t\n\u3000 ', UNTITLED],
    ['invisible only', '\u200B\u202E\u2066', UNTITLED],
    ['lone surrogate', 'a\uD800b.txt', 'a\uFFFDb.txt'],
    ['emoji kept', '🎉 party 👩‍💻.png', '🎉 party 👩‍💻.png'],
    ['family emoji keeps its joiners', '👨‍👩‍👧.txt', '👨‍👩‍👧.txt'],
    ['plain name untouched', 'Quarterly report (final).xlsx', 'Quarterly report (final).xlsx'],
  ];
  it.each(table)('%s', (_label, input, expected) => {
    const safe = safeFileName(input);
    expect(safe).toBe(expected);
    expectSafe(safe);
  });

  it('normalises to NFC (a decomposed é becomes one code point)', () => {
    const decomposed = 'Cafe\u0301.txt';
    expect(safeFileName(decomposed)).toBe('Caf\u00E9.txt');
    expect(safeFileName(decomposed)).toBe(safeFileName('Café.txt'));
  });
});

/** Runs `work` and returns the AppError code it throws (or 'no error'). */
function thrownCode(work: () => unknown): string {
  try {
    work();
    return 'no error';
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
}

describe('long names: one limit, refused, never shortened', () => {
  const units: [string, string][] = [
    ['ASCII', 'a'],
    ['two-byte é', 'é'],
    ['three-byte 日本', '日本'],
    ['four-byte emoji', '😀'],
    ['emoji ZWJ sequence', '👩‍💻'],
  ];

  it.each(units)('a %s name of exactly the limit is kept whole; one byte more is refused', (_label, unit) => {
    const fill = (bytesWanted: number) => {
      let name = unit.repeat(Math.floor(bytesWanted / bytes(unit)));
      while (bytes(name) < bytesWanted) name += 'x';
      return name;
    };
    const atLimit = fill(MAX_NAME_BYTES);
    expect(bytes(atLimit)).toBe(MAX_NAME_BYTES);
    expect(fitsNameLimit(atLimit)).toBe(true);
    expect(safeFileName(atLimit)).toBe(atLimit);
    expect(fileNameOf(ownFileKey(ID, atLimit))).toBe(atLimit);
    const over = `${atLimit}x`;
    expect(fitsNameLimit(over)).toBe(false);
    expect(thrownCode(() => safeFileName(over))).toBe('name_too_long');
    expect(thrownCode(() => ownFileKey(ID, over))).toBe('name_too_long');
    expect(thrownCode(() => publicKey(ID, over))).toBe('name_too_long');
  });

  it('refuses the 999- and 1,001-character names alike (no silent shortening)', () => {
    for (const length of [999, 1001]) {
      const name = `${'n'.repeat(length - 4)}.txt`;
      expect(thrownCode(() => ownFileKey(ID, name))).toBe('name_too_long');
      expect(nameTooLongMessage(name)).toBe(
        `Names can be at most ${MAX_NAME_BYTES} bytes (yours is ${length.toLocaleString('en')}). Shorten it and try again.`,
      );
    }
  });

  it('measures the name as typed, after trimming the white space around it', () => {
    const name = `  ${'a'.repeat(MAX_NAME_BYTES)}\n `;
    expect(fitsNameLimit(name)).toBe(true);
    expect(safeFileName(name)).toBe('a'.repeat(MAX_NAME_BYTES));
  });

  it('refuses a name that NFC makes longer than the limit rather than cutting it', () => {
    // U+0958 is a composition exclusion: NFC turns its 3 bytes into 6 (U+0915 U+093C).
    const name = '\u0958'.repeat(85);
    expect(bytes(name)).toBe(MAX_NAME_BYTES);
    expect(bytes(name.normalize('NFC'))).toBeGreaterThan(MAX_NAME_BYTES);
    expect(thrownCode(() => safeFileName(name))).toBe('name_too_long');
  });

  it("keeps every key within S3's 1,024 bytes, even with the longest name under a long region", () => {
    const longRegion = 'ap-southeast-northwest-9:1666ff8c-8ddf-42c8-9109-07e2dfd3848c';
    const name = `${'😀'.repeat(62)}.pdf`;
    expect(bytes(name)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    for (const key of [ownFileKey(longRegion, name), publicKey(longRegion, name), ownFileKey(ID, name)]) {
      expect(bytes(key)).toBeLessThanOrEqual(MAX_KEY_BYTES);
      expect(fileNameOf(key)).toBe(name);
      expect(isValidUtf8(key)).toBe(true);
    }
    expect(bytes(`private/${longRegion}/`) + MAX_NAME_BYTES).toBeLessThan(MAX_KEY_BYTES);
    expect(isOwnKey(longRegion, ownFileKey(longRegion, name))).toBe(true);
  });

  const cutCases: [string, string][] = [...units, ['e + combining accent', 'e\u0301\u0302']];
  it.each(cutCases)(
    'a collision suffix on a %s name at the limit cuts between graphemes, keeping the extension',
    (_label, unit) => {
      const grapheme = unit.normalize('NFC');
      let base = '';
      while (bytes(`${base}${grapheme}.pdf`) <= MAX_NAME_BYTES) base += grapheme;
      const name = safeFileName(`${base}.pdf`);
      const suffixed = withCollisionSuffix(name, 12);
      expectSafe(suffixed);
      expect(suffixed.endsWith(' (12).pdf')).toBe(true);
      const cut = suffixed.slice(0, -' (12).pdf'.length);
      const allowed = new Set(graphemesOf(unit.normalize('NFC')));
      expect(graphemesOf(cut).every((grapheme) => allowed.has(grapheme))).toBe(true);
      expect(bytes(suffixed)).toBeGreaterThan(MAX_NAME_BYTES - bytes(unit.normalize('NFC')) - 1);
    },
  );
});

describe('collisions', () => {
  it('adds " (n)" before the extension', () => {
    expect(withCollisionSuffix('a.txt', 1)).toBe('a (1).txt');
    expect(withCollisionSuffix('archive.tar.gz', 2)).toBe('archive.tar (2).gz');
    expect(withCollisionSuffix('README', 3)).toBe('README (3)');
  });

  it('picks the first free name', () => {
    const taken = new Set(['a.txt', 'a (1).txt']);
    expect(nextFreeName('a.txt', (name) => taken.has(name))).toBe('a (2).txt');
    expect(nextFreeName('b.txt', (name) => taken.has(name))).toBe('b.txt');
  });

  it('produces a (1), a (2)... as files keep arriving with the same name', () => {
    const taken = new Set<string>();
    const names = Array.from({ length: 4 }, () => {
      const name = nextFreeName('a.txt', (candidate) => taken.has(candidate));
      taken.add(name);
      return name;
    });
    expect(names).toEqual(['a.txt', 'a (1).txt', 'a (2).txt', 'a (3).txt']);
  });

  it('compares the sanitised name, so a hostile twin collides with the clean one', () => {
    const taken = new Set(['eviltxt.exe']);
    expect(nextFreeName('evil\u202Etxt.exe', (name) => taken.has(name))).toBe('eviltxt (1).exe');
  });

  it('asks an asynchronous check (S3) for the next free name after a taken one, in order', async () => {
    const taken = new Set(['a.txt', 'a (1).txt', 'a (2).txt', 'a (3).txt', 'a (5).txt']);
    const asked: string[] = [];
    const isTaken = async (name: string) => {
      asked.push(name);
      return taken.has(name);
    };
    expect(await nextFreeNameAfter('a.txt', isTaken, { batch: 2 })).toBe('a (4).txt');
    expect(asked).toEqual(['a (1).txt', 'a (2).txt', 'a (3).txt', 'a (4).txt']);
    expect(await nextFreeNameAfter('b.txt', async () => false)).toBe('b (1).txt');
    await expect(nextFreeNameAfter('c.txt', async () => true, { maxCandidates: 10 })).rejects.toThrow(RangeError);
  });

  it('still finds a distinct name when the name is already at the byte limit', () => {
    const long = `${'é'.repeat(125)}.txt`;
    expect(bytes(long)).toBe(MAX_NAME_BYTES - 1);
    const first = nextFreeName(long, () => false);
    const second = nextFreeName(long, (name) => name === first);
    expect(second).not.toBe(first);
    expect(second.endsWith(' (1).txt')).toBe(true);
    expectSafe(second);
    expect(ownFileKey(ID, second)).toBe(`private/${ID}/${second}`);
  });
});

describe('key builders', () => {
  it('builds the three kinds of keys', () => {
    expect(ownFileKey(ID, 'photo.jpg')).toBe(`private/${ID}/photo.jpg`);
    expect(publicKey(ID, '../x.png')).toBe(`public/${ID}/_x.png`);
    expect(avatarKey(ID)).toBe(`protected/${ID}/avatar`);
  });

  it('never lets a name leave the folder', () => {
    for (const name of ['../../etc/passwd', '..', '/', '\\..\\x', `../${OTHER}/x`]) {
      const key = ownFileKey(ID, name);
      expect(isOwnKey(ID, key)).toBe(true);
      expect(key.split('/')).toHaveLength(3);
    }
  });

  it('refuses identity ids that are not identity ids', () => {
    for (const id of ['', '..', `${ID}/x`, 'us-east-1:../../x', '*']) {
      expect(() => ownFileKey(id, 'a.txt')).toThrow(TypeError);
      expect(() => avatarKey(id)).toThrow(TypeError);
    }
  });

  it('reads the file name back from a key', () => {
    expect(fileNameOf(ownFileKey(ID, 'a (1).txt'))).toBe('a (1).txt');
    expect(fileNameOf('x')).toBe('x');
  });
});

describe('isOwnKey: attack table', () => {
  const table: [string, unknown, boolean][] = [
    ['own file', `private/${ID}/a.txt`, true],
    ['own file with unicode', `private/${ID}/日本 😀.txt`, true],
    ["another person's file", `private/${OTHER}/a.txt`, false],
    ['prefix trick (id followed by more)', `private/${ID}x/a.txt`, false],
    ['traversal out of the folder', `private/${ID}/../${OTHER}/a.txt`, false],
    ['dot-dot name', `private/${ID}/..`, false],
    ['dot name', `private/${ID}/.`, false],
    ['nested path (a file in folder a; tests/unit/keys-folders.test.ts has the folder table)', `private/${ID}/a/b`, true],
    ['nested under a hidden folder', `private/${ID}/.a/b`, false],
    ['the folder itself', `private/${ID}/`, false],
    ['the folder without slash', `private/${ID}`, false],
    ['backslash', `private/${ID}/a\\b`, false],
    ['control character', `private/${ID}/a\u0000b`, false],
    ['newline', `private/${ID}/a\nb`, false],
    ['public copy', `public/${ID}/a.txt`, false],
    ['avatar', `protected/${ID}/avatar`, false],
    ['leading slash', `/private/${ID}/a.txt`, false],
    ['double slash', `private/${ID}//a.txt`, false],
    ['case changed', `Private/${ID}/a.txt`, false],
    ['encoded colon', `private/${ID.replace(':', '%3A')}/a.txt`, false],
    ['too long', `private/${ID}/${'a'.repeat(MAX_KEY_BYTES)}`, false],
    ['lone surrogate', `private/${ID}/a\uD800`, false],
    ['not a string', 42, false],
    ['undefined', undefined, false],
  ];
  it.each(table)('%s', (_label, key, expected) => {
    expect(isOwnKey(ID, key)).toBe(expected);
  });

  it('is false for any key when the identity id is malformed', () => {
    expect(isOwnKey('', 'private//a.txt')).toBe(false);
    expect(isOwnKey('*', 'private/*/a.txt')).toBe(false);
  });
});

describe('prefixes', () => {
  it('gives each folder of the layout', () => {
    expect(ownPrefix(ID)).toBe(`private/${ID}/`);
    expect(publicPrefix(ID)).toBe(`public/${ID}/`);
    expect(incomingPrefix(ID)).toBe(`incoming/${ID}/`);
    expect(GALLERY_PREFIX).toBe('public/');
  });

  it('keeps every publisher folder under the gallery prefix', () => {
    expect(publicPrefix(ID).startsWith(GALLERY_PREFIX)).toBe(true);
    expect(publicKey(ID, 'a.txt').startsWith(GALLERY_PREFIX)).toBe(true);
  });

  it('refuses identity ids that are not identity ids', () => {
    for (const id of ['', '..', `${ID}/x`, '*']) {
      expect(() => ownPrefix(id)).toThrow(TypeError);
      expect(() => publicPrefix(id)).toThrow(TypeError);
      expect(() => incomingPrefix(id)).toThrow(TypeError);
    }
  });
});

describe('incoming keys', () => {
  const UUID = '0b0e4f5a-6c7d-4e8f-9a0b-1c2d3e4f5a6b';

  it('builds incoming/{identityId}/{uuid} and recognises only that', () => {
    expect(incomingKey(ID, UUID)).toBe(`incoming/${ID}/${UUID}`);
    expect(isOwnIncomingKey(ID, incomingKey(ID, UUID))).toBe(true);
  });

  it('refuses an upload id that is not a uuid', () => {
    for (const uuid of ['', '../x', `${UUID}/x`, UUID.toUpperCase(), 'a.txt']) {
      expect(() => incomingKey(ID, uuid)).toThrow(TypeError);
    }
  });

  const table: [string, unknown, boolean][] = [
    ["another person's upload", `incoming/${OTHER}/${UUID}`, false],
    ['a file name instead of a uuid', `incoming/${ID}/a.txt`, false],
    ['nested', `incoming/${ID}/${UUID}/x`, false],
    ['the folder itself', `incoming/${ID}/`, false],
    ['own file', `private/${ID}/${UUID}`, false],
    ['leading slash', `/incoming/${ID}/${UUID}`, false],
    ['not a string', 42, false],
  ];
  it.each(table)('isOwnIncomingKey: %s', (_label, key, expected) => {
    expect(isOwnIncomingKey(ID, key)).toBe(expected);
  });

  it('is false for any key when the identity id is malformed', () => {
    expect(isOwnIncomingKey('*', `incoming/*/${UUID}`)).toBe(false);
  });
});

describe('publisherOf: attack table', () => {
  const table: [string, string, string | null][] = [
    ['a published file', `public/${ID}/a.txt`, ID],
    ['as publicKey builds it', publicKey(ID, '../x.png'), ID],
    ['nested under the folder', `public/${ID}/a/b.txt`, null],
    ['the folder itself', `public/${ID}/`, null],
    ['no folder', 'public/a.txt', null],
    ['a malformed identity id', 'public/*/a.txt', null],
    ['traversal', `public/../private/${ID}/a.txt`, null],
    ['a private file', `private/${ID}/a.txt`, null],
    ['an avatar', `protected/${ID}/avatar`, null],
    ['leading slash', `/public/${ID}/a.txt`, null],
    ['case changed', `Public/${ID}/a.txt`, null],
  ];
  it.each(table)('%s', (_label, key, expected) => {
    expect(publisherOf(key)).toBe(expected);
  });
});
