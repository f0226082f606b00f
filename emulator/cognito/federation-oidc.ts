import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { EmulatorContext } from '../context.ts';
import { redirect } from '../http.ts';
import { type AuthorizeRequest, errorPageLocation } from './authorize.ts';
import { completeFederatedSignIn, federationError, startFederationFlow, takeFederationFlow } from './federation.ts';
import { findProviderByName, type IdentityProvider, type OidcProviderDetails } from './identity-providers.ts';

/**
 * The pool as an OIDC relying party (Google and OIDC providers): `/oauth2/authorize` sends the
 * browser to the provider with the pool's own state, nonce and PKCE; `/oauth2/idpresponse` takes the
 * code back, exchanges it at the provider's token endpoint (bounded), verifies the ID token
 * (signature from the provider's JWKS, issuer, audience, nonce, exp/iat on the emulator's clock),
 * maps its claims to pool attributes and completes the federated sign-in. Every failure ends in
 * Cognito's error redirect to the app, never a 500.
 */

/** Bound on each call the pool makes to a provider (token endpoint, JWKS). */
const PROVIDER_TIMEOUT_MS = 5000;
/** `iat` may be this far in the future (clock skew between pool and provider). */
const CLOCK_TOLERANCE_SECONDS = 300;
/** Prompt values Cognito forwards to OIDC providers (`none` is the pool's own). */
const FORWARDED_PROMPTS = new Set(['login', 'select_account', 'consent']);

/** `<managed-login domain>/oauth2/idpresponse`: the redirect URI the pool registers at OIDC providers. */
export function idpResponseUrl(ctx: EmulatorContext): string {
  return new URL('/oauth2/idpresponse', ctx.config.domain).href;
}

/** Sends the browser to the provider's authorization endpoint (login_hint and prompt forwarded). */
export function startOidcFederation(
  ctx: EmulatorContext,
  res: ServerResponse,
  request: AuthorizeRequest,
  provider: IdentityProvider & { oidc: OidcProviderDetails },
): void {
  const nonce = randomBytes(32).toString('base64url');
  const verifier = randomBytes(32).toString('base64url');
  const state = startFederationFlow(ctx, request, provider.name, { nonce, verifier });
  const url = new URL(provider.oidc.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', provider.oidc.clientId);
  url.searchParams.set('redirect_uri', idpResponseUrl(ctx));
  url.searchParams.set('scope', provider.oidc.scopes.join(' '));
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
  url.searchParams.set('code_challenge_method', 'S256');
  if (request.loginHint) url.searchParams.set('login_hint', request.loginHint);
  const prompt = request.prompt.filter((value) => FORWARDED_PROMPTS.has(value));
  if (prompt.length > 0) url.searchParams.set('prompt', prompt.join(' '));
  redirect(res, url.href);
}

type Outcome = { ok: true; claims: JWTPayload } | { ok: false; error: string; description: string };

async function exchangeCode(
  ctx: EmulatorContext,
  provider: IdentityProvider & { oidc: OidcProviderDetails },
  code: string,
  verifier: string,
): Promise<Outcome> {
  const { oidc } = provider;
  let response: Response;
  try {
    response = await fetch(oidc.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: idpResponseUrl(ctx),
        client_id: oidc.clientId,
        client_secret: oidc.clientSecret,
        code_verifier: verifier,
      }),
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    });
  } catch {
    return { ok: false, error: 'invalid_request', description: 'Timeout occurred in calling IdP token endpoint' };
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!response.ok || !body || typeof body.id_token !== 'string') {
    const detail = [body?.error, body?.error_description].filter((part) => typeof part === 'string').join(' ');
    return { ok: false, error: 'invalid_request', description: `${provider.name} Error - ${response.status} ${detail}`.trim() };
  }
  return verifyIdToken(ctx, provider, body.id_token);
}

