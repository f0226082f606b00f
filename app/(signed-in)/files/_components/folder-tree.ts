import { safeFileName } from '@/lib/aws/keys';
import type { FolderedFile } from './upload-queue-store';

/**
 * Files picked or dropped with their folders, for uploading a folder tree that keeps its
 * structure: from `<input webkitdirectory>` (each File's `webkitRelativePath`, `Dir/sub/a.txt`) and
 * from a drop of directories (`DataTransferItem.webkitGetAsEntry`, read recursively). Each folder
 * name is made a safe key segment the way lib/aws/keys.ts makes file names (a `.git` folder becomes
 * `git`); the folder the person is in goes first. Browser only.
 */

/** A folder name from the person's disk as a safe folder name (lib/aws/keys.ts `safeFileName`). */
function safeSegment(name: string): string {
  try {
    return safeFileName(name);
  } catch {
    return name; // Too long: the server refuses the file with its own words.
  }
}

/** The folder of `relativePath` (`Dir/sub/a.txt` → `['Dir', 'sub']`), each name made safe. */
export function foldersOf(relativePath: string): string[] {
  return relativePath.split('/').slice(0, -1).filter(Boolean).map(safeSegment);
}

/** Files from a picker: with `webkitdirectory` each keeps its folder under `base`. */
export function pickedFiles(files: readonly File[], base: readonly string[]): FolderedFile[] {
  return files.map((file) => ({ file, folder: [...base, ...foldersOf(file.webkitRelativePath ?? '')] }));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Every entry of a directory: readEntries answers in chunks (about 100) until it answers none. */
async function entriesOf(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const chunk = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (chunk.length === 0) return all;
    all.push(...chunk);
  }
}

async function walk(entry: FileSystemEntry, folder: readonly string[], into: FolderedFile[]): Promise<void> {
  if (entry.isFile) {
    into.push({ file: await fileOf(entry as FileSystemFileEntry), folder });
    return;
  }
  if (!entry.isDirectory) return;
  const inner = [...folder, safeSegment(entry.name)];
  for (const child of await entriesOf(entry as FileSystemDirectoryEntry)) await walk(child, inner, into);
}

/**
 * The files of a drop, directories walked recursively, each under `base` plus its folders; plain
 * files (or a browser without entries) go into `base` itself. Call it during the drop event: the
 * entries are taken synchronously, before the event ends.
 */
export function droppedFiles(transfer: DataTransfer, base: readonly string[]): Promise<FolderedFile[]> {
  const entries = [...transfer.items].filter((item) => item.kind === 'file').map((item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.length === 0 || entries.some((entry) => entry === null)) {
    return Promise.resolve([...transfer.files].map((file) => ({ file, folder: [...base] })));
  }
  return (async () => {
    const files: FolderedFile[] = [];
    for (const entry of entries) if (entry) await walk(entry, base, files);
    return files;
  })();
}
