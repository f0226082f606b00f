import { authorize, bucketArn, type Caller, isAllowed, objectArn } from './auth.ts';
import { readSmallBody } from './body.ts';
import { type S3Call, send, sendXml } from './call.ts';
import { s3Errors } from './errors.ts';
import { MAX_KEYS } from './listing.ts';
import { headerValue, MAX_KEY_BYTES } from './request.ts';
import { objectStore } from './store.ts';
import { escapeXml, listOf, parseXmlBody, S3_NAMESPACE, textOf, type XmlNode, xmlDocument } from './xml.ts';

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

/**
 * GetBucketLocation (`GET /bucket?location`), authorised as s3:GetBucketLocation (which Cubby's
 * roles do not grant; clients configured with a region never ask). us-east-1 is an empty
 * LocationConstraint, as S3 answers for buckets there.
 */
export async function getBucketLocation(call: S3Call, caller: Caller): Promise<void> {
  authorize(call.ctx, caller, 's3:GetBucketLocation', bucketArn(call.target.bucket));
  const { region } = call.ctx.config;
  const constraint = region === 'us-east-1' ? '' : escapeXml(region);
  sendXml(
    call,
    200,
    `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_NAMESPACE}">${constraint}</LocationConstraint>`,
  );
}
