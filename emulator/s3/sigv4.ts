import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { S3Error, s3Errors } from './errors.ts';
import { headerValue, type QueryPair, queryValue } from './request.ts';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** Longest presigned URL life SigV4 allows (7 days). */
export const MAX_PRESIGN_SECONDS = 604_800;

/** What a SigV4-signed request claims: who signed, when, what, and the signature to check. */
export interface SignedParts {
  via: 'header' | 'query';
  accessKeyId: string;
  /** `yyyymmdd/region/s3/aws4_request`. */
  scope: string;
  region: string;
  /** X-Amz-Date / x-amz-date, `yyyyMMddTHHmmssZ`. */
  amzDate: string;
  signedAt: Date;
  signedHeaders: string[];
  signature: string;
  securityToken: string | undefined;
  /** X-Amz-Expires of a presigned URL. */
  expiresSeconds?: number;
  /** Payload hash as signed: hex SHA-256, UNSIGNED-PAYLOAD or a STREAMING-… marker. */
  payloadHash: string;
}

const PAYLOAD_MARKERS = new Set([
  UNSIGNED_PAYLOAD,
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER',
]);

function headerMalformed(detail: string, details: ReadonlyArray<readonly [string, string]> = []): S3Error {
  return new S3Error('AuthorizationHeaderMalformed', 400, `The authorization header is malformed; ${detail}`, details);
}

function queryMalformed(detail: string): S3Error {
  return new S3Error('AuthorizationQueryParametersError', 400, detail);
}

/** `20251025T080000Z` → Date, or null when not in that exact form. */
export function parseAmzDate(value: string | undefined): Date | null {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const date = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? null : date;
}

