import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.ts';
import { parseCookies, redirect } from '../http.ts';
import { type AppClient, findClient, grantScopes } from './client.ts';
import { startOidcFederation } from './federation-oidc.ts';
import { endSession, findSession, issueCode, startSession } from './flow-store.ts';
import { findProviderByName, type IdentityProvider, providerForClient } from './identity-providers.ts';
import { startSamlSignIn } from './saml-request.ts';
import { findUser, type StoredUser } from './users.ts';

/** The managed-login session cookie (Cognito's is also named `cognito`). */
export const SESSION_COOKIE = 'cognito';

/** The authorize parameters the pages carry along (prompt and identity_provider act only once, at authorize). */
const CARRIED = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
];

/** Cognito's description for an identity provider it cannot use for this request. */
const UNAVAILABLE = 'Login option is not available. Please try another one';

/** A validated `/oauth2/authorize` request. */
export interface AuthorizeRequest {
  client: AppClient;
  redirectUri: string;
  state: string | null;
  nonce: string | null;
  codeChallenge: string;
  scopes: string[];
  prompt: string[];
  loginHint: string;
  /**
   * The external provider to sign in with (`identity_provider`, or the provider whose IdP
   * identifier matched `idp_identifier`), or `COGNITO`, or null when neither was given.
   */
  identityProvider: string | null;
  /** The query string the managed-login pages keep in their URLs. */
  query: string;
}

export type AuthorizeValidation = { ok: true; request: AuthorizeRequest } | { ok: false; location: string };

/** `/error?error=<code>&client_id=<id>`: where Cognito sends a browser it cannot trust to redirect_uri. */
export function errorPageLocation(ctx: EmulatorContext, error: string, clientId: string | null): string {
  const url = new URL('/error', ctx.config.domain);
  url.searchParams.set('error', error);
  if (clientId) url.searchParams.set('client_id', clientId);
  return url.href;
}

/** `redirect_uri?error=…[&error_description=…]&state=…` (state appended as RFC 6749 requires). */
export function errorRedirect(redirectUri: string, error: string, state: string | null, description?: string): string {
  const url = new URL(redirectUri);
  url.searchParams.set('error', error);
  if (description) url.searchParams.set('error_description', description);
  if (state !== null) url.searchParams.set('state', state);
  return url.href;
}

/**
 * Validates authorize parameters in Cognito's order: client and exact redirect_uri first (else the
 * `/error?error=redirect_mismatch` page, never the untrusted URI), then response_type (`token` →
 * unauthorized_client), PKCE S256 (required for this client), identity_provider. Scopes the client
 * may not use are dropped.
 */
