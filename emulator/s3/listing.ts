import { OWNER_ID } from './acl.ts';
import { authorize, bucketArn, type Caller } from './auth.ts';
import { type S3Call, sendXml } from './call.ts';
import { s3Errors } from './errors.ts';
import { type ListPage, listPage } from './list.ts';
import { queryValue } from './request.ts';
import { objectStore } from './store.ts';
import { type XmlNode, xmlDocument } from './xml.ts';

/** S3's default and largest page size (ListObjects max-keys, DeleteObjects batch). */
export const MAX_KEYS = 1000;

/** Query parameters of ListObjects (v1); any other parameter on a bucket GET is a sub-resource. */
export const LIST_V1_PARAMETERS = ['prefix', 'delimiter', 'marker', 'max-keys', 'encoding-type'];

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

/** What both list versions share: parameters, authorisation, the page and the encoding. */
interface Listing {
  bucket: string;
  prefix: string | undefined;
  delimiter: string;
  encodingType: string | undefined;
  maxKeys: number;
  page: ListPage;
  encode: (value: string) => string;
}

/**
 * Reads the common parameters, authorises s3:ListBucket with the s3:prefix, s3:delimiter and
 * s3:max-keys condition keys, and reads one page after `marker`.
 */
function list(call: S3Call, caller: Caller, marker: string, continuationToken?: string): Listing {
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
  const maxKeys = Math.min(requestedMax, MAX_KEYS);
  const page = listPage(objectStore(call.ctx).keys, {
    prefix: prefix ?? '',
    delimiter,
    maxKeys,
    startAfter: marker,
    continuationToken,
  });
  const encode = encodingType === 'url' ? urlEncodeKey : (value: string) => value;
  return { bucket, prefix, delimiter, encodingType, maxKeys, page, encode };
}

/** `<Contents>` for each listed key still present; `Owner` when asked for (v2) or always (v1). */
function contentsOf(call: S3Call, listing: Listing, withOwner: boolean): XmlNode[] {
  const store = objectStore(call.ctx);
  return listing.page.keys.flatMap((key) => {
    const object = store.get(key);
    if (!object) return [];
    const node: XmlNode = [
      'Contents',
      [
        ['Key', listing.encode(key)],
        // S3 lists whole seconds (…:30.000Z), as HeadObject's Last-Modified date has them.
        ['LastModified', object.lastModified.replace(/\.\d{3}Z$/, '.000Z')],
        ['ETag', object.etag],
        ['Size', object.size],
        ['Owner', withOwner ? [['ID', OWNER_ID]] : undefined],
        ['StorageClass', 'STANDARD'],
      ],
    ];
    return [node];
  });
}

function commonPrefixesOf(listing: Listing): XmlNode[] {
  return listing.page.commonPrefixes.map(
    (commonPrefix): XmlNode => ['CommonPrefixes', [['Prefix', listing.encode(commonPrefix)]]],
  );
}

/**
 * ListObjectsV2 (`GET /bucket?list-type=2`): `start-after`, `continuation-token`,
 * `fetch-owner`, `encoding-type=url`; XML exactly as S3's (§7.5).
 */
export async function listObjectsV2(call: S3Call, caller: Caller): Promise<void> {
  const continuationToken = queryValue(call.query, 'continuation-token');
  const startAfter = queryValue(call.query, 'start-after');
  const listing = list(call, caller, startAfter ?? '', continuationToken);
  const { encode, page } = listing;
  const contents = contentsOf(call, listing, queryValue(call.query, 'fetch-owner') === 'true');
  const xml = xmlDocument('ListBucketResult', [
    ['Name', listing.bucket],
    ['Prefix', encode(listing.prefix ?? '')],
    ['ContinuationToken', continuationToken],
    ['NextContinuationToken', page.nextContinuationToken],
    ['KeyCount', contents.length + page.commonPrefixes.length],
    ['MaxKeys', listing.maxKeys],
    ['Delimiter', listing.delimiter === '' ? undefined : encode(listing.delimiter)],
    ['EncodingType', listing.encodingType],
    ['IsTruncated', page.isTruncated],
    ['StartAfter', startAfter === undefined ? undefined : encode(startAfter)],
    ...contents,
    ...commonPrefixesOf(listing),
  ]);
  sendXml(call, 200, xml);
}

/**
 * ListObjects, version 1 (`GET /bucket` with `marker`): what `aws s3api list-objects`, rclone's
 * `list_version = 1` and older SDKs send. Keys after `marker`; every entry carries its Owner;
 * `NextMarker` only when a delimiter was given and the page is truncated (S3 documents that
 * clients otherwise continue from the last Key).
 */
export async function listObjects(call: S3Call, caller: Caller): Promise<void> {
  const marker = queryValue(call.query, 'marker') ?? '';
  const listing = list(call, caller, marker);
  const { encode, page } = listing;
  const nextMarker = listing.delimiter !== '' && page.isTruncated ? page.nextMarker : undefined;
  const xml = xmlDocument('ListBucketResult', [
    ['Name', listing.bucket],
    ['Prefix', encode(listing.prefix ?? '')],
    ['Marker', encode(marker)],
    ['NextMarker', nextMarker === undefined ? undefined : encode(nextMarker)],
    ['MaxKeys', listing.maxKeys],
    ['Delimiter', listing.delimiter === '' ? undefined : encode(listing.delimiter)],
    ['EncodingType', listing.encodingType],
    ['IsTruncated', page.isTruncated],
    ...contentsOf(call, listing, true),
    ...commonPrefixesOf(listing),
  ]);
  sendXml(call, 200, xml);
}
