import type { SessionTokens } from './token-codec.ts';

/**
 * When Cognito's tokens expire and how long they live, read from the ID and access tokens' `exp`
 * and `iat` claims. Reads only: the tokens were verified when they were received. Pure; runs
 * anywhere.
 */

/** Epoch ms of a JWT's numeric `exp` and `iat` (null where absent or not a JWT). */
function jwtTimes(token: string): { exp: number | null; iat: number | null } {
  const payload = token.split('.')[1];
  if (payload === undefined) return { exp: null, iat: null };
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null) return { exp: null, iat: null };
    const ms = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? Math.floor(value * 1000) : null);
    return { exp: ms((claims as { exp?: unknown }).exp), iat: ms((claims as { iat?: unknown }).iat) };
  } catch {
    return { exp: null, iat: null };
  }
}

/**
 * `expiresAt`: epoch ms of the earlier `exp` of the ID and access tokens (null when neither has
 * one). `lifetimeMs`: the shorter `exp - iat` of the two (null when neither says both).
 */
export function tokenTimes(tokens: Pick<SessionTokens, 'idToken' | 'accessToken'>): {
  expiresAt: number | null;
  lifetimeMs: number | null;
} {
  const times = [jwtTimes(tokens.idToken), jwtTimes(tokens.accessToken)];
  const expiries = times.flatMap(({ exp }) => (exp === null ? [] : [exp]));
  const lifetimes = times.flatMap(({ exp, iat }) => (exp !== null && iat !== null && exp > iat ? [exp - iat] : []));
  return {
    expiresAt: expiries.length === 0 ? null : Math.min(...expiries),
    lifetimeMs: lifetimes.length === 0 ? null : Math.min(...lifetimes),
  };
}
