import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { authorize, type Caller, objectArn } from './auth.ts';
import { commonHeaders, type S3Call, send } from './call.ts';
import { s3Errors } from './errors.ts';
import { missingObject } from './objects.ts';
import { contentRange, resolveRange } from './range.ts';
import { headerValue, queryValue } from './request.ts';
import { type BodyReader, objectStore, type StoredObject } from './store.ts';

/** GetObject query parameters that override response headers (honoured on signed requests only). */
const OVERRIDES: ReadonlyArray<readonly [string, string]> = [
  ['response-content-type', 'content-type'],
  ['response-content-language', 'content-language'],
  ['response-expires', 'expires'],
  ['response-cache-control', 'cache-control'],
  ['response-content-disposition', 'content-disposition'],
  ['response-content-encoding', 'content-encoding'],
];

function etagList(value: string): string[] {
  return value.split(',').map((tag) => tag.trim().replace(/^W\//, '').replace(/^"|"$/g, ''));
}

/** True when the `If-Match`/`If-None-Match`-style list `value` names `etag` (or is `*`). */
export function etagMatches(value: string, etag: string): boolean {
  const bare = etag.replace(/^"|"$/g, '');
  return etagList(value).some((tag) => tag === '*' || tag === bare);
}

/** Whole seconds, as HTTP dates carry. */
export function seconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/**
 * RFC 7232 preconditions as S3 applies them: If-Match / If-Unmodified-Since failing → 412;
 * If-None-Match / If-Modified-Since → 304 (returned as 'not-modified').
 */
export function checkPreconditions(headers: IncomingHttpHeaders, object: StoredObject): 'ok' | 'not-modified' {
  const ifMatch = headerValue(headers, 'if-match');
  const ifNoneMatch = headerValue(headers, 'if-none-match');
  const ifModifiedSince = Date.parse(headerValue(headers, 'if-modified-since') ?? '');
  const ifUnmodifiedSince = Date.parse(headerValue(headers, 'if-unmodified-since') ?? '');
  const modified = seconds(object.lastModified);
  if (ifMatch !== undefined && !etagMatches(ifMatch, object.etag)) throw s3Errors.preconditionFailed('If-Match');
  if (ifMatch === undefined && !Number.isNaN(ifUnmodifiedSince) && modified > ifUnmodifiedSince / 1000) {
    throw s3Errors.preconditionFailed('If-Unmodified-Since');
  }
  if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch, object.etag) ? 'not-modified' : 'ok';
  if (!Number.isNaN(ifModifiedSince) && modified <= ifModifiedSince / 1000) return 'not-modified';
  return 'ok';
}

/** Headers describing a stored object (ETag, Last-Modified, stored representation headers, metadata). */
function objectHeaders(object: StoredObject): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    etag: object.etag,
    'last-modified': new Date(object.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': 'AES256',
    ...object.headers,
  };
  for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
  return headers;
}

/**
 * GetObject and HeadObject: one Range (206 + Content-Range, 416 InvalidRange), conditional
 * headers (304/412), `response-*` overrides; the body streams from disk. A missing key gives
 * NoSuchKey only to callers allowed to list it, AccessDenied to others.
 */
export async function getObject(call: S3Call, caller: Caller): Promise<void> {
  const { bucket, key } = call.target;
  authorize(call.ctx, caller, 's3:GetObject', objectArn(bucket, key));
  const store = objectStore(call.ctx);
  const object = store.get(key);
  if (!object) throw missingObject(call, caller, key);
  const headers = objectHeaders(object);
  if (checkPreconditions(call.req.headers, object) === 'not-modified') {
    send(call, 304, { etag: object.etag, 'last-modified': headers['last-modified'] });
    return;
  }
  const range = resolveRange(headerValue(call.req.headers, 'range'), object.size);
  for (const [parameter, header] of OVERRIDES) {
    const value = queryValue(call.query, parameter);
    if (value !== undefined) headers[header] = value;
  }
  let file: BodyReader;
  try {
    file = await store.openBody(object);
  } catch {
    // Deleted or replaced between lookup and open.
    throw s3Errors.noSuchKey(key);
  }
  const length = range ? range.end - range.start + 1 : object.size;
  if (range) headers['content-range'] = contentRange(range, object.size);
  call.res.writeHead(range ? 206 : 200, { ...commonHeaders(call), ...headers, 'content-length': String(length) });
  if (call.method === 'HEAD' || length === 0) {
    await file.close();
    call.res.end();
    return;
  }
  try {
    await sendFile(file, call.res, range?.start ?? 0, length);
  } catch {
    call.res.destroy();
  } finally {
    await file.close();
  }
}

const SEND_BUFFER = 512 * 1024;

/**
 * Streams `length` bytes of the body from `start` to the response through two reused buffers
 * (one being read while the other is written), so a download creates no garbage and memory
 * stays flat and small whatever the object size.
 */
async function sendFile(file: BodyReader, res: ServerResponse, start: number, length: number): Promise<void> {
  const buffers = [Buffer.allocUnsafe(Math.min(SEND_BUFFER, length)), Buffer.allocUnsafe(Math.min(SEND_BUFFER, length))];
  const writes: Promise<void>[] = [Promise.resolve(), Promise.resolve()];
  // A client that disconnects may leave write callbacks pending: stop waiting then.
  const gone = new Promise<void>((_, reject) => res.once('close', () => reject(new Error('client went away'))));
  gone.catch(() => {});
  let position = start;
  let remaining = length;
  for (let turn = 0; remaining > 0; turn = 1 - turn) {
    await Promise.race([writes[turn], gone]);
    const buffer = buffers[turn] ?? Buffer.alloc(0);
    const bytesRead = await file.read(buffer, Math.min(buffer.length, remaining), position);
    if (bytesRead === 0) throw new Error('object body ended early');
    position += bytesRead;
    remaining -= bytesRead;
    const written = new Promise<void>((resolve, reject) => {
      res.write(buffer.subarray(0, bytesRead), (error) => (error ? reject(error) : resolve()));
    });
    // Observed here so a failure of the other pending write cannot go unhandled meanwhile.
    written.catch(() => {});
    writes[turn] = written;
  }
  await Promise.race([Promise.all(writes), gone]);
  res.end();
}
