import { describe, expect, it } from 'vitest';
import { droppedFiles, foldersOf, pickedFiles } from '@/app/(signed-in)/files/_components/folder-tree';

/**
 * Uploading a folder tree keeps its structure: picked files (`webkitRelativePath`) and dropped
 * directories (`webkitGetAsEntry`, read in chunks until empty) become files with their folders,
 * under the folder the person is in, each folder name made a safe key segment.
 */

type FakeEntry = {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?: (resolve: (file: File) => void) => void;
  createReader?: () => { readEntries: (resolve: (entries: FakeEntry[]) => void) => void };
};

function fileEntry(name: string, text = name): FakeEntry {
  return { isFile: true, isDirectory: false, name, file: (resolve) => resolve(new File([text], name)) };
}

/** A directory whose reader answers in chunks of two (as browsers answer in chunks of about 100), then none. */
function directoryEntry(name: string, children: FakeEntry[]): FakeEntry {
  return {
    isFile: false,
    isDirectory: true,
    name,
    createReader: () => {
      let offset = 0;
      return {
        readEntries: (resolve) => {
          resolve(children.slice(offset, offset + 2));
          offset += 2;
        },
      };
    },
  };
}

function transferOf(entries: (FakeEntry | null)[], files: File[] = []): DataTransfer {
  return {
    items: entries.map((entry) => ({ kind: 'file', webkitGetAsEntry: () => entry })),
    files,
  } as unknown as DataTransfer;
}

function shape(files: { file: File; folder: readonly string[] }[]): string[] {
  return files.map(({ file, folder }) => [...folder, file.name].join('/')).sort();
}

describe('folder trees to upload', () => {
  const table: [string, string, string[]][] = [
    ['a top-level file', 'a.txt', []],
    ['a nested file', 'Trip/Pics/a.jpg', ['Trip', 'Pics']],
    ['a hidden folder loses its dot', 'Project/.git/HEAD', ['Project', 'git']],
    ['white space is tidied', 'Trip/  Raw  files /b.raw', ['Trip', 'Raw files']],
    ['a backslash cannot split a folder', 'Odd\\name/x', ['Odd_name']],
  ];
  it.each(table)('foldersOf: %s', (_label, relative, expected) => {
    expect(foldersOf(relative)).toEqual(expected);
  });

  it('keeps each picked file’s folders under the folder the person is in', () => {
    const day = new File(['x'], 'day 1.txt');
    Object.defineProperty(day, 'webkitRelativePath', { value: 'Trip/day 1.txt' });
    const raw = new File(['y'], 'b.raw');
    Object.defineProperty(raw, 'webkitRelativePath', { value: 'Trip/Pics/Raw/b.raw' });
    expect(shape(pickedFiles([day, raw], ['Photos']))).toEqual(['Photos/Trip/Pics/Raw/b.raw', 'Photos/Trip/day 1.txt']);
  });

  it('walks dropped directories, reading every chunk of each', async () => {
    const tree = directoryEntry('Trip', [
      fileEntry('day 1.txt'),
      fileEntry('day 2.txt'),
      fileEntry('day 3.txt'),
      directoryEntry('Pics', [fileEntry('a.jpg'), directoryEntry('Raw', [fileEntry('b.raw')]), directoryEntry('Empty', [])]),
    ]);
    const files = await droppedFiles(transferOf([tree, fileEntry('loose.txt')]), ['Photos', '2026']);
    expect(shape(files)).toEqual([
      'Photos/2026/Trip/Pics/Raw/b.raw',
      'Photos/2026/Trip/Pics/a.jpg',
      'Photos/2026/Trip/day 1.txt',
      'Photos/2026/Trip/day 2.txt',
      'Photos/2026/Trip/day 3.txt',
      'Photos/2026/loose.txt',
    ]);
  });

  it('falls back to the plain files when the browser gives no entries', async () => {
    const files = await droppedFiles(transferOf([null], [new File(['x'], 'x.txt')]), ['A']);
    expect(shape(files)).toEqual(['A/x.txt']);
  });
});
