import { describe, expect, it } from 'vitest';
import { MAX_KEY_BYTES } from '@/lib/aws/keys';
import { MAX_OBJECT_BYTES, MAX_PARTS } from '@/lib/aws/s3-limits';
import { AVATAR_MAX_BYTES, MAX_NAME_ATTEMPTS, MAX_NAME_BYTES, MAX_PAGE_SIZE, MAX_PREVIEW_KEYS } from '@/lib/files/limits';
import {
  CompleteUploadSchema,
  CreateUploadSchema,
  FileKeySchema,
  ListFilesSchema,
  PresignPartsSchema,
  PreviewUrlsSchema,
  RenameFileSchema,
  SetAvatarSchema,
} from '@/lib/files/schemas';

const KEY = 'private/us-east-1:1666ff8c-8ddf-42c8-9109-07e2dfd3848c/a.txt';
const accepts = (schema: { safeParse(input: unknown): { success: boolean } }, input: unknown) => schema.safeParse(input).success;

describe('the actions’ schemas follow the one source of each limit', () => {
  it('bounds keys by S3’s key limit', () => {
    expect(accepts(FileKeySchema, { key: 'k'.repeat(MAX_KEY_BYTES) })).toBe(true);
    expect(accepts(FileKeySchema, { key: 'k'.repeat(MAX_KEY_BYTES + 1) })).toBe(false);
    expect(accepts(FileKeySchema, { key: '' })).toBe(false);
  });

  it('bounds an upload by S3’s largest object and the taken names by the attempts a file gets', () => {
    const upload = { name: 'a.txt', size: MAX_OBJECT_BYTES, type: 'text/plain' };
    expect(accepts(CreateUploadSchema, upload)).toBe(true);
    expect(accepts(CreateUploadSchema, { ...upload, size: MAX_OBJECT_BYTES + 1 })).toBe(false);
    const taken = (count: number) => Array.from({ length: count }, (_, index) => `a (${index}).txt`);
    expect(accepts(CreateUploadSchema, { ...upload, taken: taken(MAX_NAME_ATTEMPTS) })).toBe(true);
    expect(accepts(CreateUploadSchema, { ...upload, taken: taken(MAX_NAME_ATTEMPTS + 1) })).toBe(false);
  });

  it('bounds part numbers and parts by S3’s ceiling on parts', () => {
    const parts = { key: KEY, uploadId: 'u', size: 1 };
    expect(accepts(PresignPartsSchema, { ...parts, partNumbers: [1, MAX_PARTS] })).toBe(true);
    expect(accepts(PresignPartsSchema, { ...parts, partNumbers: [MAX_PARTS + 1] })).toBe(false);
    expect(accepts(PresignPartsSchema, { ...parts, partNumbers: [0] })).toBe(false);
    const part = (partNumber: number) => ({ partNumber, etag: 'e' });
    expect(accepts(CompleteUploadSchema, { key: KEY, parts: [part(MAX_PARTS)] })).toBe(true);
    expect(accepts(CompleteUploadSchema, { key: KEY, parts: [part(MAX_PARTS + 1)] })).toBe(false);
  });

  it('bounds a page and a preview batch by what the browser asks for', () => {
    const list = { sort: 'name', order: 'asc' };
    expect(accepts(ListFilesSchema, { ...list, pageSize: MAX_PAGE_SIZE })).toBe(true);
    expect(accepts(ListFilesSchema, { ...list, pageSize: MAX_PAGE_SIZE + 1 })).toBe(false);
    expect(accepts(PreviewUrlsSchema, { keys: Array(MAX_PREVIEW_KEYS).fill(KEY) })).toBe(true);
    expect(accepts(PreviewUrlsSchema, { keys: Array(MAX_PREVIEW_KEYS + 1).fill(KEY) })).toBe(false);
  });

  it('bounds an avatar by its limit', () => {
    expect(accepts(SetAvatarSchema, { size: AVATAR_MAX_BYTES })).toBe(true);
    expect(accepts(SetAvatarSchema, { size: AVATAR_MAX_BYTES + 1 })).toBe(false);
    expect(accepts(SetAvatarSchema, { size: 0 })).toBe(false);
  });

  it('refuses a name over the name limit with its own code, measured after trimming', () => {
    expect(RenameFileSchema.safeParse({ key: KEY, name: ` ${'n'.repeat(MAX_NAME_BYTES)} ` }).data?.name).toBe(
      'n'.repeat(MAX_NAME_BYTES),
    );
    const refused = RenameFileSchema.safeParse({ key: KEY, name: 'n'.repeat(MAX_NAME_BYTES + 1) });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => (issue.code === 'custom' ? issue.params?.code : issue.code))).toEqual([
      'name_too_long',
    ]);
  });
});
