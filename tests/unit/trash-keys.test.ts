import { describe, expect, it } from 'vitest';
import {
  folderMarkerKey,
  isTrashBatch,
  MAX_KEY_BYTES,
  ownFileKey,
  ownFileKeyIn,
  parseTrashKey,
  prefixesOwnedBy,
  trashBatch,
  trashBatchPrefix,
  trashKey,
  trashPrefix,
} from '@/lib/aws/keys';
import { authenticatedRolePolicy, bucketArnOf, IDENTITY_ID, TRASH_PREFIX, unauthenticatedRolePolicy } from '@/lib/aws/policies';
import { AppError } from '@/lib/errors';
import { MAX_FOLDER_DEPTH, MAX_FOLDER_PATH_BYTES, MAX_NAME_BYTES } from '@/lib/files/limits';

const ID = 'us-east-1:1666ff8c-8ddf-42c8-9109-07e2dfd3848c';
const OTHER = 'us-east-1:0b7c1e9a-2d3f-4a5b-8c6d-7e8f9a0b1c2d';
const LONG_REGION_ID = 'ap-southeast-northwest-9:1666ff8c-8ddf-42c8-9109-07e2dfd3848c';
const DELETED_AT = Date.UTC(2026, 0, 15, 12, 0, 0);
const RANDOM = '0123456789abcdef';
const BATCH = `${DELETED_AT}-${RANDOM}`;
const bytes = (text: string) => new TextEncoder().encode(text).length;

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return error instanceof AppError ? error.code : (error as Error).name;
  }
  return 'none';
}