function parseCredential(
  credential: string,
  region: string,
  amzDate: string,
  malformed: (detail: string, details?: ReadonlyArray<readonly [string, string]>) => S3Error,
) {
  const parts = credential.split('/');
  const [accessKeyId, date, scopeRegion, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || !date || !scopeRegion || service !== 's3' || terminator !== 'aws4_request') {
    throw malformed('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  if (scopeRegion !== region)
    throw malformed(`the region '${scopeRegion}' is wrong; expecting '${region}'`, [['Region', region]]);
  if (date !== amzDate.slice(0, 8)) throw malformed('Invalid credential date. Date is not the same as X-Amz-Date.');
  return { accessKeyId, scope: parts.slice(1).join('/') };
}

function fromHeader(authorization: string, headers: IncomingHttpHeaders, region: string): SignedParts {
  if (!authorization.startsWith(`${ALGORITHM} `)) {
    throw s3Errors.invalidRequest('The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(ALGORITHM.length + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    throw headerMalformed('the authorization header requires three components: Credential, SignedHeaders, and Signature.');
  }
  const amzDate = headerValue(headers, 'x-amz-date') ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt) throw new S3Error('AccessDenied', 403, 'AWS authentication requires a valid Date or x-amz-date header');
  const { accessKeyId, scope } = parseCredential(credential, region, amzDate, headerMalformed);
  const payloadHash = headerValue(headers, 'x-amz-content-sha256');
  if (payloadHash === undefined) throw s3Errors.invalidRequest('Missing required header for this request: x-amz-content-sha256');
  if (!PAYLOAD_MARKERS.has(payloadHash) && !/^[0-9a-f]{64}$/.test(payloadHash)) {
    throw s3Errors.invalidArgument(
      'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
      'x-amz-content-sha256',
      payloadHash,
    );
  }
  return {
    via: 'header',
    accessKeyId,
    scope,
    region,
    amzDate,
    signedAt,
    signedHeaders: signedHeaders.split(';'),
    signature,
    securityToken: headerValue(headers, 'x-amz-security-token'),
    payloadHash,
  };
}

function fromQuery(query: readonly QueryPair[], region: string): SignedParts {
  const get = (name: string) => queryValue(query, name);
  const [algorithm, credential, amzDate, expires, signedHeaders, signature] = [
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-Expires',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
  ].map(get);
  if (!algorithm || !credential || !amzDate || !expires || !signedHeaders || !signature) {
    throw queryMalformed(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (algorithm !== ALGORITHM) throw queryMalformed('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt) throw queryMalformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  if (!/^\d+$/.test(expires)) throw queryMalformed('X-Amz-Expires should be a number');
  const expiresSeconds = Number(expires);
  if (expiresSeconds > MAX_PRESIGN_SECONDS) {
    throw queryMalformed('X-Amz-Expires must be less than a week (in seconds) that is 604800');
  }
  const { accessKeyId, scope } = parseCredential(credential, region, amzDate, (detail) =>
    queryMalformed(`Error parsing the X-Amz-Credential parameter; ${detail}`),
  );
  return {
    via: 'query',
    accessKeyId,
    scope,
    region,
    amzDate,
    signedAt,
    signedHeaders: signedHeaders.split(';'),
    signature,
    securityToken: get('X-Amz-Security-Token'),
    expiresSeconds,
    payloadHash: get('X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD,
  };
}

/**
 * Reads the SigV4 claims of a request: from the `Authorization` header or from presigned query
 * parameters. Returns null for an anonymous request. Throws the S3 error for malformed auth
 * (AuthorizationHeaderMalformed, AuthorizationQueryParametersError, InvalidArgument…).
 */
export function parseSignature(headers: IncomingHttpHeaders, query: readonly QueryPair[], region: string): SignedParts | null {
  const authorization = headerValue(headers, 'authorization');
  const presigned = queryValue(query, 'X-Amz-Algorithm') !== undefined || queryValue(query, 'X-Amz-Signature') !== undefined;
  if (authorization !== undefined && presigned) {
    throw s3Errors.invalidArgument(
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      'Authorization',
      authorization,
    );
  }
  if (authorization !== undefined) return fromHeader(authorization, headers, region);
  if (presigned) return fromQuery(query, region);
  return null;
}

/** The request as received, in the pieces SigV4 canonicalises. */
export interface ReceivedRequest {
  method: string;
  canonicalPath: string;
  query: readonly QueryPair[];
  headers: IncomingHttpHeaders;
}

export interface SignatureCheck {
  valid: boolean;
  canonicalRequest: string;
  stringToSign: string;
}

/** Exposes the signer's canonicalisation so the emulator can recompute and report it. */
class RequestVerifier extends SignatureV4 {
  constructor(region: string, accessKeyId: string, secretAccessKey: string) {
    super({
      service: 's3',
      region,
      credentials: { accessKeyId, secretAccessKey },
      sha256: Hash.bind(null, 'sha256'),
      // S3 paths are encoded once, by the client; the canonical path is that encoding.
      uriEscapePath: false,
      applyChecksum: false,
    });
  }

  async compute(parts: SignedParts, received: ReceivedRequest) {
    const query: Record<string, string | string[]> = Object.create(null);
    for (const [name, value] of received.query) {
      const previous = query[name];
      query[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
    const canonicalHeaders: Record<string, string> = Object.create(null);
    for (const name of parts.signedHeaders) {
      const raw = received.headers[name];
      const value = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
      canonicalHeaders[name] = value
        .replace(/[\r\n]/g, ' ')
        .replace(/[ \t]+/g, ' ')
        .trim();
    }
    const request = new HttpRequest({ method: received.method, path: received.canonicalPath, query, headers: {} });
    const canonicalRequest = this.createCanonicalRequest(request, canonicalHeaders, parts.payloadHash);
    const stringToSign = await this.createStringToSign(parts.amzDate, parts.scope, canonicalRequest, ALGORITHM);
    const signature = await this.sign(stringToSign, { signingDate: parts.signedAt, signingRegion: parts.region });
    return { canonicalRequest, stringToSign, signature };
  }
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Recomputes the signature of `received` with `secretAccessKey` (via @smithy/signature-v4) and
 * compares it to the one provided, in constant time.
 */
export async function checkSignature(
  parts: SignedParts,
  received: ReceivedRequest,
  secretAccessKey: string,
): Promise<SignatureCheck> {
  const verifier = new RequestVerifier(parts.region, parts.accessKeyId, secretAccessKey);
  const { canonicalRequest, stringToSign, signature } = await verifier.compute(parts, received);
  return { valid: sameHex(signature, parts.signature), canonicalRequest, stringToSign };
}

/** Names of `x-amz-*` headers present but not signed (S3 refuses those requests). */
export function unsignedAmzHeaders(parts: SignedParts, headers: IncomingHttpHeaders): string[] {
  return Object.keys(headers).filter((name) => name.startsWith('x-amz-') && !parts.signedHeaders.includes(name));
}

function spacedHex(text: string): string {
  return (Buffer.from(text, 'utf8').toString('hex').match(/../g) ?? []).join(' ');
}

/** SignatureDoesNotMatch with S3's debugging elements (§7.2). */
export function signatureMismatch(parts: SignedParts, check: SignatureCheck): S3Error {
  return new S3Error(
    'SignatureDoesNotMatch',
    403,
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    [
      ['AWSAccessKeyId', parts.accessKeyId],
      ['StringToSign', check.stringToSign],
      ['SignatureProvided', parts.signature],
      ['StringToSignBytes', spacedHex(check.stringToSign)],
      ['CanonicalRequest', check.canonicalRequest],
      ['CanonicalRequestBytes', spacedHex(check.canonicalRequest)],
    ],
  );
}
