import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { MAX_FOLDER_DEPTH } from '@/lib/files/limits';
import { type MoveDestination, type MoveSource, movedKey, nextFreeFolderName, planMove } from '@/lib/files/move-plan';

const ID = 'us-east-1:11111111-2222-3333-4444-555555555555';
const OTHER = 'us-east-1:99999999-2222-3333-4444-555555555555';
const P = `private/${ID}/`;

function into(path: string[], takenFiles: string[] = [], takenFolders: string[] = []): MoveDestination {
  return { path, takenFiles: new Set(takenFiles), takenFolders: new Set(takenFolders) };
}

function file(key: string): MoveSource {
  return { kind: 'file', key: `${P}${key}` };
}

function folder(path: string[], keys: string[]): MoveSource {
  return { kind: 'folder', path, keys: keys.map((key) => `${P}${key}`) };
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('planMove: files', () => {
  it.each([
    ['top level into a folder', 'a.txt', ['Docs'], [], 'Docs/a.txt'],
    ['folder to the top level', 'Docs/a.txt', [], [], 'a.txt'],
    ['between nested folders', 'A/B/a.txt', ['C', 'D'], [], 'C/D/a.txt'],
    ['onto a taken name: the next free one', 'a.txt', ['Docs'], ['a.txt'], 'Docs/a (1).txt'],
    ['onto two taken names', 'a.txt', ['Docs'], ['a.txt', 'a (1).txt'], 'Docs/a (2).txt'],
  ])('%s', (_label, from, destination, taken, to) => {
    const plan = planMove(ID, [file(from)], into(destination, taken));
    expect(plan).toEqual({ files: [{ from: `${P}${from}`, to: `${P}${to}` }], folders: [], total: 1 });
  });

  it('two files of the same name from different folders never land on one key', () => {
    const plan = planMove(ID, [file('A/x.txt'), file('B/x.txt')], into(['C']));
    expect(plan.files.map((move) => move.to)).toEqual([`${P}C/x.txt`, `${P}C/x (1).txt`]);
  });

  it('a file already in the destination is left out (nothing to do)', () => {
    expect(planMove(ID, [file('Docs/a.txt')], into(['Docs'], ['a.txt'])).files).toEqual([]);
  });

  it('rename in place; a taken name is refused with the next free one as suggestion', () => {
    expect(planMove(ID, [file('Docs/a.txt')], into(['Docs'], ['a.txt']), { rename: 'b.txt' }).files).toEqual([
      { from: `${P}Docs/a.txt`, to: `${P}Docs/b.txt` },
    ]);
    try {
      planMove(ID, [file('Docs/a.txt')], into(['Docs'], ['a.txt', 'b.txt']), { rename: 'b.txt' });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'name_taken', details: { suggestion: 'b (1).txt' } });
    }
  });

  it.each([
    ['another person’s key', [{ kind: 'file', key: `private/${OTHER}/a.txt` }] as MoveSource[], into([]), 'forbidden'],
    ['a traversal key', [{ kind: 'file', key: `${P}../x/a.txt` }] as MoveSource[], into([]), 'forbidden'],
    ['a folder marker as a file', [{ kind: 'file', key: `${P}Docs/` }] as MoveSource[], into([]), 'forbidden'],
    ['nothing', [], into([]), 'invalid_input'],
    ['the same file twice', [file('a.txt'), file('a.txt')], into(['D']), 'invalid_input'],
    ['into a `..` folder', [file('a.txt')], into(['..']), 'invalid_input'],
    ['into an empty segment', [file('a.txt')], into(['a', '']), 'invalid_input'],
    ['into a hidden folder', [file('a.txt')], into(['.trash']), 'invalid_input'],
    [
      'into a folder too deep',
      [file('a.txt')],
      into(Array.from({ length: MAX_FOLDER_DEPTH + 1 }, (_, i) => `d${i}`)),
      'folder_too_deep',
    ],
  ])('refuses %s', (_label, sources, destination, code) => {
    expect(codeOf(() => planMove(ID, sources, destination))).toBe(code);
  });

  it('a rename takes exactly one source', () => {
    expect(codeOf(() => planMove(ID, [file('a.txt'), file('b.txt')], into([]), { rename: 'c.txt' }))).toBe('invalid_input');
  });
});

