import 'server-only';
import { createHash } from 'node:crypto';
import { GetCredentialsForIdentityCommand, GetIdCommand, NotAuthorizedException } from '@aws-sdk/client-cognito-identity';
import { LRUCache } from 'lru-cache';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { describeError, log } from '@/lib/log';
import { identityPoolClient, loginsKey } from './identity-pool';

/**
 * Temporary AWS credentials of one person (or guest), from the Identity Pool: Cubby's one
 * credentials type (the gate, lib/files and the S3 layer take it; tests use it too). Lives in
 * server memory only.
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/**
 * Cached credentials are handed out only while they have more than this left. Without it a
 * request could get credentials that expire during its S3 calls (ExpiredToken mid-upload), and
 * every URL presigned with them would be cut to their last seconds (lib/aws/s3-client.ts `urlLifetime`).
 */
export const CREDENTIALS_REUSE_MARGIN_MS = 5 * 60 * 1000;

/** Thrown (as AppError `session_ended`'s cause) when the Identity Pool refuses the ID token as expired. */
export class IdTokenRejectedError extends Error {
  constructor() {
    super('the Identity Pool refused the ID token');
    this.name = 'IdTokenRejectedError';
  }
}

interface Caches {
  /** Credentials by `identityId|hash(idToken)` (or `identityId|guest`). */
  credentials: LRUCache<string, AwsCredentials>;
  /** Identity ids by user-pool `sub`. */
  identities: LRUCache<string, string>;
  inflight: Map<string, Promise<AwsCredentials>>;
}

/**
 * One set of caches per process, on `globalThis`: Next bundles proxy.ts and the routes apart, and
 * a sign-out (a route) must drop what every bundle of this process cached.
 */
const GLOBAL_KEY = Symbol.for('cubby.credentialCaches');

function caches(): Caches {
  const holder = globalThis as { [GLOBAL_KEY]?: Caches };
  holder[GLOBAL_KEY] ??= {
    credentials: new LRUCache<string, AwsCredentials>({ max: 5000 }),
    identities: new LRUCache<string, string>({ max: 20_000 }),
    inflight: new Map(),
  };
  return holder[GLOBAL_KEY];
}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

function logins(idToken: string | null): Record<string, string> | undefined {
  return idToken ? { [loginsKey()]: idToken } : undefined;
}

function mapError(error: unknown, what: string): never {
  if (error instanceof NotAuthorizedException && /Token expired/.test(error.message)) throw new IdTokenRejectedError();
  if (error instanceof NotAuthorizedException) throw new AppError('forbidden', `${what}: ${error.message}`, { cause: error });
  log('warn', 'identity.unavailable', { what, reason: describeError(error) });
  throw new AppError('storage_unavailable', `${what} failed`, { cause: error });
}

/**
 * The Identity Pool identity id of a signed-in person (GetId with their ID token), remembered per
 * user-pool `sub` in this process. Server only.
 * @throws {IdTokenRejectedError} when the ID token has expired; AppError otherwise.
 */
export async function identityIdFor(sub: string, idToken: string): Promise<string> {
  const identityCache = caches().identities;
  const cached = identityCache.get(sub);
  if (cached) return cached;
  try {
    const { IdentityId } = await identityPoolClient().send(
      new GetIdCommand({ IdentityPoolId: getEnv().COGNITO_IDENTITY_POOL_ID, Logins: logins(idToken) }),
    );
    if (!IdentityId) throw new Error('GetId returned no IdentityId');
    identityCache.set(sub, IdentityId);
    return IdentityId;
  } catch (error) {
    return mapError(error, 'GetId');
  }
}

async function fetchCredentials(identityId: string, idToken: string | null): Promise<AwsCredentials> {
  try {
    const { Credentials } = await identityPoolClient().send(
      new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: logins(idToken) }),
    );
    if (!Credentials?.AccessKeyId || !Credentials.SecretKey || !Credentials.SessionToken || !Credentials.Expiration) {
      throw new Error('GetCredentialsForIdentity returned incomplete credentials');
    }
    return {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretKey,
      sessionToken: Credentials.SessionToken,
      expiration: Credentials.Expiration,
    };
  } catch (error) {
    return mapError(error, 'GetCredentialsForIdentity');
  }
}

/**
 * Temporary credentials for an identity: from the in-memory LRU (keyed by identity and ID token)
 * while they have more than {@link CREDENTIALS_REUSE_MARGIN_MS} left, else one GetCredentialsForIdentity shared by concurrent
 * callers. Never written to a cookie, never sent to the browser. `idToken` null = guest. Server only.
 * @throws {IdTokenRejectedError} when the ID token has expired (refresh, then retry once).
 */
export async function credentialsFor(identityId: string, idToken: string | null, now = Date.now()): Promise<AwsCredentials> {
  const { credentials: credentialCache, inflight } = caches();
  const key = credentialKey(identityId, idToken);
  const cached = credentialCache.get(key);
  if (cached && cached.expiration.getTime() - now > CREDENTIALS_REUSE_MARGIN_MS) return cached;
  let flight = inflight.get(key);
  if (!flight) {
    flight = fetchCredentials(identityId, idToken)
      .then((credentials) => {
        credentialCache.set(key, credentials);
        return credentials;
      })
      .finally(() => inflight.delete(key));
    inflight.set(key, flight);
  }
  return flight;
}

function credentialKey(identityId: string, idToken: string | null): string {
  return `${identityId}|${idToken ? hash(idToken) : 'guest'}`;
}

/**
 * Drops what this process cached for a signed-in person whose session ends (sign-out): their
 * identity id and every credential minted for that identity with an ID token (those of the ended
 * session, whatever its tokens were before a refresh, and, at the cost of one refetch, those of
 * the person's other sessions). Guest credentials stay. Other instances keep theirs: the sign-out
 * is enforced by the revocation check every session read makes (lib/auth/revocation.ts), and
 * credentials are only handed out after it. Server only.
 */
export function forgetSignedInAccess(sub: string, identityId: string | null): void {
  const { credentials, identities } = caches();
  const identity = identityId ?? identities.get(sub);
  identities.delete(sub);
  if (!identity) return;
  const guestKey = credentialKey(identity, null);
  for (const key of [...credentials.keys()]) {
    if (key.startsWith(`${identity}|`) && key !== guestKey) credentials.delete(key);
  }
}

/** True when this process holds credentials for `identityId` minted with `idToken` (tests). */
export function hasCachedCredentials(identityId: string, idToken: string | null): boolean {
  return caches().credentials.has(credentialKey(identityId, idToken));
}

/** Forgets everything cached (tests and benchmarks measuring cold starts). */
export function clearCredentialCaches(): void {
  caches().credentials.clear();
  caches().identities.clear();
}
