import 'server-only';
import * as client from 'openid-client';
import { getEnv } from '@/lib/env';
import { csrfRefusal } from '@/lib/http/csrf';
import { withRequestLogs } from '@/lib/http/request-id';
import { describeError, log } from '@/lib/log';
import { getOidcConfiguration } from './oidc';
import { destroySession, readSession } from './session';
import type { CookieStore } from './transaction';

/**
 * True when a state-changing request comes from Cubby's own pages: the Origin header (sent by
 * every current browser on POST) must be APP_URL's origin; without one, Sec-Fetch-Site must say
 * same-origin. Anything else is refused (CSRF; the rule is lib/http/csrf.ts's, which proxy.ts
 * also applies to every state-changing request).
 */
export function isSameOriginRequest(headers: Headers): boolean {
  const request = { method: 'POST', origin: headers.get('origin'), secFetchSite: headers.get('sec-fetch-site') };
  return csrfRefusal(request, new URL(getEnv().APP_URL).origin) === null;
}

/** Cognito's `/logout` URL that ends the managed-login session and comes back to `APP_URL/`. */
export function cognitoLogoutUrl(): string {
  const env = getEnv();
  const url = new URL(`${env.COGNITO_DOMAIN}/logout`);
  url.searchParams.set('client_id', env.COGNITO_CLIENT_ID);
  url.searchParams.set('logout_uri', `${env.APP_URL}/`);
  return url.toString();
}

/**
 * Signs out: revokes the refresh token at Cognito (bounded by the IdP timeout, best effort: a failure is logged,
 * not shown), clears every session cookie, and returns Cognito's logout URL so the browser ends
 * the managed-login session too. Route handlers only.
 */
export function signOut(cookies: CookieStore): Promise<string> {
  return withRequestLogs(() => endSession(cookies));
}

async function endSession(cookies: CookieStore): Promise<string> {
  const session = await readSession(cookies);
  if (session) {
    try {
      const config = await getOidcConfiguration();
      await client.tokenRevocation(config, session.tokens().refreshToken, { token_type_hint: 'refresh_token' });
      log('info', 'auth.refresh_token_revoked', { sub: session.sub });
    } catch (error) {
      log('warn', 'auth.revoke_failed', { reason: describeError(error) });
    }
  }
  await destroySession(cookies);
  log('info', 'auth.signed_out', { sub: session?.sub ?? null });
  return cognitoLogoutUrl();
}
