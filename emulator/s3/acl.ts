import { createHash } from 'node:crypto';
import { authorize, bucketArn, type Caller, objectArn } from './auth.ts';
import { readSmallBody } from './body.ts';
import { type S3Call, send, sendXml } from './call.ts';
import { S3Error, s3Errors } from './errors.ts';
import { missingObject } from './objects.ts';
import { headerValue } from './request.ts';
import { objectStore } from './store.ts';
import { escapeXml, parseXmlBody, S3_NAMESPACE } from './xml.ts';

/**
 * The bucket's Object Ownership is "bucket owner enforced" (ACLs disabled), S3's default for
 * new buckets and what the deployment stack sets: the bucket owner owns every object, ACLs
 * grant nothing, and a request may only carry an ACL that gives the bucket owner full control
 * and nobody else anything. The Identity Pool roles belong to the bucket owner's account, so
 * the owner-only canned ACLs (`private`, `bucket-owner-full-control`, `bucket-owner-read`) are
 * accepted and ignored; any other ACL is refused with AccessControlListNotSupported.
 */

/** The bucket owner's canonical user id (Owner elements, `x-amz-grant-*: id=…`). */
export const OWNER_ID = createHash('sha256').update('cubby-local-owner').digest('hex');

/** Every canned ACL S3 knows (`x-amz-acl`). */
export const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'aws-exec-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
  'log-delivery-write',
] as const;

/** Canned ACLs that, written by the bucket owner's account, grant only the bucket owner. */
const OWNER_ONLY_CANNED: readonly string[] = ['private', 'bucket-owner-read', 'bucket-owner-full-control'];

/** The explicit-grant headers of PutObject, CopyObject, CreateMultipartUpload and Put*Acl. */
export const GRANT_HEADERS = [
  'x-amz-grant-read',
  'x-amz-grant-write',
  'x-amz-grant-read-acp',
  'x-amz-grant-write-acp',
  'x-amz-grant-full-control',
] as const;

export function aclNotSupported(): S3Error {
  return new S3Error('AccessControlListNotSupported', 400, 'The bucket does not allow ACLs');
}

/** True when every grantee of a `x-amz-grant-*` value (`id="…", uri="…"`) is the bucket owner. */
function grantsOnlyOwner(value: string): boolean {
  return value
    .split(',')
    .map((grantee) => grantee.trim())
    .every((grantee) => {
      const match = /^id\s*=\s*"?([^"]*)"?$/i.exec(grantee);
      return match?.[1] === OWNER_ID;
    });
}

/**
 * The ACL a request carries in its headers: none, or whether it grants only the bucket owner.
 * Throws InvalidArgument for an unknown canned ACL and InvalidRequest for a canned ACL together
 * with grant headers, as S3 does before looking at the bucket.
 */
export function requestAcl(headers: NodeJS.Dict<string | string[]>): 'none' | 'owner-only' | 'other' {
  const canned = headerValue(headers, 'x-amz-acl');
  const grants = GRANT_HEADERS.flatMap((name) => {
    const value = headerValue(headers, name);
    return value === undefined ? [] : [value];
  });
  if (canned === undefined && grants.length === 0) return 'none';
  if (canned !== undefined && !(CANNED_ACLS as readonly string[]).includes(canned)) {
    throw s3Errors.invalidArgument('', 'x-amz-acl', canned);
  }
  if (canned !== undefined && grants.length > 0) {
    throw s3Errors.invalidRequest('Specifying both Canned ACLs and Header Grants is not allowed');
  }
  if (canned !== undefined) return OWNER_ONLY_CANNED.includes(canned) ? 'owner-only' : 'other';
  return grants.every(grantsOnlyOwner) ? 'owner-only' : 'other';
}

/**
 * For requests that create an object (PutObject, CopyObject, CreateMultipartUpload): refuses an
 * ACL other than the bucket owner's with AccessControlListNotSupported, after checking that the
 * caller may write the key at all (so a refused key still answers AccessDenied).
 */
export function checkUploadAcl(call: S3Call, caller: Caller): void {
  if (requestAcl(call.req.headers) !== 'other') return;
  authorize(call.ctx, caller, 's3:PutObject', objectArn(call.target.bucket, call.target.key));
  throw aclNotSupported();
}

/** True when every grant of an AccessControlPolicy document names the bucket owner. */
function policyGrantsOnlyOwner(body: Buffer): boolean {
  const policy = parseXmlBody(body).AccessControlPolicy as { AccessControlList?: { Grant?: unknown } } | undefined;
  const grant = policy?.AccessControlList?.Grant;
  const grants = grant === undefined ? [] : Array.isArray(grant) ? grant : [grant];
  return grants.every((item) => {
    const grantee = (item as { Grantee?: { ID?: unknown } } | undefined)?.Grantee;
    return grantee?.ID === OWNER_ID;
  });
}

/** The only ACL a bucket-owner-enforced bucket or object has: the owner with FULL_CONTROL. */
function ownerPolicyXml(): string {
  const owner = `<ID>${escapeXml(OWNER_ID)}</ID>`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<AccessControlPolicy xmlns="${S3_NAMESPACE}"><Owner>${owner}</Owner><AccessControlList>` +
    `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">${owner}</Grantee>` +
    '<Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>'
  );
}

/** PUT ?acl: headers or an AccessControlPolicy body; only an owner-only ACL is accepted (and changes nothing). */
async function putAcl(call: S3Call, caller: Caller): Promise<void> {
  const fromHeaders = requestAcl(call.req.headers);
  if (fromHeaders === 'other') throw aclNotSupported();
  if (fromHeaders === 'none' && !policyGrantsOnlyOwner(await readSmallBody(call, caller, 64 * 1024))) {
    throw aclNotSupported();
  }
  send(call, 200);
}

/**
 * GetObjectAcl / PutObjectAcl (`?acl` on a key): authorised as s3:GetObjectAcl and
 * s3:PutObjectAcl (which Cubby's roles never grant); reading answers the owner's full control.
 */
export async function objectAcl(call: S3Call, caller: Caller): Promise<void> {
  const { bucket, key } = call.target;
  const action = call.method === 'PUT' ? 's3:PutObjectAcl' : 's3:GetObjectAcl';
  if (call.method !== 'PUT' && call.method !== 'GET') {
    throw s3Errors.methodNotAllowed(call.method, 'OBJECT', 'GET, PUT');
  }
  authorize(call.ctx, caller, action, objectArn(bucket, key));
  if (!objectStore(call.ctx).get(key)) throw missingObject(call, caller, key);
  if (call.method === 'PUT') return putAcl(call, caller);
  sendXml(call, 200, ownerPolicyXml());
}

/** GetBucketAcl / PutBucketAcl (`?acl` on the bucket), authorised as s3:GetBucketAcl / s3:PutBucketAcl. */
export async function bucketAcl(call: S3Call, caller: Caller): Promise<void> {
  if (call.method !== 'PUT' && call.method !== 'GET') {
    throw s3Errors.methodNotAllowed(call.method, 'BUCKET', 'GET, PUT');
  }
  const action = call.method === 'PUT' ? 's3:PutBucketAcl' : 's3:GetBucketAcl';
  authorize(call.ctx, caller, action, bucketArn(call.target.bucket));
  if (call.method === 'PUT') return putAcl(call, caller);
  sendXml(call, 200, ownerPolicyXml());
}
