import { timingSafeEqual } from 'node:crypto';
import { loginsKeyOf } from '../config.ts';
import type { EmulatorContext } from '../context.ts';
import { evaluate } from '../iam/evaluate.ts';
import { policiesForRole } from '../iam/roles.ts';
import { findCredentials, type IssuedCredentials } from '../store/credentials.ts';
import type { S3Call } from './call.ts';
import { S3Error, s3Errors } from './errors.ts';
import { checkSignature, parseSignature, type SignedParts, signatureMismatch, unsignedAmzHeaders } from './sigv4.ts';

/** Largest clock difference S3 tolerates for header-signed requests (15 minutes). */
export const MAX_SKEW_MS = 15 * 60 * 1000;

/** An authenticated S3 caller: the Identity Pool credentials that signed the request. */
export interface Caller {
  credentials: IssuedCredentials;
  signed: SignedParts;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Validity window checks: presigned expiry / not-yet-valid, or header-signed clock skew. */
function checkTime(signed: SignedParts, now: number): void {
  const signedAt = signed.signedAt.getTime();
  if (signed.via === 'query') {
    const expiresAt = signedAt + (signed.expiresSeconds ?? 0) * 1000;
    if (now > expiresAt) {
      throw new S3Error('AccessDenied', 403, 'Request has expired', [
        ['X-Amz-Expires', String(signed.expiresSeconds ?? 0)],
        ['Expires', isoSeconds(expiresAt)],
        ['ServerTime', isoSeconds(now)],
      ]);
    }
    if (signedAt - now > MAX_SKEW_MS) throw new S3Error('AccessDenied', 403, 'Request is not yet valid');
    return;
  }
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    throw new S3Error('RequestTimeTooSkewed', 403, 'The difference between the request time and the current time is too large.', [
      ['RequestTime', signed.amzDate],
      ['ServerTime', isoSeconds(now)],
      ['MaxAllowedSkewMilliseconds', String(MAX_SKEW_MS)],
    ]);
  }
}

/**
 * Authenticates a SigV4 request (header-signed or presigned) against the credentials the
 * Identity Pool issued, in S3's order: malformed auth, unknown key (InvalidAccessKeyId),
 * session token (InvalidToken), expired credentials (ExpiredToken), validity window (expired
 * URL, skew), unsigned x-amz-* headers, then the signature itself (SignatureDoesNotMatch).
 * Anonymous requests get AccessDenied: the bucket grants nothing publicly.
 */
export async function authenticate(call: S3Call): Promise<Caller> {
  const { ctx, req } = call;
  const signed = parseSignature(req.headers, call.query, ctx.config.region);
  if (!signed) throw s3Errors.accessDenied();
  const credentials = findCredentials(ctx, signed.accessKeyId);
  // Temporary (ASIA…) keys are unknown to S3 without their session token.
  if (!credentials || signed.securityToken === undefined) {
    throw new S3Error('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.', [
      ['AWSAccessKeyId', signed.accessKeyId],
    ]);
  }
  if (!sameText(signed.securityToken, credentials.sessionToken)) {
    throw new S3Error('InvalidToken', 400, 'The provided token is malformed or otherwise invalid.');
  }
  const now = ctx.clock.now();
  if (credentials.expiration * 1000 <= now) throw new S3Error('ExpiredToken', 400, 'The provided token has expired.');
  checkTime(signed, now);
  const unsigned = unsignedAmzHeaders(signed, req.headers);
  if (unsigned.length > 0) {
    throw new S3Error('AccessDenied', 403, 'There were headers present in the request which were not signed', [
      ['HeadersNotSigned', unsigned.join(', ')],
    ]);
  }
  const received = { method: call.method, canonicalPath: call.target.canonicalPath, query: call.query, headers: req.headers };
  const check = await checkSignature(signed, received, credentials.secretAccessKey);
  if (!check.valid) throw signatureMismatch(signed, check);
  // SigV4a (ECDSA) chunk signing is not implemented; HMAC chunk signatures are checked as the body streams (chunked.ts).
  if (signed.payloadHash.startsWith('STREAMING-AWS4-ECDSA-')) throw s3Errors.notImplemented();
  return { credentials, signed };
}

/** Condition keys S3 passes to IAM; extra ones (s3:prefix…) are added per action. */
function requestContext(ctx: EmulatorContext, caller: Caller, extra: Record<string, string>) {
  const { credentials } = caller;
  return {
    'cognito-identity.amazonaws.com:sub': credentials.identityId,
    'cognito-identity.amazonaws.com:aud': ctx.config.identityPoolId,
    'cognito-identity.amazonaws.com:amr': credentials.authenticated
      ? ['authenticated', loginsKeyOf(ctx.config)]
      : ['unauthenticated'],
    'aws:SecureTransport': 'false',
    ...extra,
  };
}

/** True when the caller's role policies allow `action` on `resource` (Deny wins over Allow). */
export function isAllowed(
  ctx: EmulatorContext,
  caller: Caller,
  action: string,
  resource: string,
  extra: Record<string, string> = {},
): boolean {
  const policies = policiesForRole(ctx, caller.credentials.roleArn);
  return evaluate(policies, { action, resource, context: requestContext(ctx, caller, extra) }) === 'Allow';
}

/** Throws AccessDenied unless {@link isAllowed}. */
export function authorize(
  ctx: EmulatorContext,
  caller: Caller,
  action: string,
  resource: string,
  extra: Record<string, string> = {},
): void {
  if (!isAllowed(ctx, caller, action, resource, extra)) throw s3Errors.accessDenied();
}

/** `arn:aws:s3:::bucket` and `arn:aws:s3:::bucket/key`. */
export function bucketArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}

export function objectArn(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}
