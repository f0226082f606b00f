import { describe, expect, it } from 'vitest';
import { CORS_VARY, type CorsRule, parseRequestHeaders, preflightHeaders, responseCorsHeaders } from '../../emulator/s3/cors.ts';
import { S3Error } from '../../emulator/s3/errors.ts';
import { contentRange, resolveRange } from '../../emulator/s3/range.ts';
import { parseCopySource, parseQuery, parseTarget, uriEncode, validateKey } from '../../emulator/s3/request.ts';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof S3Error ? error.code : 'not an S3Error';
  }
  return undefined;
}

describe('parseTarget', () => {
  it.each([
    ['/cubby-local/private/us-east-1%3Aabc/photo.jpg', 'cubby-local', 'private/us-east-1:abc/photo.jpg'],
    ['/cubby-local/a/../b', 'cubby-local', 'a/../b'],
    ['/cubby-local/a//b/', 'cubby-local', 'a//b/'],
    ['/cubby-local/x%20y%2Bz.txt?x-id=PutObject', 'cubby-local', 'x y+z.txt'],
    ['/cubby-local/%E2%9C%93', 'cubby-local', '✓'],
    ['/cubby-local', 'cubby-local', ''],
    ['/cubby-local/', 'cubby-local', ''],
    ['/', '', ''],
  ])('%s → bucket %s, key %s', (raw, bucket, key) => {
    expect(parseTarget(raw)).toMatchObject({ bucket, key });
  });

  it('canonicalises the path the way SigV4 for S3 does (each byte encoded once)', () => {
    expect(parseTarget('/b/private/us-east-1:abc/a b(1).txt').canonicalPath).toBe('/b/private/us-east-1%3Aabc/a%20b%281%29.txt');
    expect(parseTarget('/b/private/us-east-1%3aabc/%7E').canonicalPath).toBe('/b/private/us-east-1%3Aabc/~');
  });

  it('refuses malformed percent-encoding with InvalidURI', () => {
    expect(codeOf(() => parseTarget('/b/%E2%9C'))).toBe('InvalidURI');
    expect(codeOf(() => parseQuery('/b/k?prefix=%ZZ'))).toBe('InvalidURI');
  });
});

describe('parseQuery', () => {
  it('keeps valueless parameters, order and plus signs', () => {
    expect(parseQuery('/b?delete=&uploads&prefix=a%2Fb+c&x=1&x=2')).toEqual([
      ['delete', ''],
      ['uploads', ''],
      ['prefix', 'a/b+c'],
      ['x', '1'],
      ['x', '2'],
    ]);
  });
});

describe('uriEncode', () => {
  it('encodes everything except unreserved characters', () => {
    expect(uriEncode("a-_.~!*'()/: é")).toBe('a-_.~%21%2A%27%28%29%2F%3A%20%C3%A9');
  });
});

describe('validateKey', () => {
  it('accepts 1024 UTF-8 bytes and refuses 1025 with KeyTooLongError', () => {
    expect(codeOf(() => validateKey('a'.repeat(1024)))).toBeUndefined();
    expect(codeOf(() => validateKey('a'.repeat(1025)))).toBe('KeyTooLongError');
    // 512 two-byte characters are 1024 bytes; one more ASCII byte is too many.
    expect(codeOf(() => validateKey('é'.repeat(512)))).toBeUndefined();
    expect(codeOf(() => validateKey(`${'é'.repeat(512)}x`))).toBe('KeyTooLongError');
  });
});

describe('parseCopySource', () => {
  it.each([
    ['cubby-local/public/a.txt', 'cubby-local', 'public/a.txt'],
    ['/cubby-local/private/us-east-1%3Aabc/x%20y.txt', 'cubby-local', 'private/us-east-1:abc/x y.txt'],
    ['cubby-local/a.txt?versionId=null', 'cubby-local', 'a.txt'],
  ])('%s', (value, bucket, key) => {
    expect(parseCopySource(value)).toEqual({ bucket, key });
  });

  it.each(['cubby-local', 'cubby-local/', '/key-only', 'b/%E2'])('refuses %s', (value) => {
    expect(codeOf(() => parseCopySource(value))).toBe('InvalidArgument');
  });
});

