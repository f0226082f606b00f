import { bucketAcl, checkUploadAcl, objectAcl } from './acl.ts';
import type { Caller } from './auth.ts';
import { deleteObjects, getBucketLocation, headBucket } from './bucket.ts';
import type { S3Call } from './call.ts';
import { s3Errors } from './errors.ts';
import { LIST_V1_PARAMETERS, listObjects, listObjectsV2 } from './listing.ts';
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, listParts, uploadPart } from './multipart.ts';
import { copyObject, deleteObject, putObject } from './objects.ts';
import { uploadPartCopy } from './part-copy.ts';
import { getObject } from './read.ts';
import { hasQuery, headerValue, queryValue, validateKey } from './request.ts';

/** Sub-resources of real S3 the emulator does not serve (answered NotImplemented, never misrouted). */
const UNSUPPORTED = [
  'tagging',
  'attributes',
  'legal-hold',
  'retention',
  'torrent',
  'restore',
  'select',
  'versionId',
  'versions',
  'policy',
  'cors',
  'lifecycle',
  'website',
  'encryption',
];

/** A bucket GET carrying only ListObjects (v1) parameters (and presigning ones) is a v1 listing. */
function isListV1(call: S3Call): boolean {
  return call.query.every(([name]) => LIST_V1_PARAMETERS.includes(name) || name.startsWith('X-Amz-'));
}

async function routeBucket(call: S3Call, caller: Caller): Promise<void> {
  if (hasQuery(call.query, 'acl')) return bucketAcl(call, caller);
  switch (call.method) {
    case 'GET':
      if (queryValue(call.query, 'list-type') === '2') return listObjectsV2(call, caller);
      if (hasQuery(call.query, 'location')) return getBucketLocation(call, caller);
      if (isListV1(call)) return listObjects(call, caller);
      throw s3Errors.notImplemented();
    case 'HEAD':
      return headBucket(call, caller);
    case 'POST':
      if (hasQuery(call.query, 'delete')) return deleteObjects(call, caller);
      throw s3Errors.notImplemented();
    case 'PUT':
    case 'DELETE':
      // Bucket administration is never granted to Identity Pool roles.
      throw s3Errors.accessDenied();
    default:
      throw s3Errors.methodNotAllowed(call.method, 'BUCKET', 'GET, HEAD, POST, PUT, DELETE');
  }
}

async function routeObject(call: S3Call, caller: Caller): Promise<void> {
  validateKey(call.target.key);
  const uploadId = queryValue(call.query, 'uploadId');
  const copySource = headerValue(call.req.headers, 'x-amz-copy-source');
  if (hasQuery(call.query, 'acl')) return objectAcl(call, caller);
  if ((call.method === 'PUT' && uploadId === undefined) || (call.method === 'POST' && hasQuery(call.query, 'uploads'))) {
    checkUploadAcl(call, caller);
  }
  switch (call.method) {
    case 'PUT': {
      const partNumber = queryValue(call.query, 'partNumber');
      if (uploadId !== undefined && partNumber !== undefined) {
        if (copySource !== undefined) return uploadPartCopy(call, caller, uploadId, partNumber, copySource);
        return uploadPart(call, caller, uploadId, partNumber);
      }
      if (copySource !== undefined) return copyObject(call, caller, copySource);
      return putObject(call, caller);
    }
    case 'GET':
      if (uploadId !== undefined) return listParts(call, caller, uploadId);
      return getObject(call, caller);
    case 'HEAD':
      return getObject(call, caller);
    case 'DELETE':
      if (uploadId !== undefined) return abortMultipartUpload(call, caller, uploadId);
      return deleteObject(call, caller);
    case 'POST':
      if (hasQuery(call.query, 'uploads')) return createMultipartUpload(call, caller);
      if (uploadId !== undefined) return completeMultipartUpload(call, caller, uploadId);
      throw s3Errors.notImplemented();
    default:
      throw s3Errors.methodNotAllowed(call.method, 'OBJECT', 'GET, HEAD, PUT, POST, DELETE');
  }
}

/**
 * Routes an authenticated request to its S3 operation by method, path (bucket or object) and
 * sub-resource query parameters. `GET /` (ListBuckets) is denied: the roles grant no
 * s3:ListAllMyBuckets.
 */
export async function route(call: S3Call, caller: Caller): Promise<void> {
  if (call.query.some(([name]) => UNSUPPORTED.includes(name))) throw s3Errors.notImplemented();
  if (call.target.bucket === '') throw s3Errors.accessDenied();
  if (call.target.key === '') return routeBucket(call, caller);
  return routeObject(call, caller);
}
