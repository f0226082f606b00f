import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { authorize, type Caller, objectArn } from './auth.ts';
import { readSmallBody, receiveBody } from './body.ts';
import { type S3Call, send, sendXml } from './call.ts';
import { versionOf, WriteGuard, writeConditionKeys, writeConditions } from './conditions.ts';
import { MAX_PUT_BYTES, MIN_PART_BYTES, S3Error, s3Errors } from './errors.ts';
import { representationHeaders, userMetadata } from './objects.ts';
import { queryValue, uriEncode } from './request.ts';
import { type MultipartUpload, objectStore, type StoredPart } from './store.ts';
import { listOf, parseXmlBody, textOf, xmlDocument } from './xml.ts';

const MAX_PART_NUMBER = 10_000;

/** The upload `uploadId` for this request's key, or NoSuchUpload. */
export function findUpload(call: S3Call, uploadId: string): MultipartUpload {
  const upload = objectStore(call.ctx).upload(uploadId);
  if (!upload || upload.key !== call.target.key) throw s3Errors.noSuchUpload(uploadId);
  return upload;
}

function bare(etag: string): string {
  return etag.trim().replace(/^"|"$/g, '');
}

/** CreateMultipartUpload (`POST ?uploads`): records the upload with the object's future headers. */
export async function createMultipartUpload(call: S3Call, caller: Caller): Promise<void> {
  const { bucket, key } = call.target;
  authorize(call.ctx, caller, 's3:PutObject', objectArn(bucket, key), writeConditionKeys({}, false));
  const store = objectStore(call.ctx);
  const upload: MultipartUpload = {
    uploadId: randomBytes(48).toString('base64url'),
    key,
    initiated: call.ctx.clock.date().toISOString(),
    headers: representationHeaders(call.req.headers),
    metadata: userMetadata(call.req.headers),
    parts: {},
    baseline: versionOf(store.get(key)),
  };
  store.saveUpload(upload);
  const xml = xmlDocument('InitiateMultipartUploadResult', [
    ['Bucket', bucket],
    ['Key', key],
    ['UploadId', upload.uploadId],
  ]);
  sendXml(call, 200, xml, { 'x-amz-server-side-encryption': 'AES256' });
}

/** The `partNumber` query parameter of UploadPart / UploadPartCopy: 1..10000, else InvalidArgument. */
export function partNumberOf(partNumberText: string): number {
  const partNumber = Number(partNumberText);
  if (!/^\d+$/.test(partNumberText) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw s3Errors.invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', partNumberText);
  }
  return partNumber;
}

/**
 * Makes the body file at `tempPath` part `partNumber` of the upload (a part of that number sent
 * before is replaced and its file removed) and returns it. When the upload ended (completed or
 * aborted) while the body was on its way, the file is removed and the answer is NoSuchUpload.
 * The file is removed on any failure.
 */
export async function savePart(
  call: S3Call,
  uploadId: string,
  partNumber: number,
  body: { tempPath: string; md5Hex: string; size: number },
): Promise<StoredPart> {
  const store = objectStore(call.ctx);
  let blob: string;
  try {
    blob = await store.adopt(body.tempPath);
  } catch (error) {
    await fs.promises.rm(body.tempPath, { force: true });
    throw error;
  }
  // From here on nothing awaits: the upload is looked up and changed in one step.
  const upload = store.upload(uploadId);
  if (!upload || upload.key !== call.target.key) {
    store.discard(blob);
    throw s3Errors.noSuchUpload(uploadId);
  }
  const part: StoredPart = {
    partNumber,
    etag: `"${body.md5Hex}"`,
    size: body.size,
    lastModified: call.ctx.clock.date().toISOString(),
    blob,
  };
  const previous = upload.parts[String(partNumber)];
  upload.parts[String(partNumber)] = part;
  store.saveUpload(upload);
  if (previous) store.discard(previous.blob);
  return part;
}

/** UploadPart (`PUT ?partNumber&uploadId`): streams the part to disk; a re-sent part number replaces the old one. */
export async function uploadPart(call: S3Call, caller: Caller, uploadId: string, partNumberText: string): Promise<void> {
  const { bucket, key } = call.target;
  const partNumber = partNumberOf(partNumberText);
  authorize(call.ctx, caller, 's3:PutObject', objectArn(bucket, key), writeConditionKeys({}, false));
  findUpload(call, uploadId);
  const body = await receiveBody(call, caller, MAX_PUT_BYTES);
  const part = await savePart(call, uploadId, partNumber, body);
  send(call, 200, { etag: part.etag, 'x-amz-server-side-encryption': 'AES256' });
}

/** The parts a CompleteMultipartUpload body lists, validated against the upload (order, ETags, sizes). */
function chosenParts(upload: MultipartUpload, body: Buffer): StoredPart[] {
  const document = parseXmlBody(body).CompleteMultipartUpload;
  const listed = listOf(document, 'Part');
  if (listed.length === 0) throw s3Errors.malformedXml();
  const parts: StoredPart[] = [];
  let previousNumber = 0;
  for (const item of listed) {
    const numberText = textOf(item, 'PartNumber')?.trim() ?? '';
    const etag = textOf(item, 'ETag') ?? '';
    const partNumber = Number(numberText);
    if (!/^\d+$/.test(numberText)) throw s3Errors.malformedXml();
    if (partNumber <= previousNumber) throw s3Errors.invalidPartOrder(upload.uploadId);
    previousNumber = partNumber;
    const part = upload.parts[String(partNumber)];
    if (!part || bare(part.etag) !== bare(etag)) throw s3Errors.invalidPart(upload.uploadId, partNumber, etag);
    parts.push(part);
  }
  parts.forEach((part, index) => {
    if (index < parts.length - 1 && part.size < MIN_PART_BYTES)
      throw s3Errors.entityTooSmall(part.size, part.partNumber, part.etag);
  });
  return parts;
}