export function validateAuthorize(ctx: EmulatorContext, params: URLSearchParams): AuthorizeValidation {
  const clientId = params.get('client_id');
  const client = findClient(ctx, clientId);
  const redirectUri = params.get('redirect_uri');
  if (!client || !redirectUri || !client.callbackUrls.includes(redirectUri)) {
    return { ok: false, location: errorPageLocation(ctx, 'redirect_mismatch', clientId) };
  }
  const state = params.get('state');
  const fail = (error: string, description?: string) =>
    ({ ok: false, location: errorRedirect(redirectUri, error, state, description) }) as const;
  const responseType = params.get('response_type');
  if (responseType === 'token') return fail('unauthorized_client');
  if (responseType !== 'code') return fail('invalid_request');
  const method = params.get('code_challenge_method');
  const challenge = params.get('code_challenge');
  if (method !== 'S256' || !challenge || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return fail('invalid_request');
  const identityProvider = federatedProviderName(ctx, client, params);
  if (identityProvider === undefined) return fail('invalid_request', UNAVAILABLE);
  const carried = new URLSearchParams();
  for (const name of CARRIED) {
    const value = params.get(name);
    if (value !== null) carried.set(name, value);
  }
  return {
    ok: true,
    request: {
      client,
      redirectUri,
      state,
      nonce: params.get('nonce'),
      codeChallenge: challenge,
      scopes: grantScopes(client, params.get('scope')),
      prompt: (params.get('prompt') ?? '').split(/\s+/).filter(Boolean),
      loginHint: params.get('login_hint') ?? '',
      identityProvider,
      query: carried.toString(),
    },
  };
}

/**
 * `COGNITO`, the name of the external provider `identity_provider` / `idp_identifier` names (it
 * must be one of the client's SupportedIdentityProviders), null when neither is given, undefined
 * when the provider is unknown or not supported by the client.
 */
function federatedProviderName(ctx: EmulatorContext, client: AppClient, params: URLSearchParams): string | null | undefined {
  const identityProvider = params.get('identity_provider');
  const idpIdentifier = params.get('idp_identifier');
  if (identityProvider === 'COGNITO') return identityProvider;
  if (identityProvider === null && idpIdentifier === null) return null;
  return providerForClient(ctx, client, { identityProvider, idpIdentifier })?.name;
}

/** Sends the browser to the external provider: an OIDC (or Google) authorize request, or a SAML AuthnRequest. */
async function startFederation(
  ctx: EmulatorContext,
  res: ServerResponse,
  request: AuthorizeRequest,
  provider: IdentityProvider,
): Promise<void> {
  if (provider.oidc) startOidcFederation(ctx, res, request, { ...provider, oidc: provider.oidc });
  else if (provider.saml) await startSamlSignIn(ctx, res, request, provider);
  else redirect(res, errorRedirect(request.redirectUri, 'invalid_request', request.state, UNAVAILABLE));
}

/** The managed-login session of this browser, if live and its user still exists and is enabled. */
export function currentSession(
  ctx: EmulatorContext,
  req: IncomingMessage,
): { user: StoredUser; authTime: number; amr: string[] | undefined } | undefined {
  const session = findSession(ctx, parseCookies(req)[SESSION_COOKIE]);
  const user = session ? findUser(ctx, session.username) : undefined;
  return session && user?.enabled ? { user, authTime: session.authTime, amr: session.amr } : undefined;
}

/** A cookie header that removes the managed-login session. */
export function clearSessionCookie(ctx: EmulatorContext, req: IncomingMessage): string {
  endSession(ctx, parseCookies(req)[SESSION_COOKIE]);
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}

/** Issues the code and sends the browser back: `302 redirect_uri?code=<uuid>&state=<state>`. */
function redirectWithCode(
  ctx: EmulatorContext,
  res: ServerResponse,
  request: AuthorizeRequest,
  user: StoredUser,
  authTime: number,
  amr: string[] | undefined,
  headers: Record<string, string> = {},
): void {
  const code = issueCode(ctx, {
    clientId: request.client.clientId,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    nonce: request.nonce,
    scopes: request.scopes,
    username: user.username,
    authTime,
    ...(amr ? { amr } : {}),
  });
  const location = new URL(request.redirectUri);
  location.searchParams.set('code', code);
  if (request.state !== null) location.searchParams.set('state', request.state);
  redirect(res, location.href, headers);
}

/** Starts a managed-login session for `user` signed in now by `amr`; returns its `Set-Cookie` value. */
export function startSessionCookie(ctx: EmulatorContext, user: StoredUser, amr?: string[]): string {
  const session = startSession(ctx, user.username, ctx.clock.nowSeconds(), amr);
  return `${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${ctx.settings.managedLoginSessionSeconds}`;
}

/**
 * Completes an interactive sign-in: new managed-login session cookie, then the code redirect.
 * `amr` says how the user signed in (e.g. `['pwd']`), carried into the tokens.
 */
export function completeSignIn(
  ctx: EmulatorContext,
  res: ServerResponse,
  request: AuthorizeRequest,
  user: StoredUser,
  amr?: string[],
): void {
  const authTime = ctx.clock.nowSeconds();
  const cookie = startSessionCookie(ctx, user, amr);
  redirectWithCode(ctx, res, request, user, authTime, amr, { 'set-cookie': cookie });
}

/**
 * `GET /oauth2/authorize`: with an external `identity_provider` / `idp_identifier`, straight to that
 * provider (a live session answers only `prompt=none`); otherwise a live session answers at once
 * with a code (unless `prompt=login`); `prompt=none` without one gives `login_required`; otherwise
 * `302 /login?<params>`.
 */
export async function handleAuthorize(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, url: URL): Promise<void> {
  if (await ctx.faults.apply('authorize', res)) return;
  const validation = validateAuthorize(ctx, url.searchParams);
  if (!validation.ok) return redirect(res, validation.location);
  const { request } = validation;
  const session = currentSession(ctx, req);
  const provider =
    request.identityProvider && request.identityProvider !== 'COGNITO' && !request.prompt.includes('none')
      ? findProviderByName(ctx, request.identityProvider)
      : undefined;
  if (provider) return startFederation(ctx, res, request, provider);
  if (session && !request.prompt.includes('login')) {
    return redirectWithCode(ctx, res, request, session.user, session.authTime, session.amr);
  }
  if (request.prompt.includes('none')) {
    return redirect(res, errorRedirect(request.redirectUri, 'login_required', request.state));
  }
  const login = new URL('/login', ctx.config.domain);
  login.search = request.query;
  if (request.loginHint) login.searchParams.set('login_hint', request.loginHint);
  redirect(res, login.href);
}
