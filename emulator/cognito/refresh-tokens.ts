import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context.ts';

/**
 * One authentication and everything minted from it: its `origin_jti` is in every ID/access token
 * and every refresh token of the family. Revoking the family (`/oauth2/revoke`, global sign-out)
 * kills them all for userInfo and refresh.
 */
export interface TokenFamily {
  originJti: string;
  username: string;
  clientId: string;
  scopes: string[];
  /** Epoch seconds of the original sign-in; preserved on refresh. */
  authTime: number;
  /** How the user signed in (the tokens' `amr`, kept on refresh), when known. */
  amr?: string[];
  /** Epoch seconds; rotated refresh tokens inherit it (rotation never extends a session). */
  expiresAt: number;
  revoked: boolean;
}

interface RefreshRecord {
  originJti: string;
  /** Epoch seconds when rotation retired this token, or null while it is current. */
  retiredAt: number | null;
}

interface TokenSection {
  families: Record<string, TokenFamily>;
  /** Keyed by SHA-256 (hex) of the refresh token. */
  refresh: Record<string, RefreshRecord>;
}

function section(ctx: EmulatorContext): TokenSection {
  return ctx.state.section<TokenSection>('cognito-tokens', () => ({ families: {}, refresh: {} }));
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The JWE header Cognito's refresh tokens start with: `{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}`. */
export const REFRESH_TOKEN_HEADER = 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ';

/**
 * An opaque refresh token shaped like Cognito's compact JWE: header, 256-byte encrypted key,
 * 12-byte IV, ciphertext, 16-byte tag; about 1,780 characters. Only its digest is stored.
 */
export function opaqueRefreshToken(): string {
  const part = (bytes: number) => randomBytes(bytes).toString('base64url');
  return [REFRESH_TOKEN_HEADER, part(256), part(12), part(1000), part(16)].join('.');
}

/** Opens a new family for a fresh sign-in; the refresh lifetime is read from the settings now. */
export function openFamily(
  ctx: EmulatorContext,
  grant: { username: string; clientId: string; scopes: string[]; authTime: number; amr?: string[] },
): TokenFamily {
  const store = section(ctx);
  const now = ctx.clock.nowSeconds();
  for (const [id, family] of Object.entries(store.families)) {
    if (family.expiresAt < now - 86_400) delete store.families[id];
  }
  for (const [key, record] of Object.entries(store.refresh)) {
    if (!store.families[record.originJti]) delete store.refresh[key];
  }
  const family: TokenFamily = {
    originJti: randomUUID(),
    ...grant,
    expiresAt: now + ctx.settings.refreshTokenValiditySeconds,
    revoked: false,
  };
  store.families[family.originJti] = family;
  ctx.state.changed();
  return family;
}

/** Mints a refresh token of `family`. */
export function issueRefreshToken(ctx: EmulatorContext, family: TokenFamily): string {
  const token = opaqueRefreshToken();
  section(ctx).refresh[digest(token)] = { originJti: family.originJti, retiredAt: null };
  ctx.state.changed();
  return token;
}

export type RefreshLookup =
  | { ok: true; family: TokenFamily; retire: () => void }
  | { ok: false; reason: 'unknown' | 'revoked' | 'expired' | 'retired' };

/**
 * Checks a refresh token: known, family not revoked or expired, and (after rotation) still within
 * the retry grace period. `retire` marks it as replaced by a rotated token (first call only).
 */
export function lookupRefreshToken(ctx: EmulatorContext, token: string): RefreshLookup {
  const store = section(ctx);
  const record = store.refresh[digest(token)];
  const family = record ? store.families[record.originJti] : undefined;
  if (!record || !family) return { ok: false, reason: 'unknown' };
  const now = ctx.clock.nowSeconds();
  if (family.revoked) return { ok: false, reason: 'revoked' };
  if (family.expiresAt <= now) return { ok: false, reason: 'expired' };
  if (record.retiredAt !== null && now >= record.retiredAt + ctx.settings.retryGracePeriodSeconds) {
    return { ok: false, reason: 'retired' };
  }
  return {
    ok: true,
    family,
    retire: () => {
      if (record.retiredAt === null) record.retiredAt = now;
      ctx.state.changed();
    },
  };
}

/** The family of an `origin_jti`, or undefined. */
export function familyOf(ctx: EmulatorContext, originJti: unknown): TokenFamily | undefined {
  return typeof originJti === 'string' ? section(ctx).families[originJti] : undefined;
}

/** Revokes the family of a refresh token, if known. */
export function revokeRefreshToken(ctx: EmulatorContext, token: string, clientId: string): void {
  const store = section(ctx);
  const record = store.refresh[digest(token)];
  const family = record ? store.families[record.originJti] : undefined;
  if (!family || family.clientId !== clientId) return;
  family.revoked = true;
  ctx.state.changed();
}

/** Revokes every family of a user (AdminUserGlobalSignOut, AdminDeleteUser). */
export function revokeUserFamilies(ctx: EmulatorContext, username: string): void {
  for (const family of Object.values(section(ctx).families)) {
    if (family.username === username) family.revoked = true;
  }
  ctx.state.changed();
}
