import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { authorize, bucketArn, type Caller, isAllowed, objectArn } from './auth.ts';
import { receiveBody } from './body.ts';
import { type S3Call, send } from './call.ts';
import {
  checkCopySource,
  isConditional,
  versionOf,
  type WriteConditions,
  WriteGuard,
  writeConditionKeys,
  writeConditions,
} from './conditions.ts';
import { MAX_PUT_BYTES, type S3Error, s3Errors } from './errors.ts';
import { answerWhileCopying } from './part-copy.ts';
import { headerValue, parseCopySource } from './request.ts';
import { type BodyReader, type ObjectStore, objectStore, type StoredObject } from './store.ts';
import { xmlDocument } from './xml.ts';

/** Representation headers S3 stores with an object and returns on GET/HEAD. */
const STORED_HEADERS = [
  'content-type',
  'content-disposition',
  'cache-control',
  'content-encoding',
  'content-language',
  'expires',
];
/** What S3 records as Content-Type when an upload sends none. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

/** The representation headers of an upload request (aws-chunked is transport, not stored). */
export function representationHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const stored: Record<string, string> = { 'content-type': DEFAULT_CONTENT_TYPE };
  for (const name of STORED_HEADERS) {
    const value = headerValue(headers, name);
    if (value !== undefined) stored[name] = value;
  }
  const encoding = (stored['content-encoding'] ?? '')
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '' && token !== 'aws-chunked')
    .join(', ');
  if (encoding) stored['content-encoding'] = encoding;
  else delete stored['content-encoding'];
  return stored;
}

/** User metadata of an upload request: `x-amz-meta-<name>` headers, names without the prefix. */
export function userMetadata(headers: IncomingHttpHeaders): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) {
      metadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
    }
  }
  return metadata;
}

/**
 * The answer for a key that does not exist: NoSuchKey (404) only when the caller could have
 * listed it (s3:ListBucket with s3:prefix = the key), otherwise AccessDenied (403), as S3 does
 * so that callers cannot probe for keys they may not see.
 */
export function missingObject(call: S3Call, caller: Caller, key: string): S3Error {
  const mayList = isAllowed(call.ctx, caller, 's3:ListBucket', bucketArn(call.target.bucket), { 's3:prefix': key });
  return mayList ? s3Errors.noSuchKey(key) : s3Errors.accessDenied();
}

/**
 * Commits a freshly written single-file object if `precondition` holds at that instant (see
 * {@link ObjectStore.commit}); otherwise removes its body file and rethrows.
 */
function commitNew(store: ObjectStore, object: StoredObject, precondition: (current: StoredObject | undefined) => void): void {
  try {
    store.commit(object, precondition);
  } catch (error) {
    store.discard(object.blob);
    throw error;
  }
}

/**
 * PutObject: streams the body to disk, then atomically makes it the object, honouring
 * `If-None-Match: *` and `If-Match` (checked before the body is read, to fail fast, and again
 * at commit, which is what counts).
 */
export async function putObject(call: S3Call, caller: Caller): Promise<void> {
  const { bucket, key } = call.target;
  const conditions = writeConditions(call.req.headers);
  authorize(call.ctx, caller, 's3:PutObject', objectArn(bucket, key), writeConditionKeys(conditions, true));
  // S3: a write conditional on the ETag also needs s3:GetObject.
  if (conditions.ifMatch !== undefined) authorize(call.ctx, caller, 's3:GetObject', objectArn(bucket, key));
  const store = objectStore(call.ctx);
  const current = store.get(key);
  const guard = new WriteGuard(call, caller, conditions, versionOf(current));
  guard.check(current);
  const body = await receiveBody(call, caller, MAX_PUT_BYTES);
  const object: StoredObject = {
    key,
    size: body.size,
    etag: `"${body.md5Hex}"`,
    lastModified: call.ctx.clock.date().toISOString(),
    blob: await store.adopt(body.tempPath),
    headers: representationHeaders(call.req.headers),
    metadata: userMetadata(call.req.headers),
  };
  commitNew(store, object, guard.check);
  send(call, 200, { etag: object.etag, 'x-amz-server-side-encryption': 'AES256' });
}

/** DeleteObject: 204 whether or not the key existed (unversioned bucket). */
export async function deleteObject(call: S3Call, caller: Caller): Promise<void> {
  const { bucket, key } = call.target;
  authorize(call.ctx, caller, 's3:DeleteObject', objectArn(bucket, key));
  objectStore(call.ctx).delete(key);
  send(call, 204);
}

/** Copy buffer for {@link copyBody}. */
const COPY_CHUNK_BYTES = 1024 * 1024;