describe('planMove: folders', () => {
  const photos = folder(['Photos'], ['Photos/', 'Photos/a.jpg', 'Photos/2026/', 'Photos/2026/b.jpg']);

  it('moves the folder under the destination, keeping every relative path', () => {
    const plan = planMove(ID, [photos], into(['Archive']));
    expect(plan.folders).toEqual([{ from: ['Photos'], to: ['Archive', 'Photos'] }]);
    expect(plan.total).toBe(4); // three keys under it and the folder itself
    expect(movedKey(ID, `${P}Photos/2026/b.jpg`, ['Photos'], ['Archive', 'Photos'])).toBe(`${P}Archive/Photos/2026/b.jpg`);
    expect(movedKey(ID, `${P}Photos/2026/`, ['Photos'], ['Archive', 'Photos'])).toBe(`${P}Archive/Photos/2026/`);
  });

  it('a taken folder name at the destination: the next free one (never merged, never replaced)', () => {
    expect(planMove(ID, [photos], into(['Archive'], [], ['Photos'])).folders[0]?.to).toEqual(['Archive', 'Photos (1)']);
    expect(planMove(ID, [photos], into(['Archive'], [], ['Photos', 'Photos (1)'])).folders[0]?.to).toEqual([
      'Archive',
      'Photos (2)',
    ]);
  });

  it('a file of the same name does not take a folder’s name', () => {
    expect(planMove(ID, [photos], into(['Archive'], ['Photos'])).folders[0]?.to).toEqual(['Archive', 'Photos']);
  });

  it('folder rename = a move to a new name in the same parent', () => {
    const trip = folder(['Photos', 'Trip'], ['Photos/Trip/x.jpg']);
    const plan = planMove(ID, [trip], into(['Photos'], [], ['Trip']), { rename: 'Trip 2026' });
    expect(plan.folders).toEqual([{ from: ['Photos', 'Trip'], to: ['Photos', 'Trip 2026'] }]);
    try {
      planMove(ID, [trip], into(['Photos'], [], ['Trip', 'Old']), { rename: 'Old' });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'folder_taken', details: { suggestion: 'Old (1)' } });
    }
  });

  it.each([
    ['into itself', [photos], into(['Photos'])],
    ['into its own subfolder', [photos], into(['Photos', '2026'])],
    ['into a deeper subfolder', [photos], into(['Photos', '2026', 'x'])],
  ])('refuses a move %s', (_label, sources, destination) => {
    expect(codeOf(() => planMove(ID, sources, destination))).toBe('move_into_itself');
  });

  it('a sibling whose name starts the same is not a subfolder', () => {
    expect(planMove(ID, [photos], into(['Photos 2'])).folders[0]?.to).toEqual(['Photos 2', 'Photos']);
  });

  it('a folder already in the destination is left out; the top level cannot be moved', () => {
    expect(planMove(ID, [photos], into([], [], ['Photos'])).folders).toEqual([]);
    expect(codeOf(() => planMove(ID, [folder([], [])], into(['X'])))).toBe('invalid_input');
  });

  it('refuses a move that would nest something past the depth limit, before anything moves', () => {
    const deep = Array.from({ length: MAX_FOLDER_DEPTH - 1 }, (_, i) => `d${i}`);
    const source = folder(['A'], ['A/', 'A/B/', 'A/B/c.txt']);
    // A at depth 10 is allowed, A/B (depth 11) is not.
    expect(codeOf(() => planMove(ID, [source], into(deep)))).toBe('folder_too_deep');
    expect(planMove(ID, [folder(['A'], ['A/c.txt'])], into(deep)).folders[0]?.to).toHaveLength(MAX_FOLDER_DEPTH);
  });

  it('refuses a folder listing holding a key that is not the person’s', () => {
    const forged: MoveSource = { kind: 'folder', path: ['A'], keys: [`private/${OTHER}/A/x.txt`] };
    expect(codeOf(() => planMove(ID, [forged], into(['B'])))).toBe('forbidden');
  });

  it('a file inside a moved folder goes with its folder, not on its own', () => {
    const plan = planMove(ID, [photos, file('Photos/a.jpg')], into(['Archive']));
    expect(plan.files).toEqual([]);
    expect(plan.folders).toHaveLength(1);
  });

  it('two folders of the same name from different parents get distinct names', () => {
    const plan = planMove(ID, [folder(['A', 'X'], []), folder(['B', 'X'], [])], into(['C']));
    expect(plan.folders.map((move) => move.to)).toEqual([
      ['C', 'X'],
      ['C', 'X (1)'],
    ]);
  });
});

describe('movedKey', () => {
  it('refuses a key outside the moved folder (also a sibling sharing the name’s start)', () => {
    expect(codeOf(() => movedKey(ID, `${P}Photos 2/a.jpg`, ['Photos'], ['X']))).toBe('forbidden');
    expect(codeOf(() => movedKey(ID, `${P}Photos/`, ['Photos'], ['X']))).toBe('forbidden');
  });
});

describe('nextFreeFolderName', () => {
  it('keeps dots (folders have no extension) and stays within the name limit', () => {
    expect(nextFreeFolderName('v1.2', (name) => name === 'v1.2')).toBe('v1.2 (1)');
    const long = 'é'.repeat(127);
    const free = nextFreeFolderName(long, (name) => name === long);
    expect(new TextEncoder().encode(free).length).toBeLessThanOrEqual(255);
    expect(free.endsWith(' (1)')).toBe(true);
  });
});
