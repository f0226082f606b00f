import { describe, expect, it } from 'vitest';
import { CreateFolderSchema, FolderSchema } from '@/lib/files/folder-schemas';
import { MAX_FOLDER_DEPTH } from '@/lib/files/limits';
import { CreateUploadSchema, FolderPathSchema, ListFilesSchema } from '@/lib/files/schemas';

/** What the folder actions and the folder fields of the file actions accept, and the code a refusal answers with. */

function refusal(result: { success: boolean; error?: { issues: { code: string; params?: { code?: string } }[] } }): string {
  if (result.success) return 'accepted';
  const own = result.error?.issues.map((issue) => (issue.code === 'custom' ? issue.params?.code : undefined)).find(Boolean);
  return own ?? 'invalid_input';
}

const deep = (depth: number) => Array.from({ length: depth }, (_, index) => `d${index}`);

describe('FolderPathSchema', () => {
  const table: [string, unknown, string][] = [
    ['the top level', [], 'accepted'],
    ['a folder', ['Photos', '2026'], 'accepted'],
    [`${MAX_FOLDER_DEPTH} deep`, deep(MAX_FOLDER_DEPTH), 'accepted'],
    ['too deep', deep(MAX_FOLDER_DEPTH + 1), 'folder_too_deep'],
    ['traversal', ['..'], 'invalid_input'],
    ['a slash in a name', ['a/b'], 'invalid_input'],
    ['a hidden folder', ['.trash'], 'invalid_input'],
    ['an empty name', [''], 'invalid_input'],
    ['not an array', 'Photos', 'invalid_input'],
    ['far too many', deep(1000), 'invalid_input'],
  ];
  it.each(table)('%s', (_label, path, expected) => {
    expect(refusal(FolderPathSchema.safeParse(path))).toBe(expected);
  });
});

describe('folder fields of the actions', () => {
  it('lists a folder, searching in it or everywhere', () => {
    expect(ListFilesSchema.safeParse({ sort: 'name', order: 'asc', path: ['a'], scope: 'all' }).success).toBe(true);
    expect(ListFilesSchema.safeParse({ sort: 'name', order: 'asc', scope: 'somewhere' }).success).toBe(false);
    expect(refusal(ListFilesSchema.safeParse({ sort: 'name', order: 'asc', path: ['a', '..'] }))).toBe('invalid_input');
  });

  it('uploads into a folder', () => {
    expect(CreateUploadSchema.safeParse({ name: 'a.txt', size: 1, type: '', folder: ['Photos'] }).success).toBe(true);
    expect(refusal(CreateUploadSchema.safeParse({ name: 'a.txt', size: 1, type: '', folder: deep(11) }))).toBe('folder_too_deep');
  });

  it('creates a folder in a folder, and counts or deletes only a real folder (never the top level)', () => {
    expect(CreateFolderSchema.safeParse({ parent: [], name: 'Photos' }).success).toBe(true);
    expect(CreateFolderSchema.safeParse({ parent: ['..'], name: 'x' }).success).toBe(false);
    expect(FolderSchema.safeParse({ path: ['Photos'] }).success).toBe(true);
    expect(FolderSchema.safeParse({ path: [] }).success).toBe(false);
  });
});
