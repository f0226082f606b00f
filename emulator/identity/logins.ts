import { createLocalJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { publicJwks } from '../cognito/keys.ts';
import { loginsKeyOf } from '../config.ts';
import type { EmulatorContext } from '../context.ts';
import { IdentityError, MESSAGES, tokenExpired } from './errors.ts';
import { cognitoIdentityProviders, idTokenStillValid } from './providers.ts';

/** A verified user-pool login: the provider key and the ID token's claims. */
export interface VerifiedLogin {
  provider: string;
  sub: string;
  claims: JWTPayload;
}

function notAuthorized(message: string): IdentityError {
  return new IdentityError('NotAuthorizedException', message);
}

/** Validates the `Logins` map's shape: at most 10 string entries. */
export function parseLogins(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new IdentityError(
      'InvalidParameterException',
      "1 validation error detected: Value at 'logins' failed to satisfy constraint: Member must be a map",
    );
  }
  const entries = Object.entries(value);
  if (
    entries.length > 10 ||
    entries.some(([key, token]) => typeof token !== 'string' || key.length === 0 || token.length > 50_000)
  ) {
    throw new IdentityError(
      'InvalidParameterException',
      "1 validation error detected: Value at 'logins' failed to satisfy constraint",
    );
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * Verifies the pool's user-pool login as the Identity Pool does: the provider must be configured
 * on the pool, the ID token signed by the user pool, its `iss` equal to the provider name with a
 * scheme, its `aud` one of the pool's app clients, `token_use` `id`, not expired on the emulator's clock,
 * and, with the provider's ServerSideTokenCheck (providers.ts), its user not signed out globally,
 * deleted or disabled.
 * @throws {IdentityError} NotAuthorizedException with Cognito's observed messages.
 */
export async function verifyLogins(ctx: EmulatorContext, logins: Record<string, string>): Promise<VerifiedLogin> {
  const provider = loginsKeyOf(ctx.config);
  const entries = Object.entries(logins);
  const token = logins[provider];
  if (token === undefined) {
    // A token from the right pool under another key still names the wrong provider.
    throw notAuthorized(entries.length > 0 ? MESSAGES.issuerMismatch : MESSAGES.loginsMismatch);
  }
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, createLocalJWKSet(publicJwks(ctx)), {
      algorithms: ['RS256'],
      currentDate: new Date(0),
    }));
  } catch {
    throw notAuthorized(MESSAGES.badSignature);
  }
  if (claims.iss?.replace(/^https?:\/\//, '') !== provider) throw notAuthorized(MESSAGES.issuerMismatch);
  if (claims.aud === undefined) throw notAuthorized(MESSAGES.missingAud);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(ctx.config.clientId)) throw notAuthorized(MESSAGES.unsupportedProvider);
  if (claims.token_use !== 'id') throw notAuthorized(MESSAGES.notIdToken);
  const now = ctx.clock.nowSeconds();
  if (typeof claims.exp !== 'number' || now >= claims.exp) throw notAuthorized(tokenExpired(now, Number(claims.exp)));
  if (typeof claims.sub !== 'string') throw notAuthorized(MESSAGES.badSignature);
  const configured = cognitoIdentityProviders(ctx).find((entry) => entry.providerName === provider);
  if (configured?.serverSideTokenCheck && !idTokenStillValid(ctx, claims)) throw notAuthorized(MESSAGES.tokenRevoked);
  return { provider, sub: claims.sub, claims };
}

/** The `cognito:roles` and `cognito:preferred_role` claims of a verified login. */
export function rolesOf(login: VerifiedLogin): { roles: string[]; preferred: string | undefined } {
  const roles = login.claims['cognito:roles'];
  const preferred = login.claims['cognito:preferred_role'];
  return {
    roles: Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [],
    preferred: typeof preferred === 'string' ? preferred : undefined,
  };
}