/**
 * CompleteMultipartUpload (`POST ?uploadId`): the listed parts become the object's body, in
 * order, without moving their bytes (their files become its segments).
 * ETag = `"<md5 of the concatenated binary part MD5s>-<part count>"`, as S3 computes it.
 * `If-None-Match: *` / `If-Match` are checked atomically with the commit. A 412 (or 404) leaves
 * the upload as it was, to be completed or aborted later; a 409 (the key changed since the
 * upload began) ends it, as S3 then asks for a new upload.
 */
export async function completeMultipartUpload(call: S3Call, caller: Caller, uploadId: string): Promise<void> {
  const { bucket, key } = call.target;
  const conditions = writeConditions(call.req.headers);
  authorize(call.ctx, caller, 's3:PutObject', objectArn(bucket, key), writeConditionKeys(conditions, true));
  // S3: a write conditional on the ETag also needs s3:GetObject.
  if (conditions.ifMatch !== undefined) authorize(call.ctx, caller, 's3:GetObject', objectArn(bucket, key));
  findUpload(call, uploadId);
  const body = await readSmallBody(call, caller, 4 * 1024 * 1024);
  // From here to the commit nothing awaits: the upload, its parts and the key are read and
  // written in one step, so a concurrent Complete, UploadPart or write cannot slip in between.
  const upload = findUpload(call, uploadId);
  const parts = chosenParts(upload, body);
  const store = objectStore(call.ctx);
  const segments = parts.map((part) => ({ blob: part.blob, size: part.size }));
  const digest = createHash('md5');
  for (const part of parts) digest.update(Buffer.from(bare(part.etag), 'hex'));
  const etag = `"${digest.digest('hex')}-${parts.length}"`;
  const lastModified = call.ctx.clock.date().toISOString();
  const size = parts.reduce((total, part) => total + part.size, 0);
  const guard = new WriteGuard(call, caller, conditions, upload.baseline);
  const object = {
    key,
    size,
    etag,
    lastModified,
    blob: segments[0]?.blob ?? '',
    segments,
    headers: upload.headers,
    metadata: upload.metadata,
  };
  try {
    store.commit(object, guard.check);
  } catch (error) {
    if (error instanceof S3Error && error.code === 'ConditionalRequestConflict') store.endUpload(upload);
    throw error;
  }
  store.endUpload(upload, new Set(segments.map((segment) => segment.blob)));
  const location = `${call.ctx.config.origin}/${bucket}/${key.split('/').map(uriEncode).join('/')}`;
  const xml = xmlDocument('CompleteMultipartUploadResult', [
    ['Location', location],
    ['Bucket', bucket],
    ['Key', key],
    ['ETag', etag],
  ]);
  sendXml(call, 200, xml, { 'x-amz-server-side-encryption': 'AES256' });
}

/** AbortMultipartUpload (`DELETE ?uploadId`): 204, parts discarded. */
export async function abortMultipartUpload(call: S3Call, caller: Caller, uploadId: string): Promise<void> {
  const { bucket, key } = call.target;
  authorize(call.ctx, caller, 's3:AbortMultipartUpload', objectArn(bucket, key));
  objectStore(call.ctx).endUpload(findUpload(call, uploadId));
  send(call, 204);
}

/** ListParts (`GET ?uploadId`): parts in number order, `max-parts` (≤ 1000) per page after `part-number-marker`. */
export async function listParts(call: S3Call, caller: Caller, uploadId: string): Promise<void> {
  const { bucket, key } = call.target;
  authorize(call.ctx, caller, 's3:ListMultipartUploadParts', objectArn(bucket, key));
  const upload = findUpload(call, uploadId);
  const maxText = queryValue(call.query, 'max-parts') ?? '1000';
  const markerText = queryValue(call.query, 'part-number-marker') ?? '0';
  if (!/^\d+$/.test(maxText))
    throw s3Errors.invalidArgument('Provided max-parts not an integer or within integer range', 'max-parts', maxText);
  if (!/^\d+$/.test(markerText)) {
    throw s3Errors.invalidArgument(
      'Provided part-number-marker not an integer or within integer range',
      'part-number-marker',
      markerText,
    );
  }
  const maxParts = Math.min(Number(maxText), 1000);
  const all = Object.values(upload.parts)
    .filter((part) => part.partNumber > Number(markerText))
    .sort((a, b) => a.partNumber - b.partNumber);
  const page = all.slice(0, maxParts);
  const truncated = all.length > page.length;
  const xml = xmlDocument('ListPartsResult', [
    ['Bucket', bucket],
    ['Key', key],
    ['UploadId', uploadId],
    ['StorageClass', 'STANDARD'],
    ['PartNumberMarker', Number(markerText)],
    ['NextPartNumberMarker', page.at(-1)?.partNumber ?? 0],
    ['MaxParts', maxParts],
    ['IsTruncated', truncated],
    ...page.map(
      (part) =>
        [
          'Part',
          [
            ['PartNumber', part.partNumber],
            ['LastModified', part.lastModified],
            ['ETag', part.etag],
            ['Size', part.size],
          ],
        ] as const,
    ),
  ]);
  sendXml(call, 200, xml);
}