async function verifyIdToken(
  ctx: EmulatorContext,
  provider: IdentityProvider & { oidc: OidcProviderDetails },
  idToken: string,
): Promise<Outcome> {
  const jwks = createRemoteJWKSet(new URL(provider.oidc.jwksUri), { timeoutDuration: PROVIDER_TIMEOUT_MS, cacheMaxAge: 0 });
  try {
    const { payload } = await jwtVerify(idToken, jwks, {
      issuer: provider.oidc.issuer,
      audience: provider.oidc.clientId,
      algorithms: ['RS256'],
      requiredClaims: ['sub', 'exp', 'iat'],
      currentDate: ctx.clock.date(),
      clockTolerance: 0,
    });
    if (typeof payload.iat === 'number' && payload.iat > ctx.clock.nowSeconds() + CLOCK_TOLERANCE_SECONDS) {
      return { ok: false, error: 'invalid_request', description: 'Invalid id_token: issued in the future' };
    }
    return { ok: true, claims: payload };
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'ERR_JWT_INVALID';
    return { ok: false, error: 'invalid_request', description: `Invalid id_token: ${describeJoseError(code, error)}` };
  }
}

function describeJoseError(code: string, error: unknown): string {
  switch (code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'signature verification failed';
    case 'ERR_JWT_EXPIRED':
      return 'token expired';
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'signing key not found';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = error && typeof error === 'object' && 'claim' in error ? String(error.claim) : 'claim';
      return `${claim} claim mismatch`;
    }
    default:
      return 'malformed token';
  }
}

/** Pool attributes from the ID token's claims through the provider's attribute mapping (all values strings). */
export function mapClaims(provider: IdentityProvider, claims: JWTPayload): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [attribute, claim] of Object.entries(provider.attributeMapping)) {
    if (attribute === 'username') continue;
    const value = claims[claim];
    if (typeof value === 'string') attributes[attribute] = value;
    else if (typeof value === 'boolean' || typeof value === 'number') attributes[attribute] = String(value);
  }
  return attributes;
}

/**
 * `GET /oauth2/idpresponse?code&state` (or `?error&state`): the provider's answer. An unknown,
 * used or expired state cannot be traced to an app, so it ends on the pool's `/error` page.
 */
export async function handleIdpResponse(res: ServerResponse, ctx: EmulatorContext, url: URL): Promise<void> {
  const flow = takeFederationFlow(ctx, url.searchParams.get('state'));
  const provider = flow ? findProviderByName(ctx, flow.providerName) : undefined;
  if (!flow || !provider?.oidc) return redirect(res, errorPageLocation(ctx, 'invalid_request', null));
  const { request } = flow;
  const oidcProvider = { ...provider, oidc: provider.oidc };
  const providerError = url.searchParams.get('error');
  if (providerError !== null) {
    const detail = url.searchParams.get('error_description') ?? providerError;
    return federationError(ctx, res, request, providerError, `${provider.name} Error - ${detail}`);
  }
  const code = url.searchParams.get('code');
  if (!code) return federationError(ctx, res, request, 'invalid_request', `${provider.name} Error - missing code`);
  const outcome = await exchangeCode(ctx, oidcProvider, code, flow.extra.verifier ?? '');
  if (!outcome.ok) return federationError(ctx, res, request, outcome.error, outcome.description);
  const { claims } = outcome;
  if (claims.nonce !== flow.extra.nonce) {
    return federationError(ctx, res, request, 'invalid_request', 'Invalid id_token: nonce claim mismatch');
  }
  const userIdClaim = provider.attributeMapping.username ?? 'sub';
  const userId = claims[userIdClaim];
  if (typeof userId !== 'string' || userId === '') {
    return federationError(ctx, res, request, 'invalid_request', `Invalid id_token: missing ${userIdClaim}`);
  }
  completeFederatedSignIn(ctx, res, request, { providerName: provider.name, userId, attributes: mapClaims(provider, claims) });
}
