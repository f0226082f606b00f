import { createHash, createPublicKey, randomUUID } from 'node:crypto';
import { type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { issuerOf } from '../config.ts';
import type { EmulatorContext } from '../context.ts';
import { identitiesClaim } from './federation.ts';
import { signingKey } from './keys.ts';
import { familyOf, type TokenFamily } from './refresh-tokens.ts';
import { findUser, groupsOf, type StoredGroup, type StoredUser } from './users.ts';

/** What the token endpoint answers (before serialisation). */
export interface TokenSet {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  expires_in: number;
  token_type: 'Bearer';
}

async function sign(ctx: EmulatorContext, use: 'id' | 'access', claims: JWTPayload): Promise<string> {
  const { kid, key } = signingKey(ctx, use);
  return new SignJWT(claims).setProtectedHeader({ kid, alg: 'RS256' }).sign(key);
}

/** OIDC `at_hash`: base64url of the left half of SHA-256 over the access token. */
export function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
}

/**
 * `cognito:roles` (roles of the user's groups) and `cognito:preferred_role` (the role of the group
 * with the lowest precedence; omitted when two role-bearing groups tie for it).
 */
export function roleClaims(groups: StoredGroup[]): { roles: string[]; preferred: string | undefined } {
  const withRoles = groups.filter((group): group is StoredGroup & { roleArn: string } => group.roleArn !== null);
  const roles = [...new Set(withRoles.map((group) => group.roleArn))];
  const [first, second] = withRoles;
  const tie = first && second && first.precedence === second.precedence && first.roleArn !== second.roleArn;
  return { roles, preferred: first && !tie ? first.roleArn : undefined };
}

/** Whether the granted scopes cover the user's email attributes (openid alone covers all readable ones). */
export function coversEmail(scopes: string[]): boolean {
  const attributeScopes = scopes.filter((scope) => ['email', 'phone', 'profile'].includes(scope));
  return scopes.includes('openid') && (attributeScopes.length === 0 || scopes.includes('email'));
}

/**
 * `amr`: how the user signed in (`pwd`, `otp` + `mfa` after TOTP, `email_otp`, `swk`/`hwk` for a
 * platform/roaming passkey), in both tokens and kept on refresh; absent when the sign-in did not record it.
 */
function amrClaim(family: TokenFamily): { amr?: string[] } {
  return family.amr && family.amr.length > 0 ? { amr: family.amr } : {};
}

/**
 * Mints the access token and (when `openid` was granted, or `idToken` asks for it as API sign-ins
 * do) the ID token of `family` for `user`, with Cognito's claims; validities are read from the
 * settings at issue time.
 */
export async function mintTokens(
  ctx: EmulatorContext,
  family: TokenFamily,
  user: StoredUser,
  options: { nonce?: string | null; idToken?: boolean } = {},
): Promise<{ accessToken: string; idToken: string | undefined; expiresIn: number }> {
  const iss = issuerOf(ctx.config);
  const iat = ctx.clock.nowSeconds();
  const eventId = randomUUID();
  const groups = groupsOf(ctx, user);
  const groupNames = groups.length > 0 ? { 'cognito:groups': groups.map((group) => group.name) } : {};
  const accessToken = await sign(ctx, 'access', {
    sub: user.sub,
    ...groupNames,
    iss,
    client_id: family.clientId,
    origin_jti: family.originJti,
    event_id: eventId,
    token_use: 'access',
    ...amrClaim(family),
    scope: family.scopes.join(' '),
    auth_time: family.authTime,
    exp: iat + ctx.settings.accessTokenValiditySeconds,
    iat,
    jti: randomUUID(),
    username: user.username,
    version: 2,
  });
  if (!(options.idToken ?? family.scopes.includes('openid'))) {
    return { accessToken, idToken: undefined, expiresIn: ctx.settings.accessTokenValiditySeconds };
  }
  const { roles, preferred } = roleClaims(groups);
  // API sign-ins (idToken forced) carry every readable attribute, as an `openid`-only grant does.
  const email = options.idToken === true || coversEmail(family.scopes);
  const idToken = await sign(ctx, 'id', {
    at_hash: atHash(accessToken),
    sub: user.sub,
    ...groupNames,
    ...(email ? { email_verified: user.emailVerified } : {}),
    ...(preferred ? { 'cognito:preferred_role': preferred } : {}),
    iss,
    'cognito:username': user.username,
    ...(options.nonce ? { nonce: options.nonce } : {}),
    origin_jti: family.originJti,
    ...(roles.length > 0 ? { 'cognito:roles': roles } : {}),
    aud: family.clientId,
    event_id: eventId,
    token_use: 'id',
    ...amrClaim(family),
    auth_time: family.authTime,
    exp: iat + ctx.settings.idTokenValiditySeconds,
    iat,
    jti: randomUUID(),
    ...(email ? { email: user.email } : {}),
    ...user.attributes,
    ...identitiesOf(user),
  });
  return { accessToken, idToken, expiresIn: ctx.settings.accessTokenValiditySeconds };
}

/** `identities` (federated and linked users only), as Cognito writes it into ID tokens. */
function identitiesOf(user: StoredUser): { identities?: Record<string, string | null>[] } {
  const identities = identitiesClaim(user);
  return identities ? { identities } : {};
}

export type AccessCheck =
  | { ok: true; user: StoredUser; family: TokenFamily; claims: JWTPayload }
  | { ok: false; reason: 'malformed' | 'invalid' | 'expired' | 'revoked' };

/**
 * The online check Cognito makes on an access token (userInfo, token-authenticated API calls):
 * signature with the access key, issuer, token_use, expiry on the emulator clock, family not
 * revoked (revocation, global sign-out) and the user still present and enabled.
 */
export async function checkAccessToken(ctx: EmulatorContext, token: string): Promise<AccessCheck> {
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return { ok: false, reason: 'malformed' };
  const { key } = signingKey(ctx, 'access');
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, createPublicKey(key), {
      issuer: issuerOf(ctx.config),
      algorithms: ['RS256'],
      currentDate: ctx.clock.date(),
    }));
  } catch (error) {
    const expired = error instanceof Error && 'code' in error && error.code === 'ERR_JWT_EXPIRED';
    return { ok: false, reason: expired ? 'expired' : 'invalid' };
  }
  if (claims.token_use !== 'access') return { ok: false, reason: 'invalid' };
  const family = familyOf(ctx, claims.origin_jti);
  const user = typeof claims.username === 'string' ? findUser(ctx, claims.username) : undefined;
  if (!family || family.revoked || !user || !user.enabled || user.sub !== claims.sub) return { ok: false, reason: 'revoked' };
  return { ok: true, user, family, claims };
}
