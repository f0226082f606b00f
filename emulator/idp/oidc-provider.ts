import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SignJWT } from 'jose';
import { emulatedIssuer } from '../cognito/identity-providers.ts';
import type { EmulatorContext } from '../context.ts';
import { readForm, redirect, sendJson } from '../http.ts';
import { handleOidcProviderHooks } from './oidc-hooks.ts';
import { providerJwks, providerSigningKey, rogueKey } from './oidc-keys.ts';
import { providerErrorPage, sendProviderPage, signInPage } from './oidc-pages.ts';
import { identiconPng } from './oidc-photo.ts';
import {
  accountFor,
  consumeProviderCode,
  type EmulatedProvider,
  emulatedProvider,
  issueProviderCode,
  type Misbehaviour,
  memory,
  type ProviderCode,
  registeredClient,
  takeMisbehaviour,
} from './oidc-store.ts';

/**
 * The emulated OIDC providers on the emulator's origin, `/_idp/google/…` (Google-shaped) and
 * `/_idp/acme/…` (an enterprise provider): discovery, JWKS, an authorize page, a token endpoint
 * (client_secret_post/basic, single-use codes, PKCE), userinfo and profile pictures. Plus the test
 * switch `POST /_local/idp/<slug>/misbehave` (`DELETE` clears it).
 */

const ID_TOKEN_SECONDS = 3600;

function issuer(ctx: EmulatorContext, provider: EmulatedProvider): string {
  return emulatedIssuer(ctx, provider.slug);
}

