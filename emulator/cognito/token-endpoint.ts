import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.ts';
import { readBody, sendJson } from '../http.ts';
import { type AppClient, findClient } from './client.ts';
import { consumeCode } from './flow-store.ts';
import { issueRefreshToken, lookupRefreshToken, openFamily, type TokenFamily } from './refresh-tokens.ts';
import { mintTokens, type TokenSet } from './tokens.ts';
import { findUser } from './users.ts';

/** Thrown inside the OAuth endpoints; answered as `status {"error": code}` (Cognito sends no description). */
export class OAuthError extends Error {
  readonly status: number;

  constructor(code: string, status = 400) {
    super(code);
    this.name = 'OAuthError';
    this.status = status;
  }
}

/** JSON as Cognito's token, revoke and userInfo endpoints send it (CORS open, request id header). */
export function sendOAuthJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJson(res, status, body, {
    'content-type': 'application/json;charset=UTF-8',
    'access-control-allow-origin': '*',
    'x-amz-cognito-request-id': randomUUID(),
    pragma: 'no-cache',
    ...headers,
  });
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * Reads an `application/x-www-form-urlencoded` body; any other content type (JSON included) is
 * `invalid_request`.
 */
export async function readOAuthForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const body = (await readBody(req)).toString('utf8');
  if (type !== 'application/x-www-form-urlencoded') throw new OAuthError('invalid_request');
  return new URLSearchParams(body);
}

/**
 * Client authentication: `Authorization: Basic` (client_secret_basic; id and secret
 * form-urlencoded) or `client_id` + `client_secret` in the body (client_secret_post). The app
 * client has a secret, so a matching one must be presented; otherwise `invalid_client` answered
 * with `failStatus` (token endpoint 400, revocation 401).
 */
export function authenticateClient(
  ctx: EmulatorContext,
  req: IncomingMessage,
  form: URLSearchParams,
  failStatus: number,
): AppClient {
  const header = req.headers.authorization ?? '';
  let clientId = form.get('client_id');
  let secret = form.get('client_secret');
  if (/^Basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const basicId = formDecode(decoded.slice(0, Math.max(colon, 0)));
    if (colon < 0 || (clientId !== null && clientId !== basicId)) throw new OAuthError('invalid_client', failStatus);
    clientId = basicId;
    secret = formDecode(decoded.slice(colon + 1));
  }
  const client = findClient(ctx, clientId);
  if (!client || secret === null || !sameSecret(secret, client.clientSecret)) throw new OAuthError('invalid_client', failStatus);
  return client;
}

function pkceMatches(verifier: string | null, challenge: string): boolean {
  if (!verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}

async function issue(ctx: EmulatorContext, family: TokenFamily, nonce: string | null, withRefresh: boolean): Promise<TokenSet> {
  const user = findUser(ctx, family.username);
  if (!user?.enabled) throw new OAuthError('invalid_grant');
  const { accessToken, idToken, expiresIn } = await mintTokens(ctx, family, user, { nonce });
  return {
    access_token: accessToken,
    ...(idToken ? { id_token: idToken } : {}),
    ...(withRefresh ? { refresh_token: issueRefreshToken(ctx, family) } : {}),
    expires_in: expiresIn,
    token_type: 'Bearer',
  };
}

async function authorizationCodeGrant(ctx: EmulatorContext, client: AppClient, form: URLSearchParams): Promise<TokenSet> {
  const code = form.get('code');
  const redirectUri = form.get('redirect_uri');
  if (!code || !redirectUri) throw new OAuthError('invalid_request');
  const grant = consumeCode(ctx, code);
  if (!grant || grant.clientId !== client.clientId) throw new OAuthError('invalid_grant');
  if (grant.redirectUri !== redirectUri) throw new OAuthError('unauthorized_client');
  if (!pkceMatches(form.get('code_verifier'), grant.codeChallenge)) throw new OAuthError('invalid_grant');
  const family = openFamily(ctx, {
    username: grant.username,
    clientId: client.clientId,
    scopes: grant.scopes,
    authTime: grant.authTime,
    ...(grant.amr ? { amr: grant.amr } : {}),
  });
  return issue(ctx, family, grant.nonce, true);
}

async function refreshTokenGrant(ctx: EmulatorContext, client: AppClient, form: URLSearchParams): Promise<TokenSet> {
  const token = form.get('refresh_token');
  if (!token) throw new OAuthError('invalid_request');
  const found = lookupRefreshToken(ctx, token);
  if (!found.ok || found.family.clientId !== client.clientId) throw new OAuthError('invalid_grant');
  const rotate = ctx.settings.refreshTokenRotation;
  const tokens = await issue(ctx, found.family, null, rotate);
  if (rotate) found.retire();
  return tokens;
}

/**
 * `POST /oauth2/token`: authorization_code (single-use code, exact redirect_uri, PKCE S256) and
 * refresh_token grants for the app client. A refresh answers without `refresh_token` unless
 * rotation is on; then the presented token retires and works only for the grace period.
 */
export async function handleToken(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext): Promise<void> {
  if (await ctx.faults.apply('token', res)) return;
  try {
    const form = await readOAuthForm(req);
    const client = authenticateClient(ctx, req, form, 400);
    const grantType = form.get('grant_type');
    ctx.countRequest(`token:${grantType ?? 'none'}`);
    let tokens: TokenSet;
    if (grantType === 'authorization_code') tokens = await authorizationCodeGrant(ctx, client, form);
    else if (grantType === 'refresh_token') tokens = await refreshTokenGrant(ctx, client, form);
    else if (grantType === 'client_credentials') throw new OAuthError('unauthorized_client');
    else if (grantType === null) throw new OAuthError('invalid_request');
    else throw new OAuthError('unsupported_grant_type');
    sendOAuthJson(res, 200, tokens);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    sendOAuthJson(res, error.status, { error: error.message });
  }
}
