import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { HttpResponse } from '@smithy/protocol-http';
import { describe, expect, it } from 'vitest';
import { S3Error } from '../../emulator/s3/errors.ts';
import { parseQuery, parseTarget, uriEncode } from '../../emulator/s3/request.ts';
import {
  checkSignature,
  parseSignature,
  type ReceivedRequest,
  signatureMismatch,
  unsignedAmzHeaders,
} from '../../emulator/s3/sigv4.ts';

const REGION = 'us-east-1';
const ORIGIN = 'http://127.0.0.1:9229';
const credentials = { accessKeyId: 'ASIATESTTESTTESTTEST', secretAccessKey: 'secret/with+chars', sessionToken: 'session-token' };
const KEY = 'private/us-east-1:1666ff8c-8ddf-42c8-9109-07e2dfd3848c/a b(1)+✓.txt';

interface Captured {
  method: string;
  path: string;
  query: Record<string, string | string[] | null>;
  headers: Record<string, string>;
}

/** An S3 client whose requests are captured instead of sent: exactly what the SDK signs. */
function capturingClient(captured: Captured[]) {
  return new S3Client({
    region: REGION,
    endpoint: ORIGIN,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      async handle(request: Captured) {
        captured.push(request);
        return { response: new HttpResponse({ statusCode: 200, headers: {}, body: Readable.from([]) }) };
      },
    },
  });
}

/** Rebuilds what the emulator's server would receive for a captured request. */
function received(request: Captured): ReceivedRequest {
  const search = Object.entries(request.query)
    .flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map((item) =>
        item === null ? uriEncode(name) : `${uriEncode(name)}=${uriEncode(item)}`,
      ),
    )
    .join('&');
  const rawUrl = search ? `${request.path}?${search}` : request.path;
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  return { method: request.method, canonicalPath: parseTarget(rawUrl).canonicalPath, query: parseQuery(rawUrl), headers };
}

/** What the server receives for a presigned URL fetched with `headers`. */
function fromUrl(method: string, url: string, headers: IncomingHttpHeaders = {}): ReceivedRequest {
  const parsed = new URL(url);
  const rawUrl = `${parsed.pathname}${parsed.search}`;
  return {
    method,
    canonicalPath: parseTarget(rawUrl).canonicalPath,
    query: parseQuery(rawUrl),
    headers: { host: parsed.host, ...headers },
  };
}

async function verify(request: ReceivedRequest, secret = credentials.secretAccessKey) {
  const parts = parseSignature(request.headers, request.query, REGION);
  if (!parts) throw new Error('request was not signed');
  return { parts, check: await checkSignature(parts, request, secret) };
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof S3Error ? error.code : 'not an S3Error';
  }
  return undefined;
}

describe('header-signed requests from @aws-sdk/client-s3', () => {
  it('verify for PutObject with an awkward key, and fail with any other secret', async () => {
    const captured: Captured[] = [];
    await capturingClient(captured).send(
      new PutObjectCommand({ Bucket: 'cubby-local', Key: KEY, Body: 'hello', ContentType: 'text/plain' }),
    );
    const request = received(captured[0] as Captured);
    const { parts, check } = await verify(request);
    expect(parts).toMatchObject({ via: 'header', accessKeyId: credentials.accessKeyId, securityToken: 'session-token' });
    expect(parts.payloadHash).toMatch(/^[0-9a-f]{64}$/);
    expect(check.valid).toBe(true);
    expect((await verify(request, 'another secret')).check.valid).toBe(false);
  });

  it('verify for ListObjectsV2 with query parameters to canonicalise', async () => {
    const captured: Captured[] = [];
    await capturingClient(captured).send(
      new ListObjectsV2Command({ Bucket: 'cubby-local', Prefix: 'private/us-east-1:abc/a b', Delimiter: '/', StartAfter: 'x+y' }),
    );
    expect((await verify(received(captured[0] as Captured))).check.valid).toBe(true);
  });

  it('fail when a signed header changed, with the debugging elements S3 reports', async () => {
    const captured: Captured[] = [];
    await capturingClient(captured).send(
      new PutObjectCommand({ Bucket: 'cubby-local', Key: 'k', Body: 'hello', ContentType: 'text/plain' }),
    );
    const request = received(captured[0] as Captured);
    request.headers['content-type'] = 'text/html';
    const { parts, check } = await verify(request);
    expect(check.valid).toBe(false);
    expect(check.canonicalRequest).toContain('content-type:text/html');
    const error = signatureMismatch(parts, check);
    expect(error).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
    expect(error.details.map(([name]) => name)).toEqual([
      'AWSAccessKeyId',
      'StringToSign',
      'SignatureProvided',
      'StringToSignBytes',
      'CanonicalRequest',
      'CanonicalRequestBytes',
    ]);
  });

  it('report x-amz-* headers that were not signed', async () => {
    const captured: Captured[] = [];
    await capturingClient(captured).send(new GetObjectCommand({ Bucket: 'cubby-local', Key: 'k' }));
    const request = received(captured[0] as Captured);
    const parts = parseSignature(request.headers, request.query, REGION);
    if (!parts) throw new Error('not signed');
    expect(unsignedAmzHeaders(parts, request.headers)).toEqual([]);
    expect(unsignedAmzHeaders(parts, { ...request.headers, 'x-amz-meta-extra': '1' })).toEqual(['x-amz-meta-extra']);
  });
});

