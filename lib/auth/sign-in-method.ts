import 'server-only';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { getEnv } from '@/lib/env';
import { allowedPictureUrl, findProvider, type IdentityProvider } from './providers';
import type { Session } from './session';

/** How a person signed in, as the profile shows it. */
export interface SignInMethod {
  /** The user pool's provider name (`Google`, `Acme`…), or null for Cubby's own email sign-in. */
  providerName: string | null;
  /** Words for the profile: the provider's display name, or "Email and password". */
  label: string;
  /** The provider's picture, only from an allowed origin (`IDENTITY_PICTURE_ORIGINS`), else null. */
  pictureUrl: string | null;
}

/** The `identities` claim of a federated user (Cognito sends `primary` and `dateCreated` as strings). */
const IdentitiesSchema = z.array(
  z.looseObject({
    providerName: z.string().min(1).max(64),
    primary: z.union([z.string(), z.boolean()]).optional(),
  }),
);

/** The identity the person signed in with: the primary one, else the first; null for a native user. */
export function primaryIdentity(claim: unknown): string | null {
  // Some Cognito surfaces carry the claim as JSON text; the ID token carries an array.
  let value = claim;
  if (typeof claim === 'string') {
    try {
      value = JSON.parse(claim);
    } catch {
      return null;
    }
  }
  const parsed = IdentitiesSchema.safeParse(value);
  if (!parsed.success || parsed.data.length === 0) return null;
  const primary = parsed.data.find((identity) => identity.primary === true || identity.primary === 'true');
  return (primary ?? parsed.data[0])?.providerName ?? null;
}

/**
 * How a person signed in, from claims of their ID token: the provider named by `identities`
 * (its display name when configured, else its pool name) and, for a federated person, the
 * `picture` claim when its origin is one of `pictureOrigins`. Pure.
 */
export function signInMethodFromClaims(
  claims: Readonly<Record<string, unknown>>,
  providers: readonly IdentityProvider[],
  pictureOrigins: readonly string[],
): SignInMethod {
  const providerName = primaryIdentity(claims.identities);
  if (providerName === null) return { providerName: null, label: 'Email and password', pictureUrl: null };
  return {
    providerName,
    label: findProvider(providers, providerName)?.displayName ?? providerName,
    pictureUrl: allowedPictureUrl(claims.picture, pictureOrigins),
  };
}

/**
 * How the person behind a session (from lib/dal.ts, the gate) signed in. Read from the ID token
 * the session already holds, verified when it entered the session (sign-in or refresh), so the
 * cookie carries nothing more for it. Server only.
 */
export function signInMethodOf(session: Session): SignInMethod {
  const env = getEnv();
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(session.tokens().idToken);
  } catch {
    claims = {};
  }
  return signInMethodFromClaims(claims, env.IDENTITY_PROVIDERS, env.IDENTITY_PICTURE_ORIGINS);
}
