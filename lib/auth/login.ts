import 'server-only';
import * as client from 'openid-client';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { withRequestLogs } from '@/lib/http/request-id';
import { log } from '@/lib/log';
import { getOidcConfiguration, redirectUri, SCOPES } from './oidc';
import { safeReturnTo } from './safe-redirect';
import { type CookieStore, createTransaction } from './transaction';

/** Federated IdP names as Cognito accepts them in `identity_provider` (COGNITO, Google, SAML names...). */
const PROVIDER_NAME = /^[\w.-]{1,40}$/;

export interface LoginRequest {
  returnTo: string | null;
  provider: string | null;
}

/**
 * Starts a sign-in: PKCE S256, state and nonce, always; the transaction goes into its own sealed
 * cookie keyed by state so several tabs can sign in at once. Returns the managed-login URL to
 * send the browser to. Route handlers only (writes a cookie).
 * @throws {AppError} `idp_unavailable` when Cognito's discovery cannot be reached.
 */
export function beginLogin(cookies: CookieStore, request: LoginRequest): Promise<URL> {
  return withRequestLogs(() => startLogin(cookies, request));
}

async function startLogin(cookies: CookieStore, request: LoginRequest): Promise<URL> {
  const env = getEnv();
  const config = await getOidcConfiguration();
  const returnTo = safeReturnTo(request.returnTo, env.APP_URL);
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
  };
  if (request.provider) {
    if (!PROVIDER_NAME.test(request.provider)) throw new AppError('login_failed', 'bad provider name');
    parameters.identity_provider = request.provider;
  }
  await createTransaction(cookies, { verifier, state, nonce, returnTo });
  log('info', 'auth.login_started', { provider: request.provider ?? 'COGNITO' });
  return client.buildAuthorizationUrl(config, parameters);
}