function discovery(ctx: EmulatorContext, provider: EmulatedProvider) {
  const iss = issuer(ctx, provider);
  return {
    issuer: iss,
    authorization_endpoint: `${iss}/authorize`,
    token_endpoint: `${iss}/token`,
    userinfo_endpoint: `${iss}/userinfo`,
    jwks_uri: `${iss}/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'email', 'profile'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    claims_supported: ['aud', 'email', 'email_verified', 'exp', 'iat', 'iss', 'name', 'nonce', 'picture', 'sub'],
    code_challenge_methods_supported: ['S256'],
    grant_types_supported: ['authorization_code'],
  };
}

/** Checks client and redirect URI; a failure is shown on the provider's page, never redirected. */
function trustedRedirect(ctx: EmulatorContext, provider: EmulatedProvider, params: URLSearchParams): string | undefined {
  const client = registeredClient(ctx, provider.slug, params.get('client_id'));
  const redirectUri = params.get('redirect_uri') ?? '';
  return client?.redirectUris.includes(redirectUri) ? redirectUri : undefined;
}

function backToClient(res: ServerResponse, redirectUri: string, params: URLSearchParams, answer: Record<string, string>): void {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(answer)) url.searchParams.set(name, value);
  const state = params.get('state');
  if (state !== null) url.searchParams.set('state', state);
  redirect(res, url.href);
}

/** The protocol errors a provider redirects back with, or null when the request is acceptable. */
function requestError(params: URLSearchParams): string | null {
  if (params.get('response_type') !== 'code') return 'unsupported_response_type';
  if (!(params.get('scope') ?? '').split(/\s+/).includes('openid')) return 'invalid_scope';
  const method = params.get('code_challenge_method');
  if ((params.get('code_challenge') !== null || method !== null) && method !== 'S256') return 'invalid_request';
  return null;
}

function showAuthorize(ctx: EmulatorContext, res: ServerResponse, provider: EmulatedProvider, url: URL) {
  const params = url.searchParams;
  const redirectUri = trustedRedirect(ctx, provider, params);
  if (!redirectUri) {
    return sendProviderPage(
      ctx,
      res,
      400,
      providerErrorPage(provider, 'redirect_uri_mismatch', 'The client or its redirect URI is not registered.'),
    );
  }
  const error = requestError(params);
  if (error) return backToClient(res, redirectUri, params, { error });
  sendProviderPage(ctx, res, 200, signInPage(provider, params, { email: params.get('login_hint') ?? '', name: '' }));
}

async function postAuthorize(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, provider: EmulatedProvider) {
  const form = await readForm(req);
  const redirectUri = trustedRedirect(ctx, provider, form);
  if (!redirectUri) {
    return sendProviderPage(
      ctx,
      res,
      400,
      providerErrorPage(provider, 'redirect_uri_mismatch', 'The client or its redirect URI is not registered.'),
    );
  }
  const error = requestError(form);
  if (error) return backToClient(res, redirectUri, form, { error });
  if (form.get('action') === 'cancel') {
    return backToClient(res, redirectUri, form, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' });
  }
  const email = (form.get('email') ?? '').trim().toLowerCase();
  const name = form.get('name') ?? '';
  const problem = !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)
    ? 'Enter a valid email address.'
    : provider.emailDomain && !email.endsWith(`@${provider.emailDomain}`)
      ? `Use your @${provider.emailDomain} account.`
      : null;
  if (problem) return sendProviderPage(ctx, res, 400, signInPage(provider, form, { email, name }, problem));
  const account = accountFor(ctx, provider, email, name);
  const code = issueProviderCode(ctx, {
    slug: provider.slug,
    clientId: form.get('client_id') ?? '',
    redirectUri,
    nonce: form.get('nonce'),
    codeChallenge: form.get('code_challenge'),
    scope: form.get('scope') ?? 'openid',
    account,
  });
  backToClient(res, redirectUri, form, { code, scope: form.get('scope') ?? 'openid' });
}

function clientCredentials(req: IncomingMessage, form: URLSearchParams): { id: string | null; secret: string | null } {
  const header = req.headers.authorization ?? '';
  if (header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const index = decoded.indexOf(':');
    if (index > 0) {
      return { id: decodeURIComponent(decoded.slice(0, index)), secret: decodeURIComponent(decoded.slice(index + 1)) };
    }
  }
  return { id: form.get('client_id'), secret: form.get('client_secret') };
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

async function idToken(
  ctx: EmulatorContext,
  provider: EmulatedProvider,
  grant: ProviderCode,
  accessToken: string,
  fault: Misbehaviour | undefined,
) {
  const now = ctx.clock.nowSeconds();
  const iat = fault === 'expired' ? now - 2 * ID_TOKEN_SECONDS : now;
  const iss = issuer(ctx, provider);
  const { account } = grant;
  const claims = {
    iss: fault === 'wrong-issuer' ? `${iss}-other` : iss,
    ...(provider.authorizedParty ? { azp: grant.clientId } : {}),
    aud: fault === 'wrong-audience' ? 'another-client' : grant.clientId,
    sub: account.sub,
    email: account.email,
    email_verified: true,
    at_hash: createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url'),
    ...(grant.nonce !== null ? { nonce: fault === 'wrong-nonce' ? `${grant.nonce}-other` : grant.nonce } : {}),
    name: account.name,
    picture: `${iss}/photo/${encodeURIComponent(account.sub)}`,
    iat,
    exp: iat + ID_TOKEN_SECONDS,
  };
  const { kid, key } = providerSigningKey(ctx, provider.slug);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .sign(fault === 'bad-signature' ? rogueKey() : key);
}

async function token(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, provider: EmulatedProvider) {
  const fault = takeMisbehaviour(ctx, provider.slug);
  if (fault === 'unreachable') {
    res.destroy();
    return;
  }
  const form = await readForm(req);
  const { id, secret } = clientCredentials(req, form);
  const client = registeredClient(ctx, provider.slug, id);
  if (!client || !secret || !sameSecret(secret, client.clientSecret)) {
    return sendJson(res, 401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
  }
  if (form.get('grant_type') !== 'authorization_code') return sendJson(res, 400, { error: 'unsupported_grant_type' });
  const grant = consumeProviderCode(ctx, provider.slug, form.get('code') ?? '');
  const invalidGrant = (description: string) => sendJson(res, 400, { error: 'invalid_grant', error_description: description });
  if (!grant || grant.clientId !== client.clientId) return invalidGrant('Malformed auth code.');
  if (grant.redirectUri !== form.get('redirect_uri')) return invalidGrant('Bad Request');
  if (grant.codeChallenge !== null) {
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== grant.codeChallenge)
      return invalidGrant('Invalid code verifier.');
  }
  if (fault === 'token-error') return invalidGrant('Bad Request');
  const accessToken = `ya29.${randomBytes(48).toString('base64url')}`;
  memory(ctx).accessTokens.set(accessToken, {
    account: grant.account,
    slug: provider.slug,
    expiresAt: ctx.clock.nowSeconds() + 3599,
  });
  sendJson(res, 200, {
    access_token: accessToken,
    expires_in: 3599,
    scope: grant.scope,
    token_type: 'Bearer',
    id_token: await idToken(ctx, provider, grant, accessToken, fault),
  });
}

function userInfo(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, provider: EmulatedProvider) {
  const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
  const record = memory(ctx).accessTokens.get(bearer);
  if (!record || record.slug !== provider.slug || record.expiresAt <= ctx.clock.nowSeconds()) {
    return sendJson(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
  }
  const { account } = record;
  sendJson(res, 200, {
    sub: account.sub,
    email: account.email,
    email_verified: true,
    name: account.name,
    picture: `${issuer(ctx, provider)}/photo/${encodeURIComponent(account.sub)}`,
  });
}

/**
 * Answers `/_idp/google/*`, `/_idp/acme/*` and the test hooks `/_local/idp/<slug>/misbehave`
 * (POST, DELETE) and `/_local/idp/<slug>/accounts` (POST); false for anything else.
 */
export async function handleOidcProviders(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: EmulatorContext,
  url: URL,
): Promise<boolean> {
  if (await handleOidcProviderHooks(req, res, ctx, url)) return true;
  const match = /^\/_idp\/([a-z]+)(\/.*)$/.exec(url.pathname);
  const provider = match ? emulatedProvider(match[1] ?? '') : undefined;
  if (!match || !provider) return false;
  const route = `${req.method} ${match[2]}`;
  const photo = /^GET \/photo\/([^/]+)$/.exec(route);
  if (photo) {
    res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'public, max-age=3600' });
    res.end(identiconPng(`${provider.slug}:${decodeURIComponent(photo[1] ?? '')}`));
    return true;
  }
  switch (route) {
    case 'GET /.well-known/openid-configuration':
      sendJson(res, 200, discovery(ctx, provider));
      return true;
    case 'GET /jwks':
      sendJson(res, 200, providerJwks(ctx, provider.slug));
      return true;
    case 'GET /authorize':
      showAuthorize(ctx, res, provider, url);
      return true;
    case 'POST /authorize':
      await postAuthorize(req, res, ctx, provider);
      return true;
    case 'POST /token':
      await token(req, res, ctx, provider);
      return true;
    case 'GET /userinfo':
      userInfo(req, res, ctx, provider);
      return true;
    default:
      return false;
  }
}
