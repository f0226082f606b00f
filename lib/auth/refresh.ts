import 'server-only';
import * as client from 'openid-client';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { sharedStore } from '@/lib/store';
import { verifyIdToken } from './id-token';
import { classifyIdpError, getJwks, getOidcConfiguration } from './oidc';
import { type CurrentTokens, type FlightMap, REFRESH_WAIT_MS, type RefreshedTokens, Refresher } from './refresh-flight';

export {
  type CurrentTokens,
  REFRESH_FAILURE_MEMORY_MS,
  REFRESH_RESULT_GRACE_MS,
  REFRESH_WAIT_MS,
  type RefreshedTokens,
  Refresher,
  type RefreshGrant,
} from './refresh-flight';

/** The refresh margin never exceeds this: tokens of an hour (Cognito's default) refresh with 5 minutes left. */
export const REFRESH_MARGIN_MAX_MS = 5 * 60_000;

/**
 * The refresh margin is at most this fraction of the tokens' lifetime, so short-lived tokens are
 * used for most of their life: 5-minute tokens (Cognito's minimum) refresh with 75 s left, 6-minute
 * ones with 90 s, and freshly refreshed tokens are never due again at once. 75 s still covers a
 * request's longest upstream wait (10 s) and a minute of clock difference with AWS.
 */
export const REFRESH_MARGIN_FRACTION = 1 / 4;

/**
 * The refresh margin for tokens that live `tokensLifetimeMs` (exp - iat): the smaller of
 * {@link REFRESH_MARGIN_MAX_MS} and {@link REFRESH_MARGIN_FRACTION} of the lifetime. Without a
 * usable lifetime (a cookie from before it was recorded), {@link REFRESH_MARGIN_MAX_MS}. Pure.
 */
export function refreshMarginFor(tokensLifetimeMs?: number): number {
  if (tokensLifetimeMs === undefined || !Number.isFinite(tokensLifetimeMs) || tokensLifetimeMs <= 0) return REFRESH_MARGIN_MAX_MS;
  return Math.min(REFRESH_MARGIN_MAX_MS, Math.floor(tokensLifetimeMs * REFRESH_MARGIN_FRACTION));
}

/**
 * True when the earlier of the ID/access token expiries (`tokensExpireAt`, epoch ms) is within
 * {@link refreshMarginFor} the tokens' lifetime. Pure.
 */
export function needsRefresh(tokensExpireAt: number, tokensLifetimeMs?: number, now = Date.now()): boolean {
  return tokensExpireAt - now < refreshMarginFor(tokensLifetimeMs);
}

/**
 * One refresh_token grant at Cognito, its ID token verified (signature against the last good
 * JWKS, iss, aud, exp/iat). Exported for tests that build their own {@link Refresher}. Server only.
 * @throws {AppError} `session_ended` for an OAuth error answer (invalid_grant...); `idp_unavailable`
 *   for a timeout, network error or 5xx (of the token endpoint or the JWKS).
 */
export async function refreshAtCognito(refreshToken: string): Promise<RefreshedTokens> {
  const env = getEnv();
  const config = await getOidcConfiguration();
  let response: Awaited<ReturnType<typeof client.refreshTokenGrant>>;
  try {
    response = await client.refreshTokenGrant(config, refreshToken);
  } catch (error) {
    throw classifyIdpError(error, 'session_ended');
  }
  if (!response.id_token) throw new AppError('session_ended', 'refresh returned no id_token');
  const claims = await verifyIdToken(response.id_token, await getJwks(), {
    issuer: config.serverMetadata().issuer,
    clientId: env.COGNITO_CLIENT_ID,
    nonce: null,
    accessToken: response.access_token,
  });
  return {
    idToken: response.id_token,
    accessToken: response.access_token,
    refreshToken: response.refresh_token ?? refreshToken,
    claims,
  };
}

/**
 * The process's refresh flights, on `globalThis`: Next bundles proxy.ts and the routes/actions
 * apart, and with a module-level map each bundle refreshed on its own, so a request through one
 * bundle used a refresh token the other had just rotated away (the measured cause of most
 * sign-outs under rotation). Each bundle has its own {@link Refresher} (its own code and error
 * classes) over this one map.
 */
const FLIGHTS_KEY = Symbol.for('cubby.refreshFlights');

interface FlightsHolder {
  [FLIGHTS_KEY]?: FlightMap;
}

let refresher: Refresher | undefined;

function processRefresher(): Refresher {
  const holder = globalThis as FlightsHolder;
  holder[FLIGHTS_KEY] ??= new Map();
  refresher ??= new Refresher({
    store: sharedStore,
    grant: refreshAtCognito,
    secrets: () => getEnv().SESSION_SECRET,
    flights: holder[FLIGHTS_KEY],
  });
  return refresher;
}

/** Options for {@link refreshTokens}. */
export interface RefreshOptions {
  /**
   * Epoch ms by which the caller must have an answer: one per request, shared by every refresh
   * attempt in it (proxy, gate, retry), so a slow Cognito costs one wait, not one per attempt.
   * Defaults to now + {@link REFRESH_WAIT_MS}.
   */
  deadline?: number;
}

/**
 * Refreshes tokens at Cognito, single-flight per session within the process and, through the
 * shared store, across instances (lib/auth/refresh-flight.ts): every caller holding the same
 * `current` tokens gets the same new tokens, during the refresh and for
 * {@link REFRESH_RESULT_GRACE_MS} after it, whichever bundle or instance it reaches, so with
 * rotation on and any grace period an older cookie never ends the newer session. Idempotent for
 * the same `current` tokens. Server only.
 * @throws {AppError} `session_ended` when Cognito refuses (invalid_grant: revoked, expired, signed
 *   out everywhere) and no newer result is known; `idp_unavailable` when it cannot be reached
 *   before the deadline (the caller keeps the old tokens while they are valid).
 */
export function refreshTokens(current: CurrentTokens, options: RefreshOptions = {}): Promise<RefreshedTokens> {
  return processRefresher().refresh(current, options.deadline ?? Date.now() + REFRESH_WAIT_MS);
}
