import type { IncomingMessage, ServerResponse } from 'node:http';
import { issuerOf } from '../config.ts';
import type { EmulatorContext } from '../context.ts';
import { redirect, sendJson } from '../http.ts';
import { clearSessionCookie, errorPageLocation, validateAuthorize } from './authorize.ts';
import { findClient } from './client.ts';
import { publicJwks } from './keys.ts';
import { sendPage } from './page-layout.ts';
import { errorPage } from './pages.ts';
import { revokeRefreshToken } from './refresh-tokens.ts';
import { authenticateClient, OAuthError, readOAuthForm, sendOAuthJson } from './token-endpoint.ts';
import { checkAccessToken, coversEmail } from './tokens.ts';

/** `GET <issuer>/.well-known/openid-configuration`: exactly the key set of a 2025 Cognito document, sorted. */
export async function handleDiscovery(res: ServerResponse, ctx: EmulatorContext): Promise<void> {
  if (await ctx.faults.apply('jwks', res)) return;
  const domain = ctx.config.domain;
  const issuer = issuerOf(ctx.config);
  sendJson(res, 200, {
    authorization_endpoint: `${domain}/oauth2/authorize`,
    end_session_endpoint: `${domain}/logout`,
    id_token_signing_alg_values_supported: ['RS256'],
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code', 'token'],
    revocation_endpoint: `${domain}/oauth2/revoke`,
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    token_endpoint: `${domain}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    userinfo_endpoint: `${domain}/oauth2/userInfo`,
  });
}

/** `GET <issuer>/.well-known/jwks.json`: the two RS256 keys (ID tokens, access tokens). */
export async function handleJwks(res: ServerResponse, ctx: EmulatorContext): Promise<void> {
  if (await ctx.faults.apply('jwks', res)) return;
  sendJson(res, 200, publicJwks(ctx));
}

const USERINFO_BAD_REQUEST = 'Bad OAuth2 request at UserInfo Endpoint';
const USERINFO_INVALID_TOKEN = 'Access token is expired, disabled, or deleted, or the user has globally signed out.';

function userInfoError(res: ServerResponse, status: number, error: string, description: string): void {
  sendOAuthJson(
    res,
    status,
    { error, error_description: description },
    {
      'www-authenticate': `error="${error}", error_description="${description}"`,
    },
  );
}

/**
 * `GET /oauth2/userInfo` with `Authorization: Bearer <access token>` carrying `openid`: the online
 * check (expiry, revocation, global sign-out) then the user's attributes, `email_verified` as a string.
 */
export async function handleUserInfo(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext): Promise<void> {
  if (await ctx.faults.apply('userinfo', res)) return;
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match?.[1]) return userInfoError(res, 400, 'invalid_request', USERINFO_BAD_REQUEST);
  const check = await checkAccessToken(ctx, match[1]);
  if (!check.ok || !check.family.scopes.includes('openid')) {
    return userInfoError(res, 401, 'invalid_token', USERINFO_INVALID_TOKEN);
  }
  const { user, family } = check;
  const email = coversEmail(family.scopes);
  const profile = family.scopes.includes('profile') || family.scopes.every((scope) => !['email', 'phone'].includes(scope));
  sendOAuthJson(res, 200, {
    sub: user.sub,
    ...(email ? { email_verified: String(user.emailVerified) } : {}),
    ...(profile ? user.attributes : {}),
    ...(email ? { email: user.email } : {}),
    username: user.username,
  });
}

/**
 * `POST /oauth2/revoke`: revokes the refresh token's whole `origin_jti` family. 200 with an empty
 * body also for unknown tokens; a JWT (access or ID token) is `unsupported_token_type`.
 */
export async function handleRevoke(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext): Promise<void> {
  if (await ctx.faults.apply('revoke', res)) return;
  try {
    const form = await readOAuthForm(req);
    const client = authenticateClient(ctx, req, form, 401);
    const token = form.get('token');
    if (!token) throw new OAuthError('invalid_request');
    if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) throw new OAuthError('unsupported_token_type');
    revokeRefreshToken(ctx, token, client.clientId);
    res.writeHead(200, { 'access-control-allow-origin': '*', 'content-length': '0', 'cache-control': 'no-store' });
    res.end();
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    sendOAuthJson(res, error.status, { error: error.message });
  }
}

/**
 * `GET /logout`: with `client_id` + a registered `logout_uri`, ends the managed-login session and
 * redirects there; with `redirect_uri` + `response_type`, ends it and shows the sign-in page again.
 */
export function handleLogout(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, url: URL): void {
  const outcome = logoutOutcome(ctx, url.searchParams);
  redirect(res, outcome.location, outcome.endSession ? { 'set-cookie': clearSessionCookie(ctx, req) } : {});
}

function logoutOutcome(ctx: EmulatorContext, params: URLSearchParams): { location: string; endSession: boolean } {
  const clientId = params.get('client_id');
  const logoutUri = params.get('logout_uri');
  const missing = { location: errorPageLocation(ctx, 'Required parameters missing', clientId), endSession: false };
  if (!clientId) return missing;
  if (logoutUri !== null) {
    const client = findClient(ctx, clientId);
    if (!client?.logoutUrls.includes(logoutUri)) {
      return { location: errorPageLocation(ctx, 'redirect_mismatch', clientId), endSession: false };
    }
    return { location: logoutUri, endSession: true };
  }
  if (params.get('redirect_uri') === null || params.get('response_type') === null) return missing;
  const validation = validateAuthorize(ctx, params);
  if (!validation.ok) return { location: validation.location, endSession: false };
  const login = new URL('/login', ctx.config.domain);
  login.search = validation.request.query;
  return { location: login.href, endSession: true };
}

/** `GET /error?error=…`: the page Cognito shows when it cannot redirect back to the app. */
export function handleErrorPage(res: ServerResponse, ctx: EmulatorContext, url: URL): void {
  const error = url.searchParams.get('error') ?? 'unknown';
  const description = url.searchParams.get('error_description');
  sendPage(ctx, res, 400, errorPage(error, description));
}
