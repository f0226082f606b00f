import 'server-only';
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { AppError } from '@/lib/errors';
import { describeError, log } from '@/lib/log';
import { IDP_TIMEOUT_SECONDS } from '@/lib/upstream';

/**
 * The user pool's signing keys, kept as the last key set that was fetched successfully. A JWKS
 * outage never makes a key that verified before stop verifying: the set is refetched only when a
 * token names a kid it does not hold (at most once per {@link JWKS_REFETCH_COOLDOWN_MS}), and,
 * without waiting and without forgetting anything when it fails, once it is older than
 * {@link JWKS_REVALIDATE_AFTER_MS}. (jose's createRemoteJWKSet drops its keys after its
 * cacheMaxAge and then fails every verification while the endpoint is down.)
 */

/** An unknown kid refetches the key set at most this often (a token with a made-up kid must not hammer Cognito). */
export const JWKS_REFETCH_COOLDOWN_MS = 30_000;
/** A key set older than this is refetched in the background, the old one serving meanwhile and on failure. */
export const JWKS_REVALIDATE_AFTER_MS = 10 * 60_000;

/** Options for {@link lastGoodKeySet}: a clock and a fetch for tests, the bounds otherwise fixed. */
export interface KeySetOptions {
  /** Epoch ms; defaults to Date.now. */
  now?: () => number;
  /** Defaults to the platform fetch. */
  fetch?: typeof fetch;
  timeoutMs?: number;
  cooldownMs?: number;
  revalidateAfterMs?: number;
}

/** A key lookup for jose's jwtVerify that never forgets a key set it once had. */
export type LastGoodKeySet = JWTVerifyGetKey & {
  /** Epoch ms of the last successful fetch, or null before the first. */
  readonly fetchedAt: number | null;
  /** True while a fetch is under way. */
  readonly reloading: boolean;
};

async function fetchKeySet(uri: URL, fetcher: typeof fetch, timeoutMs: number): Promise<JSONWebKeySet> {
  const response = await fetcher(uri, {
    headers: { accept: 'application/json, application/jwk-set+json' },
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status !== 200) throw new Error(`JWKS answered ${response.status}`);
  const body: unknown = await response.json();
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { keys?: unknown }).keys)) {
    throw new Error('JWKS is not a key set');
  }
  return body as JSONWebKeySet;
}

/**
 * A key lookup over the JWKS at `uri` that keeps the last good key set (see the module comment).
 * Throws AppError `idp_unavailable` when it has no key set and cannot fetch one, or when a token's
 * kid is unknown and the refetch fails; jose's JWKSNoMatchingKey when the kid is still unknown
 * after a successful refetch or within the cooldown. Server only.
 */
export function lastGoodKeySet(uri: URL, options: KeySetOptions = {}): LastGoodKeySet {
  const now = options.now ?? Date.now;
  const fetcher = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? IDP_TIMEOUT_SECONDS * 1000;
  const cooldownMs = options.cooldownMs ?? JWKS_REFETCH_COOLDOWN_MS;
  const revalidateAfterMs = options.revalidateAfterMs ?? JWKS_REVALIDATE_AFTER_MS;
  let local: ReturnType<typeof createLocalJWKSet> | null = null;
  let fetchedAt: number | null = null;
  let attemptedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> | null = null;

  const reload = (): Promise<void> => {
    pending ??= (async () => {
      attemptedAt = now();
      try {
        const set = await fetchKeySet(uri, fetcher, timeoutMs);
        local = createLocalJWKSet(set);
        fetchedAt = now();
      } catch (error) {
        log('warn', 'oidc.jwks_fetch_failed', { keptKeys: local !== null, reason: describeError(error) });
        throw new AppError('idp_unavailable', 'JWKS could not be fetched', { cause: error });
      } finally {
        pending = null;
      }
    })();
    return pending;
  };

  const lookup: JWTVerifyGetKey = async (header, token) => {
    if (!local) await reload();
    const stale = fetchedAt !== null && now() - fetchedAt >= revalidateAfterMs;
    if (stale && now() - attemptedAt >= cooldownMs && !pending) reload().catch(() => {});
    const current = local;
    if (!current) throw new AppError('idp_unavailable', 'no JWKS');
    try {
      return await current(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      // Join a revalidation under way, or start one unless one was tried within the cooldown.
      if (!pending && now() - attemptedAt < cooldownMs) throw error;
      await reload();
      const refreshed = local as ReturnType<typeof createLocalJWKSet> | null;
      if (!refreshed) throw error;
      return refreshed(header, token);
    }
  };
  return Object.defineProperties(lookup, {
    fetchedAt: { get: () => fetchedAt, enumerable: true },
    reloading: { get: () => pending !== null, enumerable: true },
  }) as LastGoodKeySet;
}