describe('trash keys', () => {
  it('puts a person’s trash under one top-level prefix, one batch per delete', () => {
    expect(trashPrefix(ID)).toBe(`trash/${ID}/`);
    expect(trashPrefix(ID).startsWith(TRASH_PREFIX)).toBe(true);
    expect(trashBatch(DELETED_AT, RANDOM)).toBe(BATCH);
    expect(trashBatchPrefix(ID, BATCH)).toBe(`trash/${ID}/${BATCH}/`);
    expect(prefixesOwnedBy(ID).trash).toBe(trashPrefix(ID));
  });

  it.each([
    ['negative time', () => trashBatch(-1, RANDOM)],
    ['fractional time', () => trashBatch(1.5, RANDOM)],
    ['short random', () => trashBatch(DELETED_AT, 'abc')],
    ['upper-case random', () => trashBatch(DELETED_AT, RANDOM.toUpperCase())],
    ['a slash in the random part', () => trashBatch(DELETED_AT, '01234567/9abcdef')],
    ['a malformed identity', () => trashPrefix('../private')],
    ['a malformed batch prefix', () => trashBatchPrefix(ID, '../x')],
  ])('refuses %s', (_case, run) => {
    expect(codeOf(run)).toBe('TypeError');
  });

  it.each([
    ['a top-level file', ownFileKey(ID, 'notes.txt'), `trash/${ID}/${BATCH}/notes.txt`],
    ['a file in folders', ownFileKeyIn(ID, ['Photos', '2026'], 'beach.jpg'), `trash/${ID}/${BATCH}/Photos/2026/beach.jpg`],
    ['a folder marker', folderMarkerKey(ID, ['Photos', 'Empty']), `trash/${ID}/${BATCH}/Photos/Empty/`],
    ['a unicode name', ownFileKey(ID, 'Ünïcødé 👩‍💻.txt'), `trash/${ID}/${BATCH}/Ünïcødé 👩‍💻.txt`],
  ])('moves %s under the batch, keeping its path', (_case, original, expected) => {
    expect(trashKey(ID, BATCH, original)).toBe(expected);
  });

  it.each([
    ['another person’s file', ownFileKey(OTHER, 'notes.txt')],
    ['the own prefix itself', `private/${ID}/`],
    ['traversal', `private/${ID}/../${OTHER}/notes.txt`],
    ['a dot folder', `private/${ID}/./notes.txt`],
    ['an empty segment', `private/${ID}/a//notes.txt`],
    ['a backslash', `private/${ID}/a\\b.txt`],
    ['a control character', `private/${ID}/a\u0000b.txt`],
    ['a published file', `public/${ID}/notes.txt`],
    ['a share copy', `shared/1d/${ID}/${'ab'.repeat(16)}`],
    ['a trash key', `trash/${ID}/${BATCH}/notes.txt`],
    ['an incoming upload', `incoming/${ID}/0b7c5a3e-1d2f-4c3b-9a8e-7f6d5c4b3a21`],
  ])('refuses to build a trash key for %s', (_case, original) => {
    expect(codeOf(() => trashKey(ID, BATCH, original))).toBe('TypeError');
  });

  it('keeps every file of the deepest, longest folder within S3’s key limit', () => {
    const segment = 'x'.repeat(Math.floor(MAX_FOLDER_PATH_BYTES / MAX_FOLDER_DEPTH) - 1);
    const path = Array.from({ length: MAX_FOLDER_DEPTH }, () => segment);
    const original = ownFileKeyIn(LONG_REGION_ID, path, 'n'.repeat(MAX_NAME_BYTES));
    const key = trashKey(LONG_REGION_ID, trashBatch(Number.MAX_SAFE_INTEGER, RANDOM), original);
    expect(bytes(key)).toBeLessThanOrEqual(MAX_KEY_BYTES);
    expect(parseTrashKey(LONG_REGION_ID, key)?.originalKey).toBe(original);
  });

  it('reads a trash key back to where the entry was', () => {
    const original = ownFileKeyIn(ID, ['Photos', '2026'], 'beach.jpg');
    expect(parseTrashKey(ID, trashKey(ID, BATCH, original))).toEqual({
      key: `trash/${ID}/${BATCH}/Photos/2026/beach.jpg`,
      batch: BATCH,
      deletedAt: DELETED_AT,
      originalKey: original,
      path: ['Photos', '2026'],
      name: 'beach.jpg',
      isFolder: false,
    });
    expect(parseTrashKey(ID, trashKey(ID, BATCH, folderMarkerKey(ID, ['Photos', 'Empty'])))).toMatchObject({
      originalKey: `private/${ID}/Photos/Empty/`,
      path: ['Photos', 'Empty'],
      name: 'Empty',
      isFolder: true,
    });
    expect(parseTrashKey(ID, trashKey(ID, BATCH, ownFileKey(ID, 'a.txt')))).toMatchObject({ path: [], name: 'a.txt' });
  });

  it.each([
    ['another person’s trash', `trash/${OTHER}/${BATCH}/notes.txt`],
    ['no batch', `trash/${ID}/notes.txt`],
    ['a malformed batch', `trash/${ID}/123-xyz/notes.txt`],
    ['the batch itself', `trash/${ID}/${BATCH}/`],
    ['the batch without a slash', `trash/${ID}/${BATCH}`],
    ['traversal after the batch', `trash/${ID}/${BATCH}/../../${OTHER}/x`],
    ['a hidden folder', `trash/${ID}/${BATCH}/.hidden/x`],
    ['an empty segment', `trash/${ID}/${BATCH}/a//x`],
    ['a private key', `private/${ID}/notes.txt`],
    ['a number', 42],
    ['too long a key', `trash/${ID}/${BATCH}/${'a'.repeat(MAX_KEY_BYTES)}`],
  ])('reads nothing from %s', (_case, key) => {
    expect(parseTrashKey(ID, key)).toBeNull();
  });

  it('accepts batch names only in the shape trashBatch makes', () => {
    expect(isTrashBatch(BATCH)).toBe(true);
    for (const bad of ['', '1-', `${BATCH}/`, `${DELETED_AT}-${RANDOM}0`, `x${BATCH}`, 7]) expect(isTrashBatch(bad)).toBe(false);
  });
});

describe('trash access (lib/aws/policies.ts)', () => {
  const arn = bucketArnOf('cubby-files');
  const text = (policy: unknown) => JSON.stringify(policy);

  it('lets a signed-in person list, read, write and delete only their own trash', () => {
    const policy = authenticatedRolePolicy(arn);
    const listing = policy.Statement.flatMap((statement) => {
      const prefixes = statement.Condition?.StringLike?.['s3:prefix'];
      return Array.isArray(prefixes) ? prefixes : [];
    });
    expect(listing).toEqual(expect.arrayContaining([`trash/${IDENTITY_ID}/`, `trash/${IDENTITY_ID}/*`]));
    expect(listing.filter((prefix) => String(prefix).startsWith('trash/'))).toHaveLength(2);
    const own = policy.Statement.find((statement) => statement.Sid === 'OwnPrivate');
    expect(own?.Resource).toContain(`${arn}/trash/${IDENTITY_ID}/*`);
    expect(own?.Action).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:DeleteObject']));
    expect(text(policy).match(/trash\//g)).toHaveLength(3);
  });

  it('gives guests nothing in the trash', () => {
    expect(text(unauthenticatedRolePolicy(arn))).not.toContain('trash/');
  });
});
