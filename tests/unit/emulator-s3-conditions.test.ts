import { describe, expect, it } from 'vitest';
import type { Caller } from '../../emulator/s3/auth.ts';
import type { S3Call } from '../../emulator/s3/call.ts';
import { checkCopySource, versionOf, WriteGuard, writeConditionKeys, writeConditions } from '../../emulator/s3/conditions.ts';
import { S3Error } from '../../emulator/s3/errors.ts';
import type { StoredObject } from '../../emulator/s3/store.ts';

function failureOf(run: () => unknown): { code: string; status: number; details: unknown } | undefined {
  try {
    run();
  } catch (error) {
    if (!(error instanceof S3Error)) throw error;
    return { code: error.code, status: error.status, details: Object.fromEntries(error.details) };
  }
  return undefined;
}

const stored = (blob: string, etag: string, lastModified = '2026-01-02T03:04:05.000Z'): StoredObject => ({
  key: 'k',
  size: 1,
  etag,
  lastModified,
  blob,
  headers: {},
  metadata: {},
});

// The guard needs a call and caller only to word a 404 (NoSuchKey vs AccessDenied), not exercised here.
const guard = (headers: Record<string, string>, baseline: string | null | undefined) =>
  new WriteGuard({} as S3Call, {} as Caller, writeConditions(headers), baseline);

describe('writeConditions', () => {
  it('reads If-None-Match: * and If-Match', () => {
    expect(writeConditions({ 'if-none-match': '*' })).toEqual({ ifNoneMatch: '*' });
    expect(writeConditions({ 'if-match': '"abc"' })).toEqual({ ifMatch: '"abc"' });
    expect(writeConditions({})).toEqual({});
  });

  it('answers 501 NotImplemented for If-None-Match other than * and for both headers together', () => {
    expect(failureOf(() => writeConditions({ 'if-none-match': '"abc"' }))).toEqual({
      code: 'NotImplemented',
      status: 501,
      details: { Header: 'If-None-Match' },
    });
    expect(failureOf(() => writeConditions({ 'if-none-match': '*', 'if-match': '"abc"' }))?.status).toBe(501);
  });

  it('gives IAM the header values and whether the request creates the object', () => {
    expect(writeConditionKeys({ ifNoneMatch: '*' }, true)).toEqual({
      's3:ObjectCreationOperation': 'true',
      's3:if-none-match': '*',
    });
    expect(writeConditionKeys({ ifMatch: '"e"' }, true)).toEqual({ 's3:ObjectCreationOperation': 'true', 's3:if-match': '"e"' });
    expect(writeConditionKeys({}, false)).toEqual({ 's3:ObjectCreationOperation': 'false' });
  });
});

describe('WriteGuard', () => {
  const existing = stored('blob-1', '"e1"');

  it('lets unconditional writes replace anything', () => {
    expect(failureOf(() => guard({}, null).check(existing))).toBeUndefined();
    expect(failureOf(() => guard({}, 'other').check(undefined))).toBeUndefined();
  });

  it('If-None-Match: * creates only: 412 naming the condition when the key has an object', () => {
    expect(failureOf(() => guard({ 'if-none-match': '*' }, null).check(undefined))).toBeUndefined();
    expect(failureOf(() => guard({ 'if-none-match': '*' }, null).check(existing))).toEqual({
      code: 'PreconditionFailed',
      status: 412,
      details: { Condition: 'If-None-Match' },
    });
  });

  it('If-Match compares ETags with or without quotes, 412 on a mismatch', () => {
    for (const given of ['"e1"', 'e1', '"e1', 'e1"', '*']) {
      expect(failureOf(() => guard({ 'if-match': given }, versionOf(existing)).check(existing))).toBeUndefined();
    }
    expect(failureOf(() => guard({ 'if-match': '"e2"' }, versionOf(existing)).check(existing))).toEqual({
      code: 'PreconditionFailed',
      status: 412,
      details: { Condition: 'If-Match' },
    });
  });

  it('answers 409 when the key changed under a write whose condition still holds (a concurrent delete)', () => {
    // Created-only write that began while another object existed, which was deleted meanwhile.
    expect(failureOf(() => guard({ 'if-none-match': '*' }, 'blob-0').check(undefined))?.code).toBe('ConditionalRequestConflict');
    // If-Match on a version that was deleted while the body was on its way.
    expect(failureOf(() => guard({ 'if-match': '"e1"' }, 'blob-1').check(undefined))).toEqual({
      code: 'ConditionalRequestConflict',
      status: 409,
      details: {},
    });
    // Replaced by a version with the same ETag (same bytes): still a conflict.
    expect(failureOf(() => guard({ 'if-match': '"e1"' }, 'blob-0').check(existing))?.status).toBe(409);
  });

  it('prefers 412 over 409 when the change left an object the condition refuses', () => {
    expect(failureOf(() => guard({ 'if-none-match': '*' }, null).check(existing))?.status).toBe(412);
    expect(failureOf(() => guard({ 'if-match': '"e0"' }, 'blob-0').check(existing))?.status).toBe(412);
  });

  it('skips the conflict check when the start is unknown (an upload recorded before baselines)', () => {
    expect(failureOf(() => guard({ 'if-none-match': '*' }, undefined).check(undefined))).toBeUndefined();
  });
});

describe('checkCopySource', () => {
  const source = stored('b', '"s1"', '2026-01-02T03:04:05.000Z');
  const before = 'Thu, 01 Jan 2026 00:00:00 GMT';
  const after = 'Sat, 03 Jan 2026 00:00:00 GMT';
  const condition = (headers: Record<string, string>) =>
    (failureOf(() => checkCopySource(headers, source))?.details as { Condition?: string } | undefined)?.Condition;

  it.each([
    [{ 'x-amz-copy-source-if-match': '"s1"' }, undefined],
    [{ 'x-amz-copy-source-if-match': '"zz"' }, 'x-amz-copy-source-If-Match'],
    [{ 'x-amz-copy-source-if-none-match': '"s1"' }, 'x-amz-copy-source-If-None-Match'],
    [{ 'x-amz-copy-source-if-none-match': '"zz"' }, undefined],
    [{ 'x-amz-copy-source-if-unmodified-since': before }, 'x-amz-copy-source-If-Unmodified-Since'],
    [{ 'x-amz-copy-source-if-unmodified-since': after }, undefined],
    [{ 'x-amz-copy-source-if-modified-since': after }, 'x-amz-copy-source-If-Modified-Since'],
    [{ 'x-amz-copy-source-if-modified-since': before }, undefined],
    // S3: if-match true with if-unmodified-since false copies; if-none-match false with if-modified-since true refuses.
    [{ 'x-amz-copy-source-if-match': '"s1"', 'x-amz-copy-source-if-unmodified-since': before }, undefined],
    [
      { 'x-amz-copy-source-if-none-match': '"s1"', 'x-amz-copy-source-if-modified-since': before },
      'x-amz-copy-source-If-None-Match',
    ],
  ])('%o → %s', (headers, expected) => {
    expect(condition(headers)).toBe(expected);
  });
});
