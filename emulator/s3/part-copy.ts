import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { authorize, type Caller, objectArn } from './auth.ts';
import { commonHeaders, errorDocument, type S3Call } from './call.ts';
import { checkCopySource, writeConditionKeys } from './conditions.ts';
import { MAX_PUT_BYTES, S3Error, s3Errors } from './errors.ts';
import { findUpload, partNumberOf, savePart } from './multipart.ts';
import { missingObject } from './objects.ts';
import { headerValue, parseCopySource } from './request.ts';
import { type BodyReader, type ObjectStore, objectStore, type StoredObject } from './store.ts';
import { DECLARATION, xmlDocument } from './xml.ts';

/** Bytes of the source an UploadPartCopy copies: `length` bytes from offset `start`. */
export interface CopySpan {
  start: number;
  length: number;
}

const RANGE_HEADER = 'x-amz-copy-source-range';

/**
 * The part of a source of `size` bytes that an UploadPartCopy copies, as S3 reads
 * `x-amz-copy-source-range`: absent, the whole source; else exactly `bytes=first-last`
 * (zero-based, inclusive, both given). A value of another form, or with first > last, is
 * InvalidArgument ("must be of the form bytes=first-last"); a range reaching past the source is
 * InvalidArgument "Range specified is not valid for source object of size: N" (S3 answers 400
 * here, not GetObject's 416 InvalidRange). A part may not exceed 5 GiB: a whole source larger
 * than that is InvalidRequest (CopyObject's wording), a larger range EntityTooLarge.
 */
export function copySpan(header: string | undefined, size: number): CopySpan {
  if (header === undefined) {
    if (size > MAX_PUT_BYTES) {
      throw s3Errors.invalidRequest(
        `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PUT_BYTES}`,
      );
    }
    return { start: 0, length: size };
  }
  const match = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  const first = Number(match?.[1]);
  const last = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(first) || !Number.isSafeInteger(last) || first > last) {
    throw s3Errors.invalidArgument(
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      RANGE_HEADER,
      header,
    );
  }
  if (last >= size) {
    throw s3Errors.invalidArgument(`Range specified is not valid for source object of size: ${size}`, RANGE_HEADER, header);
  }
  const length = last - first + 1;
  if (length > MAX_PUT_BYTES) throw s3Errors.entityTooLarge(length, MAX_PUT_BYTES);
  return { start: first, length };
}

/** Copy buffer: one read of the source, one write of the part. */
const COPY_CHUNK_BYTES = 1024 * 1024;

/** Writes `span` of `body` to `target` (a new file), returning the MD5 of what was written. */
async function writeSpan(body: BodyReader, span: CopySpan, target: string): Promise<string> {
  const md5 = createHash('md5');
  const output = await fs.promises.open(target, 'w');
  const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(COPY_CHUNK_BYTES, span.length)));
  try {
    for (let done = 0; done < span.length; ) {
      // A read stops at the end of the segment (part file) it starts in: the loop goes on in the next.
      const bytesRead = await body.read(buffer, Math.min(buffer.length, span.length - done), span.start + done);
      if (bytesRead === 0) throw new Error('object body ended early');
      const chunk = buffer.subarray(0, bytesRead);
      md5.update(chunk);
      for (let written = 0; written < bytesRead; ) written += (await output.write(chunk, written)).bytesWritten;
      done += bytesRead;
    }
  } finally {
    await output.close();
  }
  return md5.digest('hex');
}

/**
 * Copies `span` of `source`'s body (across its segments, for an object completed from parts)
 * into a new temporary file. The source's files are opened before the first byte is read, so a
 * delete or overwrite of the source meanwhile cannot cut the copy short.
 */
