import { S3ServiceException } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { storageError } from '@/lib/aws/s3';
import { AppError } from '@/lib/errors';

function s3Failure(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} from https://bucket.s3.amazonaws.com/private/x?X-Amz-Signature=deadbeef`,
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('storageError', () => {
  const table: [string, unknown, string][] = [
    ['AccessDenied', s3Failure('AccessDenied', 403), 'forbidden'],
    ['HEAD 403 without a body', s3Failure('Unknown', 403), 'forbidden'],
    ['InvalidAccessKeyId', s3Failure('InvalidAccessKeyId', 403), 'forbidden'],
    ['SignatureDoesNotMatch', s3Failure('SignatureDoesNotMatch', 403), 'forbidden'],
    ['NoSuchKey', s3Failure('NoSuchKey', 404), 'not_found'],
    ['HEAD 404', s3Failure('NotFound', 404), 'not_found'],
    ['NoSuchUpload', s3Failure('NoSuchUpload', 404), 'not_found'],
    ['ExpiredToken', s3Failure('ExpiredToken', 400), 'session_ended'],
    ['EntityTooSmall', s3Failure('EntityTooSmall', 400), 'invalid_file'],
    ['InvalidPart', s3Failure('InvalidPart', 400), 'invalid_file'],
    ['KeyTooLongError', s3Failure('KeyTooLongError', 400), 'invalid_file'],
    ['InternalError 500', s3Failure('InternalError', 500), 'storage_unavailable'],
    ['SlowDown 503', s3Failure('SlowDown', 503), 'storage_unavailable'],
    ['a 5xx naming NoSuchKey is still an outage', s3Failure('NoSuchKey', 503), 'storage_unavailable'],
    ['HEAD 503 without a body', s3Failure('Unknown', 503), 'storage_unavailable'],
    ['HEAD 500 named NotFound', s3Failure('NotFound', 500), 'storage_unavailable'],
    ['InternalError inside a 200 (CopyObject, Complete)', s3Failure('InternalError', 200), 'storage_unavailable'],
    ['SlowDown inside a 200', s3Failure('SlowDown', 200), 'storage_unavailable'],
    ['RequestTimeout 400', s3Failure('RequestTimeout', 400), 'storage_unavailable'],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'storage_unavailable'],
    ['timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'storage_unavailable'],
    ['unexpected 4xx', s3Failure('InvalidArgument', 400), 'internal'],
    ['PreconditionFailed 412 (create-only write onto a taken key)', s3Failure('PreconditionFailed', 412), 'name_taken'],
    ['ConditionalRequestConflict 409', s3Failure('ConditionalRequestConflict', 409), 'name_taken'],
    ['PreconditionFailed inside a copy’s 200 (the SDK says 503)', s3Failure('PreconditionFailed', 503), 'name_taken'],
  ];
  it.each(table)('%s', (_label, error, code) => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const mapped = storageError(error, 'test');
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped.code).toBe(code);
    expect(mapped.cause).toBe(error);
  });

  it('passes an AppError through unchanged', () => {
    const original = new AppError('invalid_file', 'x');
    expect(storageError(original, 'test')).toBe(original);
  });

  it('logs one line with the codes, never the URL or its signature', () => {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => lines.push(line));
    vi.spyOn(console, 'log').mockImplementation((line: string) => lines.push(line));
    storageError(s3Failure('AccessDenied', 403), 'presign-get');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      event: 's3.failed',
      operation: 'presign-get',
      code: 'forbidden',
      s3Code: 'AccessDenied',
      status: 403,
    });
    expect(lines[0]).not.toMatch(/X-Amz-Signature|https?:|deadbeef/);
  });
});
