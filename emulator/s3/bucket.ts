import { createHash } from 'node:crypto';
import { authorize, bucketArn, type Caller, isAllowed, objectArn } from './auth.ts';
import { readSmallBody } from './body.ts';
import { type S3Call, send, sendXml } from './call.ts';
import { s3Errors } from './errors.ts';
import { listPage } from './list.ts';
import { headerValue, MAX_KEY_BYTES, queryValue } from './request.ts';
import { objectStore } from './store.ts';
import { listOf, parseXmlBody, textOf, type XmlNode, xmlDocument } from './xml.ts';

/** S3's default and largest page size (ListObjectsV2 max-keys, DeleteObjects batch). */
export const MAX_KEYS = 1000;
/** The bucket owner's canonical id (ListObjectsV2 `fetch-owner=true`). */
const OWNER_ID = createHash('sha256').update('cubby-local-owner').digest('hex');

/** `encoding-type=url`: S3's form encoding of keys and prefixes (`/` kept, space as `+`). */
export function urlEncodeKey(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, '/').replace(/%20/g, '+');
}

function integerParam(call: S3Call, name: string, fallback: number): number {
  const text = queryValue(call.query, name);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) > 2 ** 31 - 1) {
    throw s3Errors.invalidArgument(`Provided ${name} not an integer or within integer range`, name, text);
  }
  return Number(text);
}

/**
 * ListObjectsV2 (`GET /bucket?list-type=2`): authorised as s3:ListBucket on the bucket with the
 * s3:prefix, s3:delimiter and s3:max-keys condition keys; XML exactly as S3's (§7.5).
 */
export async function listObjectsV2(call: S3Call, caller: Caller): Promise<void> {
  const { bucket } = call.target;
  const prefix = queryValue(call.query, 'prefix');
  const delimiter = queryValue(call.query, 'delimiter') ?? '';
  const encodingType = queryValue(call.query, 'encoding-type');
  if (encodingType !== undefined && encodingType !== 'url') {
    throw s3Errors.invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  }
  const requestedMax = integerParam(call, 'max-keys', MAX_KEYS);
  const context: Record<string, string> = { 's3:max-keys': String(requestedMax) };
  if (prefix !== undefined) context['s3:prefix'] = prefix;
  if (queryValue(call.query, 'delimiter') !== undefined) context['s3:delimiter'] = delimiter;
  authorize(call.ctx, caller, 's3:ListBucket', bucketArn(bucket), context);

  const store = objectStore(call.ctx);
  const maxKeys = Math.min(requestedMax, MAX_KEYS);
  const continuationToken = queryValue(call.query, 'continuation-token');
  const startAfter = queryValue(call.query, 'start-after');
  const page = listPage(store.keys, {
    prefix: prefix ?? '',
    delimiter,
    maxKeys,
    startAfter: startAfter ?? '',
    continuationToken,
  });
  const encode = encodingType === 'url' ? urlEncodeKey : (value: string) => value;
  const fetchOwner = queryValue(call.query, 'fetch-owner') === 'true';
  const contents: XmlNode[] = page.keys.flatMap((key) => {
    const object = store.get(key);
    if (!object) return [];
    const node: XmlNode = [
      'Contents',
      [
        ['Key', encode(key)],
        ['LastModified', object.lastModified],
        ['ETag', object.etag],
        ['Size', object.size],
        ['Owner', fetchOwner ? [['ID', OWNER_ID]] : undefined],
        ['StorageClass', 'STANDARD'],
      ],
    ];
    return [node];
  });
  const xml = xmlDocument('ListBucketResult', [
    ['Name', bucket],
    ['Prefix', encode(prefix ?? '')],
    ['ContinuationToken', continuationToken],
    ['NextContinuationToken', page.nextContinuationToken],
    ['KeyCount', contents.length + page.commonPrefixes.length],
    ['MaxKeys', maxKeys],
    ['Delimiter', delimiter === '' ? undefined : encode(delimiter)],
    ['EncodingType', encodingType],
    ['IsTruncated', page.isTruncated],
    ['StartAfter', startAfter === undefined ? undefined : encode(startAfter)],
    ...contents,
    ...page.commonPrefixes.map((commonPrefix): XmlNode => ['CommonPrefixes', [['Prefix', encode(commonPrefix)]]]),
  ]);
  sendXml(call, 200, xml);
}

/**
 * DeleteObjects (`POST /bucket?delete`): up to 1000 keys, each authorised on its own
 * (s3:DeleteObject); refused keys are reported as AccessDenied errors. Quiet mode reports
 * errors only. Like S3, requires Content-MD5 or a flexible checksum header.
 */
export async function deleteObjects(call: S3Call, caller: Caller): Promise<void> {
  const { headers } = call.req;
  const hasDigest =
    headerValue(headers, 'content-md5') !== undefined || Object.keys(headers).some((name) => name.startsWith('x-amz-checksum-'));
  if (!hasDigest) throw s3Errors.invalidRequest('Missing required header for this request: Content-MD5 OR x-amz-checksum-*');
  const document = parseXmlBody(await readSmallBody(call, caller, 2 * 1024 * 1024)).Delete;
  const objects = listOf(document, 'Object');
  if (objects.length === 0 || objects.length > MAX_KEYS) throw s3Errors.malformedXml();
  const quiet = textOf(document, 'Quiet')?.trim() === 'true';
  const store = objectStore(call.ctx);
  const results: XmlNode[] = [];
  for (const item of objects) {
    const key = textOf(item, 'Key');
    if (key === undefined) throw s3Errors.malformedXml();
    if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
      results.push([
        'Error',
        [
          ['Key', key],
          ['Code', 'KeyTooLongError'],
          ['Message', 'Your key is too long'],
        ],
      ]);
    } else if (!isAllowed(call.ctx, caller, 's3:DeleteObject', objectArn(call.target.bucket, key))) {
      results.push([
        'Error',
        [
          ['Key', key],
          ['Code', 'AccessDenied'],
          ['Message', 'Access Denied'],
        ],
      ]);
    } else {
      store.delete(key);
      if (!quiet) results.push(['Deleted', [['Key', key]]]);
    }
  }
  sendXml(call, 200, xmlDocument('DeleteResult', results));
}

/** HeadBucket: 200 with the bucket's region for callers allowed s3:ListBucket. */
export async function headBucket(call: S3Call, caller: Caller): Promise<void> {
  authorize(call.ctx, caller, 's3:ListBucket', bucketArn(call.target.bucket));
  send(call, 200, { 'x-amz-bucket-region': call.ctx.config.region });
}
