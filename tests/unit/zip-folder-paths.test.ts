import { describe, expect, it } from 'vitest';
import { folderZipPath } from '@/lib/files/zip-names';

const ID = 'eu-west-1:0f6e8a52-6c1d-4c43-9c1e-2b0d4f0b7a11';
const OTHER = 'eu-west-1:11111111-2222-3333-4444-555555555555';
const own = (rest: string) => `private/${ID}/${rest}`;

describe('folderZipPath: a key under a folder → its path in the folder zip', () => {
  it.each([
    [['Trip'], own('Trip/a.jpg'), 'Trip/a.jpg'],
    [['Trip'], own('Trip/Day 1/a.jpg'), 'Trip/Day 1/a.jpg'],
    [['Photos', 'Trip'], own('Photos/Trip/Day 1/Raw/b.cr2'), 'Trip/Day 1/Raw/b.cr2'],
    [['Trip'], own('Trip/café ü.txt'), 'Trip/café ü.txt'],
  ])('%j + %s → %s', (folder, key, path) => {
    expect(folderZipPath(ID, folder, key)).toBe(path);
  });

  it.each([
    ['a folder marker', ['Trip'], own('Trip/Day 1/')],
    ["the folder's own marker", ['Trip'], own('Trip/')],
    ['a file beside the folder', ['Trip'], own('Trips/a.jpg')],
    ['a file above the folder', ['Photos', 'Trip'], own('Photos/a.jpg')],
    ['a sibling with the same start', ['Trip'], own('Trip 2/a.jpg')],
    ["another person's key", ['Trip'], `private/${OTHER}/Trip/a.jpg`],
    ['a hidden folder inside', ['Trip'], own('Trip/.trash/a.jpg')],
    ['traversal', ['Trip'], own('Trip/../a.jpg')],
    ['an empty segment', ['Trip'], own('Trip//a.jpg')],
    ['a control character in the name', ['Trip'], own('Trip/a\u0007.jpg')],
  ])('%s → null', (_what, folder, key) => {
    expect(folderZipPath(ID, folder, key)).toBeNull();
  });

  it('the top level is not a folder to zip', () => {
    expect(folderZipPath(ID, [], own('a.jpg'))).toBeNull();
  });
});
