import type { IncomingHttpHeaders } from 'node:http';
import type { Caller } from './auth.ts';
import type { S3Call } from './call.ts';
import { s3Errors } from './errors.ts';
import { missingObject } from './objects.ts';
import { etagMatches, seconds } from './read.ts';
import { headerValue } from './request.ts';
import type { StoredObject } from './store.ts';

/**
 * Conditional writes (PutObject, CompleteMultipartUpload, CopyObject's destination), as S3
 * documents them: `If-None-Match: *` writes only if the key has no object (412 otherwise),
 * `If-Match: <etag>` only if the key's object has that ETag (412 otherwise, 404 NoSuchKey when
 * there is none). 409 ConditionalRequestConflict answers a conditional write that no condition
 * refuses but whose key another request changed while it was under way (S3: "a conflicting
 * operation occurs during the upload"), e.g. a delete.
 */
export interface WriteConditions {
  ifNoneMatch?: '*';
  /** As sent: quoted or not (S3 accepts both). */
  ifMatch?: string;
}

/**
 * The write conditions of a request. S3 implements `If-None-Match` with `*` only, and not both
 * headers together: anything else is 501 NotImplemented.
 */
export function writeConditions(headers: IncomingHttpHeaders): WriteConditions {
  const ifNoneMatch = headerValue(headers, 'if-none-match');
  const ifMatch = headerValue(headers, 'if-match');
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') throw s3Errors.notImplemented('If-None-Match');
  if (ifNoneMatch !== undefined && ifMatch !== undefined) throw s3Errors.notImplemented('If-Match');
  return {
    ...(ifNoneMatch === undefined ? {} : { ifNoneMatch: '*' as const }),
    ...(ifMatch === undefined ? {} : { ifMatch }),
  };
}

export function isConditional(conditions: WriteConditions): boolean {
  return conditions.ifNoneMatch !== undefined || conditions.ifMatch !== undefined;
}

/**
 * The condition keys S3 gives IAM for a request authorized as s3:PutObject:
 * `s3:if-none-match` / `s3:if-match` (the header values, absent without the header) and
 * `s3:ObjectCreationOperation` (true for requests that create the object: PutObject,
 * CompleteMultipartUpload, CopyObject; false for CreateMultipartUpload and UploadPart, which
 * take no conditional headers).
 */
export function writeConditionKeys(conditions: WriteConditions, creates: boolean): Record<string, string> {
  return {
    's3:ObjectCreationOperation': String(creates),
    ...(conditions.ifNoneMatch === undefined ? {} : { 's3:if-none-match': conditions.ifNoneMatch }),
    ...(conditions.ifMatch === undefined ? {} : { 's3:if-match': conditions.ifMatch }),
  };
}

/** S3 compares ETags with or without their quotes (even one of them), and `*` matches any. */
function sameEtag(given: string, etag: string): boolean {
  const bare = (value: string) => value.trim().replace(/^"/, '').replace(/"$/, '');
  return bare(given) === '*' || bare(given) === bare(etag);
}

/** Identifies one version of a key's object (every write gets a new body file), or null for none. */
export function versionOf(object: StoredObject | undefined): string | null {
  return object?.blob ?? null;
}

/**
 * A conditional write in progress: `check` is called with the key's object at the start (to
 * fail fast) and again at commit time, inside the store's synchronous check-and-commit.
 * `baseline` is the key's version when the write began (null: no object; undefined: unknown,
 * e.g. a multipart upload recorded by an older emulator), used to tell a conflict (409) from
 * a write that simply goes ahead.
 */
export class WriteGuard {
  private readonly call: S3Call;
  private readonly caller: Caller;
  private readonly conditions: WriteConditions;
  readonly baseline: string | null | undefined;

  constructor(call: S3Call, caller: Caller, conditions: WriteConditions, baseline: string | null | undefined) {
    this.call = call;
    this.caller = caller;
    this.conditions = conditions;
    this.baseline = baseline;
  }

  /** Throws 412, 409 or 404 (see {@link WriteConditions}) unless the write may replace `current`. */
  readonly check = (current: StoredObject | undefined): void => {
    const { ifNoneMatch, ifMatch } = this.conditions;
    if (ifNoneMatch === undefined && ifMatch === undefined) return;
    if (ifNoneMatch !== undefined && current) throw s3Errors.preconditionFailed('If-None-Match');
    if (ifMatch !== undefined && current && !sameEtag(ifMatch, current.etag)) throw s3Errors.preconditionFailed('If-Match');
    if (this.baseline !== undefined && versionOf(current) !== this.baseline) throw s3Errors.conditionalRequestConflict();
    if (ifMatch !== undefined && !current) throw missingObject(this.call, this.caller, this.call.target.key);
  };
}

/**
 * CopyObject's conditions on the source (`x-amz-copy-source-if-*`), each failing with 412:
 * if-match beats if-unmodified-since and if-none-match beats if-modified-since, as S3
 * documents (RFC 7232's order).
 */
export function checkCopySource(headers: IncomingHttpHeaders, source: StoredObject): void {
  const ifMatch = headerValue(headers, 'x-amz-copy-source-if-match');
  const ifNoneMatch = headerValue(headers, 'x-amz-copy-source-if-none-match');
  const ifModifiedSince = Date.parse(headerValue(headers, 'x-amz-copy-source-if-modified-since') ?? '');
  const ifUnmodifiedSince = Date.parse(headerValue(headers, 'x-amz-copy-source-if-unmodified-since') ?? '');
  const modified = seconds(source.lastModified);
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, source.etag)) throw s3Errors.preconditionFailed('x-amz-copy-source-If-Match');
  } else if (!Number.isNaN(ifUnmodifiedSince) && modified > ifUnmodifiedSince / 1000) {
    throw s3Errors.preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  }
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, source.etag)) throw s3Errors.preconditionFailed('x-amz-copy-source-If-None-Match');
  } else if (!Number.isNaN(ifModifiedSince) && modified <= ifModifiedSince / 1000) {
    throw s3Errors.preconditionFailed('x-amz-copy-source-If-Modified-Since');
  }
}
