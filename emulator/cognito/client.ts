import type { EmulatorContext } from '../context.ts';

/** Scopes Cognito reserves; the app client is allowed all of them. */
export const ALLOWED_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'] as const;

/** The pool's one app client: confidential (has a secret), code flow with PKCE S256 required. */
export interface AppClient {
  clientId: string;
  clientSecret: string;
  /** Exact-match callback URLs (`${appUrl}/auth/callback`). */
  callbackUrls: string[];
  /** Exact-match sign-out URLs (`${appUrl}/`). */
  logoutUrls: string[];
  allowedScopes: readonly string[];
}

export function appClient(ctx: EmulatorContext): AppClient {
  const { config } = ctx;
  return {
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    callbackUrls: [`${config.appUrl}/auth/callback`],
    logoutUrls: [`${config.appUrl}/`],
    allowedScopes: ALLOWED_SCOPES,
  };
}

/** The app client with this id, or undefined. */
export function findClient(ctx: EmulatorContext, clientId: string | null | undefined): AppClient | undefined {
  const client = appClient(ctx);
  return clientId === client.clientId ? client : undefined;
}

/**
 * The scopes granted for a requested `scope` parameter: scopes the client may not use are dropped
 * (not an error); no parameter grants every allowed scope. Order follows the request, duplicates removed.
 */
export function grantScopes(client: AppClient, requested: string | null): string[] {
  if (requested === null || requested.trim() === '') return [...client.allowedScopes];
  const granted = requested.split(/\s+/).filter((scope) => client.allowedScopes.includes(scope));
  return [...new Set(granted)];
}