async function copySpanToFile(
  store: ObjectStore,
  source: StoredObject,
  span: CopySpan,
): Promise<{ tempPath: string; md5Hex: string; size: number }> {
  let body: BodyReader;
  try {
    body = await store.openBody(source);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw s3Errors.noSuchKey(source.key);
    throw error;
  }
  const tempPath = await store.tempFile();
  try {
    return { tempPath, md5Hex: await writeSpan(body, span, tempPath), size: span.length };
  } catch (error) {
    await fs.promises.rm(tempPath, { force: true });
    throw error;
  } finally {
    await body.close();
  }
}

/** How often a copy under way sends a space to keep its answer alive. */
const KEEP_ALIVE_MS = 1_000;

/**
 * Answers a copy the way S3 does: once the request is accepted, the 200 status, headers and XML
 * declaration go out at once and a space follows every {@link KEEP_ALIVE_MS} while `work` runs
 * (so a client's request timeout bounds the wait for S3, not the size of the copy); then the
 * document `work` returns or, if the copy fails after it started, S3's error document inside the
 * 200 (AWS: "a 200 OK response can contain either a success or an error"; the SDKs read the body).
 */
export async function answerWhileCopying(call: S3Call, work: () => Promise<string>): Promise<void> {
  const { res } = call;
  res.writeHead(200, { ...commonHeaders(call), 'content-type': 'application/xml', 'x-amz-server-side-encryption': 'AES256' });
  res.write(DECLARATION);
  const timer = setInterval(() => {
    if (!res.destroyed) res.write(' ');
  }, KEEP_ALIVE_MS);
  let document: string;
  try {
    document = await work();
  } catch (caught) {
    if (!(caught instanceof S3Error)) console.error('[emulator] s3 error', call.method, call.target.key, caught);
    const error =
      caught instanceof S3Error
        ? caught
        : new S3Error('InternalError', 500, 'We encountered an internal error. Please try again.');
    document = errorDocument(call, error);
  } finally {
    clearInterval(timer);
  }
  if (!res.destroyed) res.end(document.startsWith(DECLARATION) ? document.slice(DECLARATION.length) : document);
}

/**
 * UploadPartCopy (`PUT ?partNumber&uploadId` with `x-amz-copy-source`): part `partNumber` of the
 * upload becomes a copy of the source object, or of its `x-amz-copy-source-range`. Needs
 * s3:GetObject on the source and s3:PutObject on the destination (with `s3:x-amz-copy-source`,
 * and `s3:ObjectCreationOperation` false: the part creates no object). The source conditions
 * `x-amz-copy-source-if-*` apply as for CopyObject (412); a source version in the header is
 * ignored, as the bucket is unversioned. The copied bytes go to a new part file, so the part is
 * then exactly like an uploaded one (ETag: their MD5; size rules checked at Complete) and stays
 * whole whatever happens to the source afterwards. Every check above is answered with its own
 * status; the copy itself is answered by {@link answerWhileCopying}.
 */
export async function uploadPartCopy(
  call: S3Call,
  caller: Caller,
  uploadId: string,
  partNumberText: string,
  copySource: string,
): Promise<void> {
  const { bucket, key } = call.target;
  const partNumber = partNumberOf(partNumberText);
  const source = parseCopySource(copySource);
  if (source.bucket !== call.ctx.config.bucket) throw s3Errors.noSuchBucket(source.bucket);
  authorize(call.ctx, caller, 's3:GetObject', objectArn(source.bucket, source.key));
  authorize(call.ctx, caller, 's3:PutObject', objectArn(bucket, key), {
    ...writeConditionKeys({}, false),
    's3:x-amz-copy-source': copySource,
  });
  findUpload(call, uploadId);
  const store = objectStore(call.ctx);
  const original = store.get(source.key);
  if (!original) throw missingObject(call, caller, source.key);
  checkCopySource(call.req.headers, original);
  const span = copySpan(headerValue(call.req.headers, RANGE_HEADER), original.size);
  await answerWhileCopying(call, async () => {
    const part = await savePart(call, uploadId, partNumber, await copySpanToFile(store, original, span));
    return xmlDocument('CopyPartResult', [
      ['ETag', part.etag],
      ['LastModified', part.lastModified],
    ]);
  });
}
