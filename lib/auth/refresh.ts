import 'server-only';
import { createHash } from 'node:crypto';
import * as client from 'openid-client';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { describeError, log } from '@/lib/log';
import { type IdTokenClaims, verifyIdToken } from './id-token';
import { classifyIdpError, getJwks, getOidcConfiguration } from './oidc';

/** Tokens are refreshed when the ID or access token has less than this left. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * A finished refresh is remembered this long, so requests that still carry the old cookie (sent
 * before the browser saw the new one) get the same result instead of a second refresh, which
 * with Cognito's rotation would fail once the grace period ends.
 */
export const REFRESH_RESULT_GRACE_MS = 60 * 1000;
const MAX_REMEMBERED = 1000;

export interface RefreshedTokens {
  idToken: string;
  accessToken: string;
  /** The new refresh token under rotation, else the one that was used. */
  refreshToken: string;
  claims: IdTokenClaims;
}

interface Flight {
  promise: Promise<RefreshedTokens>;
  settledAt: number | null;
}

/**
 * Per process, keyed by a hash (never the tokens themselves) of the refresh token and the ID
 * token being replaced: requests carrying the same old tokens share one refresh, while a request
 * that already holds that refresh's result and still needs one starts a new one.
 */
const flights = new Map<string, Flight>();

function keyOf(current: { refreshToken: string; idToken: string }): string {
  return createHash('sha256').update(`${current.idToken}\n${current.refreshToken}`).digest('base64url');
}

function forgetOld(now: number): void {
  for (const [key, flight] of flights) {
    if (flight.settledAt !== null && now - flight.settledAt > REFRESH_RESULT_GRACE_MS) flights.delete(key);
  }
  while (flights.size > MAX_REMEMBERED) {
    const oldest = flights.keys().next().value;
    if (oldest === undefined) break;
    flights.delete(oldest);
  }
}

async function refreshAtCognito(refreshToken: string): Promise<RefreshedTokens> {
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
 * Refreshes tokens at Cognito, single-flight per session state within this process: concurrent
 * callers holding the same tokens (the session's current refresh and ID tokens) share one call, and such callers within {@link REFRESH_RESULT_GRACE_MS} after
 * it finished reuse its result. Works with refresh-token rotation on or off. Server only.
 * @throws {AppError} `session_ended` when Cognito refuses (invalid_grant: revoked, expired,
 *   signed out everywhere); `idp_unavailable` when it cannot be reached in time.
 */
export function refreshTokens(current: { refreshToken: string; idToken: string }, now = Date.now()): Promise<RefreshedTokens> {
  forgetOld(now);
  const key = keyOf(current);
  const existing = flights.get(key);
  if (existing) return existing.promise;
  const { refreshToken } = current;
  const flight: Flight = { promise: refreshAtCognito(refreshToken), settledAt: null };
  flights.set(key, flight);
  flight.promise.then(
    (tokens) => {
      flight.settledAt = Date.now();
      log('info', 'auth.refreshed', { sub: tokens.claims.sub, rotated: tokens.refreshToken !== refreshToken });
    },
    (error: unknown) => {
      // Failures are not remembered for long: the next request may try again (IdP back up).
      flight.settledAt = Date.now() - REFRESH_RESULT_GRACE_MS + 1000;
      log('warn', 'auth.refresh_failed', {
        code: error instanceof AppError ? error.code : 'internal',
        // An AppError's message names Cognito's error code (invalid_grant, invalid_client...), never a token.
        reason: error instanceof AppError ? error.message : describeError(error),
      });
    },
  );
  return flight.promise;
}

/** True when the earliest of the ID/access token expiries is within {@link REFRESH_MARGIN_MS}. */
export function needsRefresh(tokensExpireAt: number, now = Date.now()): boolean {
  return tokensExpireAt - now < REFRESH_MARGIN_MS;
}