describe('resolveRange', () => {
  it.each([
    ['bytes=0-9', { start: 0, end: 9 }],
    ['bytes=5-', { start: 5, end: 99 }],
    ['bytes=-10', { start: 90, end: 99 }],
    ['bytes=-500', { start: 0, end: 99 }],
    ['bytes=90-500', { start: 90, end: 99 }],
  ])('%s of 100 bytes', (header, range) => {
    expect(resolveRange(header, 100)).toEqual(range);
  });

  it.each([undefined, 'bytes=0-1,5-6', 'items=0-1', 'bytes=9-2', 'bytes=-'])('serves the whole object for %s', (header) => {
    expect(resolveRange(header, 100)).toBeNull();
  });

  it('refuses ranges starting past the end with InvalidRange', () => {
    expect(codeOf(() => resolveRange('bytes=100-', 100))).toBe('InvalidRange');
    expect(codeOf(() => resolveRange('bytes=-0', 100))).toBe('InvalidRange');
    expect(codeOf(() => resolveRange('bytes=0-', 0))).toBe('InvalidRange');
  });

  it('formats Content-Range', () => {
    expect(contentRange({ start: 0, end: 9 }, 100)).toBe('bytes 0-9/100');
  });
});

describe('CORS', () => {
  const rules: CorsRule[] = [
    {
      AllowedOrigins: ['http://localhost:3000'],
      AllowedMethods: ['GET', 'PUT', 'HEAD'],
      AllowedHeaders: ['*'],
      ExposeHeaders: ['ETag'],
      MaxAgeSeconds: 3000,
    },
    { AllowedOrigins: ['https://*.example.com'], AllowedMethods: ['GET'], AllowedHeaders: ['content-type'] },
  ];

  it('answers a preflight from an allowed origin, echoing the request headers', () => {
    expect(preflightHeaders(rules, 'http://localhost:3000', 'PUT', ['content-type', 'x-amz-meta-a'])).toEqual({
      'access-control-allow-origin': 'http://localhost:3000',
      'access-control-allow-methods': 'GET, PUT, HEAD',
      'access-control-allow-headers': 'content-type, x-amz-meta-a',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'ETag',
      'access-control-max-age': '3000',
      vary: CORS_VARY,
    });
  });

  it.each([
    ['https://evil.example.net', 'PUT', []],
    ['http://localhost:3001', 'GET', []],
    ['http://localhost:3000', 'DELETE', []],
    ['https://app.example.com', 'PUT', []],
    ['https://app.example.com', 'GET', ['x-amz-date']],
  ])('refuses %s %s %j', (origin, method, headers) => {
    expect(preflightHeaders(rules, origin, method, headers)).toBeNull();
  });

  it('matches origin wildcards literally otherwise', () => {
    expect(preflightHeaders(rules, 'https://app.example.com', 'GET', ['Content-Type'])).not.toBeNull();
    expect(preflightHeaders(rules, 'https://app.exampleXcom', 'GET', [])).toBeNull();
  });

  it('adds headers to actual responses only for a matching Origin', () => {
    expect(responseCorsHeaders(rules, undefined, 'GET')).toEqual({});
    expect(responseCorsHeaders(rules, 'https://evil.example.net', 'GET')).toEqual({});
    expect(responseCorsHeaders(rules, 'http://localhost:3000', 'GET')).toMatchObject({
      'access-control-allow-origin': 'http://localhost:3000',
      'access-control-expose-headers': 'ETag',
    });
  });

  it('parses Access-Control-Request-Headers', () => {
    expect(parseRequestHeaders(' Content-Type, X-Amz-Date ,,')).toEqual(['content-type', 'x-amz-date']);
    expect(parseRequestHeaders(undefined)).toEqual([]);
  });
});