/** Writes `size` bytes of `body` to a new file at `target`, showing each chunk to `onChunk` first. */
async function writeBody(body: BodyReader, size: number, target: string, onChunk: (chunk: Buffer) => void): Promise<void> {
  const output = await fs.promises.open(target, 'w');
  const buffer = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
  try {
    for (let position = 0; position < size; ) {
      const bytesRead = await body.read(buffer, buffer.length, position);
      if (bytesRead === 0) throw new Error('object body ended early');
      const chunk = buffer.subarray(0, bytesRead);
      onChunk(chunk);
      for (let written = 0; written < bytesRead; ) written += (await output.write(chunk, written)).bytesWritten;
      position += bytesRead;
    }
  } finally {
    await output.close();
  }
}

/** Copies an object's body (every segment) into a new file while computing its MD5 (a copy's ETag is always a plain MD5). */
async function copyBody(call: S3Call, source: StoredObject): Promise<{ tempPath: string; md5Hex: string }> {
  const store = objectStore(call.ctx);
  let body: BodyReader;
  try {
    body = await store.openBody(source);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw s3Errors.noSuchKey(source.key);
    throw error;
  }
  const tempPath = await store.tempFile();
  const md5 = createHash('md5');
  try {
    await writeBody(body, source.size, tempPath, (chunk) => md5.update(chunk));
  } catch (error) {
    await fs.promises.rm(tempPath, { force: true });
    throw error;
  } finally {
    await body.close();
  }
  return { tempPath, md5Hex: md5.digest('hex') };
}

/**
 * s3:PutObject on a copy's destination. AWS documents that a policy enforcing conditional
 * writes stops copies into its prefix: 403 without a conditional header, 501 NotImplemented with
 * one. So a copy is authorized without the s3:if-none-match / s3:if-match keys, and one that
 * only those keys would have let through is answered 501.
 */
function authorizeCopyDestination(call: S3Call, caller: Caller, conditions: WriteConditions, copySource: string): void {
  const destination = objectArn(call.target.bucket, call.target.key);
  const keys = { ...writeConditionKeys({}, true), 's3:x-amz-copy-source': copySource };
  if (isAllowed(call.ctx, caller, 's3:PutObject', destination, keys)) return;
  const withConditions = { ...keys, ...writeConditionKeys(conditions, true) };
  if (isConditional(conditions) && isAllowed(call.ctx, caller, 's3:PutObject', destination, withConditions)) {
    throw s3Errors.notImplemented(conditions.ifNoneMatch === undefined ? 'If-Match' : 'If-None-Match');
  }
  throw s3Errors.accessDenied();
}

/**
 * CopyObject: needs s3:GetObject on the source and s3:PutObject on the destination; source
 * conditions (`x-amz-copy-source-if-*`) and destination conditions (`If-None-Match: *`,
 * `If-Match`) as S3 applies them, the destination's checked again atomically with the commit.
 * Every check S3 makes before it starts copying is answered with its own status; the copy itself
 * is answered as S3 answers it ({@link answerWhileCopying}: 200 at once, whitespace while the bytes
 * are copied, then CopyObjectResult, or the error document inside the 200 when the copy fails
 * after it started, e.g. PreconditionFailed when another write took the key meanwhile).
 * Counted as `s3:CopyObject` in `/_local/stats`.
 */
export async function copyObject(call: S3Call, caller: Caller, copySource: string): Promise<void> {
  call.ctx.countRequest('s3:CopyObject');
  const { bucket, key } = call.target;
  const source = parseCopySource(copySource);
  if (source.bucket !== call.ctx.config.bucket) throw s3Errors.noSuchBucket(source.bucket);
  const conditions = writeConditions(call.req.headers);
  authorize(call.ctx, caller, 's3:GetObject', objectArn(source.bucket, source.key));
  authorizeCopyDestination(call, caller, conditions, copySource);
  if (conditions.ifMatch !== undefined) authorize(call.ctx, caller, 's3:GetObject', objectArn(bucket, key));
  const store = objectStore(call.ctx);
  const original = store.get(source.key);
  if (!original) throw missingObject(call, caller, source.key);
  checkCopySource(call.req.headers, original);
  const replace = headerValue(call.req.headers, 'x-amz-metadata-directive') === 'REPLACE';
  if (source.key === key && !replace) {
    throw s3Errors.invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const current = store.get(key);
  const guard = new WriteGuard(call, caller, conditions, versionOf(current));
  guard.check(current);
  const headers = replace ? representationHeaders(call.req.headers) : { ...original.headers };
  const metadata = replace ? userMetadata(call.req.headers) : { ...original.metadata };
  await answerWhileCopying(call, async () => {
    const { tempPath, md5Hex } = await copyBody(call, original);
    const object: StoredObject = {
      key,
      size: original.size,
      etag: `"${md5Hex}"`,
      lastModified: call.ctx.clock.date().toISOString(),
      blob: await store.adopt(tempPath),
      headers,
      metadata,
    };
    // The destination's conditions are checked again here, in one step with the commit: a write
    // that took the key while the bytes were copied makes this copy fail (inside the 200).
    commitNew(store, object, guard.check);
    return xmlDocument('CopyObjectResult', [
      ['LastModified', object.lastModified],
      ['ETag', object.etag],
    ]);
  });
}