describe('presigned URLs from @aws-sdk/s3-request-presigner', () => {
  const client = capturingClient([]);

  it('verify a GET with response-content-disposition, and fail once a parameter is altered', async () => {
    const url = await getSignedUrl(
      client,
      new GetObjectCommand({ Bucket: 'cubby-local', Key: KEY, ResponseContentDisposition: 'attachment; filename="a b.txt"' }),
      { expiresIn: 300 },
    );
    const { parts, check } = await verify(fromUrl('GET', url));
    expect(parts).toMatchObject({
      via: 'query',
      expiresSeconds: 300,
      securityToken: 'session-token',
      payloadHash: 'UNSIGNED-PAYLOAD',
    });
    expect(check.valid).toBe(true);
    const altered = url.replace('attachment', 'inline');
    expect((await verify(fromUrl('GET', altered))).check.valid).toBe(false);
    expect((await verify(fromUrl('PUT', url))).check.valid).toBe(false);
  });

  it('enforce signed Content-Type and Content-Length on PUT', async () => {
    const url = await getSignedUrl(
      client,
      new PutObjectCommand({ Bucket: 'cubby-local', Key: 'public/a.png', ContentType: 'image/png', ContentLength: 5 }),
      { expiresIn: 60, signableHeaders: new Set(['content-type']) },
    );
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    const good = { 'content-type': 'image/png', 'content-length': '5' };
    expect((await verify(fromUrl('PUT', url, good))).check.valid).toBe(true);
    expect((await verify(fromUrl('PUT', url, { ...good, 'content-type': 'text/html' }))).check.valid).toBe(false);
    expect((await verify(fromUrl('PUT', url, { ...good, 'content-length': '6' }))).check.valid).toBe(false);
  });
});

describe('parseSignature', () => {
  const base = (overrides: Record<string, string>) =>
    parseQuery(
      `/b/k?${new URLSearchParams({
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': `${credentials.accessKeyId}/20251025/us-east-1/s3/aws4_request`,
        'X-Amz-Date': '20251025T080000Z',
        'X-Amz-Expires': '300',
        'X-Amz-SignedHeaders': 'host',
        'X-Amz-Signature': 'a'.repeat(64),
        ...overrides,
      })}`,
    );

  it('treats requests without any signature as anonymous', () => {
    expect(parseSignature({}, parseQuery('/b/k?x=1'), REGION)).toBeNull();
  });

  it.each([
    [{ 'X-Amz-Expires': '604801' }, 'AuthorizationQueryParametersError'],
    [{ 'X-Amz-Expires': 'soon' }, 'AuthorizationQueryParametersError'],
    [{ 'X-Amz-Algorithm': 'AWS4-HMAC-SHA1' }, 'AuthorizationQueryParametersError'],
    [{ 'X-Amz-Date': '2025-10-25T08:00:00Z' }, 'AuthorizationQueryParametersError'],
    [
      { 'X-Amz-Credential': `${credentials.accessKeyId}/20251025/eu-west-1/s3/aws4_request` },
      'AuthorizationQueryParametersError',
    ],
    [
      { 'X-Amz-Credential': `${credentials.accessKeyId}/20251026/us-east-1/s3/aws4_request` },
      'AuthorizationQueryParametersError',
    ],
    [
      { 'X-Amz-Credential': `${credentials.accessKeyId}/20251025/us-east-1/sts/aws4_request` },
      'AuthorizationQueryParametersError',
    ],
    [{ 'X-Amz-Signature': '' }, 'AuthorizationQueryParametersError'],
  ])('refuses presigned parameters %j with %s', (overrides, code) => {
    expect(codeOf(() => parseSignature({}, base(overrides), REGION))).toBe(code);
  });

  it('accepts exactly 7 days', () => {
    expect(parseSignature({}, base({ 'X-Amz-Expires': '604800' }), REGION)).toMatchObject({ expiresSeconds: 604800 });
  });

  it('refuses two auth mechanisms, other algorithms and malformed headers', () => {
    const header = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20251025/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=abc`;
    const headers = { authorization: header, 'x-amz-date': '20251025T080000Z', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
    expect(codeOf(() => parseSignature(headers, base({}), REGION))).toBe('InvalidArgument');
    expect(codeOf(() => parseSignature({ ...headers, authorization: 'AWS AKID:sig' }, [], REGION))).toBe('InvalidRequest');
    expect(codeOf(() => parseSignature({ ...headers, authorization: 'AWS4-HMAC-SHA256 Credential=x' }, [], REGION))).toBe(
      'AuthorizationHeaderMalformed',
    );
    expect(codeOf(() => parseSignature({ ...headers, 'x-amz-date': undefined }, [], REGION))).toBe('AccessDenied');
    expect(codeOf(() => parseSignature({ ...headers, 'x-amz-content-sha256': undefined }, [], REGION))).toBe('InvalidRequest');
    expect(codeOf(() => parseSignature({ ...headers, 'x-amz-content-sha256': 'nope' }, [], REGION))).toBe('InvalidArgument');
    expect(parseSignature(headers, [], REGION)).toMatchObject({ via: 'header', signedHeaders: ['host'], signature: 'abc' });
  });
});
