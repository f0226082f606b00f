import { familyOf } from '../cognito/refresh-tokens.ts';
import { findUser } from '../cognito/users.ts';
import { loginsKeyOf } from '../config.ts';
import type { EmulatorContext } from '../context.ts';

/**
 * The Identity Pool's CognitoIdentityProviders, as the deployment stack configures them
 * (infra/lib/identity.ts): the one user pool with the app client, ServerSideTokenCheck on. Tests
 * may switch the check off with `POST /_local/settings {"serverSideTokenCheck": false}`.
 */
export interface CognitoIdentityProvider {
  /** The Logins key: the user pool's issuer without its scheme. */
  providerName: string;
  clientId: string;
  /**
   * Before GetId or GetCredentialsForIdentity accept an ID token, ask the user pool whether its
   * user signed out globally (or its sign-in was revoked), was deleted or disabled.
   */
  serverSideTokenCheck: boolean;
}

export function cognitoIdentityProviders(ctx: EmulatorContext): CognitoIdentityProvider[] {
  return [
    {
      providerName: loginsKeyOf(ctx.config),
      clientId: ctx.config.clientId,
      serverSideTokenCheck: ctx.settings.serverSideTokenCheck,
    },
  ];
}

/**
 * The user pool's answer to a server-side token check: the sign-in behind the ID token (the
 * family of its `origin_jti`, which revocation and global sign-out revoke) still stands and its
 * user still exists and is enabled.
 */
export function idTokenStillValid(
  ctx: EmulatorContext,
  claims: { origin_jti?: unknown; sub?: unknown; [claim: string]: unknown },
): boolean {
  const family = familyOf(ctx, claims.origin_jti);
  const username = claims['cognito:username'];
  const user = typeof username === 'string' ? findUser(ctx, username) : undefined;
  return Boolean(family && !family.revoked && user?.enabled && user.sub === claims.sub);
}
