import { createHash } from 'node:crypto';
import { errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { AppError } from '@/lib/errors';

/**
 * Allowed clock difference between Cubby and Cognito for an ID token's exp and iat, in seconds:
 * the one value for both checks a token passes (openid-client's inside the grant, configured in
 * lib/auth/oidc.ts, and {@link verifyIdToken}), so a token expired less than this long ago is
 * accepted and one expired longer ago is refused, whichever check looks first.
 */
export const ID_TOKEN_CLOCK_SKEW_SECONDS = 60;

/** The ID token claims Cubby relies on after verification. */
export interface IdTokenClaims extends JWTPayload {
  sub: string;
  iat: number;
  exp: number;
  token_use: 'id';
  email?: string;
  email_verified?: boolean;
  'cognito:username'?: string;
  'cognito:groups'?: string[];
  auth_time?: number;
  nonce?: string;
  at_hash?: string;
}

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  /** The nonce this login sent; the token must carry exactly it. Null after a refresh, where none is expected. */
  nonce: string | null;
  /** When given and the token has at_hash, it must match this access token. */
  accessToken?: string;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
}

/** OIDC at_hash for RS256: base64url of the left half of SHA-256 over the access token. */
export function accessTokenHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

function fail(detail: string, cause?: unknown): never {
  throw new AppError('login_failed', `id_token: ${detail}`, { cause });
}

/**
 * Verifies a Cognito ID token completely, independent of what openid-client checked:
 * RS256 signature against the pool's JWKS (alg none and HS* refused; keys only from the JWKS,
 * never from token headers), iss, aud, exp and iat within {@link ID_TOKEN_CLOCK_SKEW_SECONDS},
 * sub, token_use "id", nonce (unless null: refreshed tokens carry none to compare), and at_hash
 * when present. Server only.
 * @throws {AppError} code `login_failed`, with the reason in the message (for logs).
 */
export async function verifyIdToken(
  idToken: string,
  keys: JWTVerifyGetKey,
  expected: IdTokenExpectations,
): Promise<IdTokenClaims> {
  const now = expected.now ?? Math.floor(Date.now() / 1000);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, keys, {
      algorithms: ['RS256'],
      issuer: expected.issuer,
      audience: expected.clientId,
      clockTolerance: ID_TOKEN_CLOCK_SKEW_SECONDS,
      currentDate: new Date(now * 1000),
      requiredClaims: ['sub', 'iat', 'exp'],
    }));
  } catch (error) {
    if (error instanceof errors.JWKSTimeout) throw new AppError('idp_unavailable', 'jwks timeout', { cause: error });
    if (error instanceof errors.JWTClaimValidationFailed) fail(`${error.code} (${error.claim})`, error);
    if (error instanceof errors.JOSEError) fail(error.code, error);
    throw error;
  }
  if (typeof payload.iat !== 'number' || payload.iat > now + ID_TOKEN_CLOCK_SKEW_SECONDS) fail('iat is in the future');
  if (typeof payload.sub !== 'string' || payload.sub === '') fail('missing sub');
  if (payload.token_use !== 'id') fail('token_use is not id');
  if (expected.nonce !== null && payload.nonce !== expected.nonce) fail('nonce mismatch');
  if (payload.at_hash !== undefined && expected.accessToken !== undefined) {
    if (payload.at_hash !== accessTokenHash(expected.accessToken)) fail('at_hash mismatch');
  }
  return payload as IdTokenClaims;
}
