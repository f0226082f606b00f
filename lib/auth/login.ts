import 'server-only';
import * as client from 'openid-client';
import { getEnv } from '@/lib/env';
import { withRequestLogs } from '@/lib/http/request-id';
import { log } from '@/lib/log';
import { getOidcConfiguration, redirectUri, SCOPES } from './oidc';
import { resolveSignInChoice, type SignInTarget, signInPagePath } from './providers';
import { safeReturnTo } from './safe-redirect';
import { type CookieStore, createTransaction } from './transaction';

export interface LoginRequest {
  returnTo: string | null;
  /** `?provider=`: a configured provider's name (a "Continue with …" button). */
  provider: string | null;
  /** `?domain=`: a company email's domain (or the email itself), served by a configured provider. */
  domain?: string | null;
  /**
   * `?prompt=login`: sign in again even with a live managed-login session (Cognito's `prompt=login`),
   * so the new ID token's `auth_time` is now; /account asks for it before turning two-step
   * verification off (managed login then asks for the authenticator code). Any other value is ignored.
   */
  prompt?: string | null;
}

/**
 * Starts a sign-in: PKCE S256, state and nonce, always; the transaction goes into its own sealed
 * cookie keyed by state so several tabs can sign in at once. A provider or domain is first
 * mapped onto the configured list (lib/auth/providers.ts): only a configured provider name
 * becomes `identity_provider`, only a configured domain `idp_identifier`; anything else sends the
 * browser back to Cubby's sign-in page with the problem named, and nothing to Cognito. Returns
 * the URL to send the browser to. Route handlers only (writes a cookie).
 * @throws {AppError} `idp_unavailable` when Cognito's discovery cannot be reached.
 */
export function beginLogin(cookies: CookieStore, request: LoginRequest): Promise<URL> {
  return withRequestLogs(() => startLogin(cookies, request));
}

/** The authorize parameter a resolved choice adds, if any. */
function providerParameter(target: Exclude<SignInTarget, { kind: 'refused' }>): Record<string, string> {
  if (target.kind === 'provider') return { identity_provider: target.provider };
  if (target.kind === 'domain') return { idp_identifier: target.idpIdentifier };
  return {};
}

async function startLogin(cookies: CookieStore, request: LoginRequest): Promise<URL> {
  const env = getEnv();
  const returnTo = safeReturnTo(request.returnTo, env.APP_URL);
  const target = resolveSignInChoice(env.IDENTITY_PROVIDERS, { provider: request.provider, domain: request.domain });
  if (target.kind === 'refused') {
    // The refused value is not logged: it is whatever the request carried.
    log('warn', 'auth.login_refused', { problem: target.problem });
    return new URL(signInPagePath(returnTo, target), env.APP_URL);
  }
  const config = await getOidcConfiguration();
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const parameters: Record<string, string> = {
    redirect_uri: redirectUri(),
    scope: SCOPES,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...providerParameter(target),
    ...(request.prompt === 'login' ? { prompt: 'login' } : {}),
  };
  await createTransaction(cookies, { verifier, state, nonce, returnTo });
  log('info', 'auth.login_started', { provider: target.kind === 'managed' ? 'COGNITO' : target.provider });
  return client.buildAuthorizationUrl(config, parameters);
}
