import 'server-only';
import * as client from 'openid-client';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { withRequestLogs } from '@/lib/http/request-id';
import { log } from '@/lib/log';
import { verifyIdToken } from './id-token';
import { classifyIdpError, getJwks, getOidcConfiguration } from './oidc';
import { createSession } from './session';
import { type CookieStore, takeTransaction } from './transaction';

/**
 * Finishes a sign-in at `/auth/callback`: the transaction named by `state` (taken once), Cognito's
 * error answer if any, the `iss` parameter when present (RFC 9207), the code exchange with the
 * client secret and the PKCE verifier against a redirect_uri built from APP_URL, then a full ID
 * token check and a fresh session replacing any old one. Returns the path to send the browser to.
 * Route handlers only. @throws {AppError} with a stable code; the message is for logs.
 */
export function completeLogin(cookies: CookieStore, search: URLSearchParams): Promise<string> {
  return withRequestLogs(() => finishLogin(cookies, search));
}

async function finishLogin(cookies: CookieStore, search: URLSearchParams): Promise<string> {
  const env = getEnv();
  const state = search.get('state');
  const transaction = state ? await takeTransaction(cookies, state) : null;
  if (!transaction) throw new AppError('login_expired', state ? 'no transaction for state' : 'no state');

  const error = search.get('error');
  if (error) {
    // Cognito's error_description is upstream text: logged as a code only, never shown.
    throw new AppError(error === 'access_denied' ? 'login_denied' : 'login_failed', `authorize error ${error.slice(0, 64)}`);
  }
  const config = await getOidcConfiguration();
  const issuer = search.get('iss');
  if (issuer !== null && issuer !== config.serverMetadata().issuer) throw new AppError('login_failed', 'iss parameter mismatch');

  const callbackUrl = new URL(`${env.APP_URL}/auth/callback`);
  for (const [name, value] of search) callbackUrl.searchParams.append(name, value);
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: transaction.verifier,
      expectedState: transaction.state,
      expectedNonce: transaction.nonce,
      idTokenExpected: true,
    });
  } catch (cause) {
    throw classifyIdpError(cause, 'login_failed');
  }
  const { id_token: idToken, access_token: accessToken, refresh_token: refreshToken } = tokens;
  if (!idToken || !refreshToken) throw new AppError('login_failed', 'token response lacks id_token or refresh_token');
  let claims: Awaited<ReturnType<typeof verifyIdToken>>;
  try {
    claims = await verifyIdToken(idToken, await getJwks(), {
      issuer: config.serverMetadata().issuer,
      clientId: env.COGNITO_CLIENT_ID,
      nonce: transaction.nonce,
      accessToken,
    });
  } catch (cause) {
    throw classifyIdpError(cause, 'login_failed');
  }
  await createSession(cookies, { idToken, accessToken, refreshToken }, claims);
  log('info', 'auth.login_succeeded', { sub: claims.sub });
  return transaction.returnTo;
}
