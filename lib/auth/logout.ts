import 'server-only';
import * as client from 'openid-client';
import { forgetSignedInAccess } from '@/lib/aws/credentials';
import { getEnv } from '@/lib/env';
import { csrfRefusal } from '@/lib/http/csrf';
import { withRequestLogs } from '@/lib/http/request-id';
import { describeError, log } from '@/lib/log';
import { getOidcConfiguration } from './oidc';
import { revokeSession } from './revocation';
import { destroySession, readSession, type Session } from './session';
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
 * Signs out: records the session as revoked in the shared store until its absolute expiry, so
 * every copy of its cookie is refused on every instance from now on (lib/auth/revocation.ts);
 * drops the Identity Pool identity and credentials this process cached for the person; revokes
 * the refresh token at Cognito (bounded by the IdP timeout); clears every session cookie; and
 * returns Cognito's logout URL so the browser ends the managed-login session too. Best effort past
 * the cookies: a store or Cognito that does not answer is logged, never shown, and the sign-out
 * goes on (then a copied cookie keeps working on other instances until its tokens expire, as the
 * refresh token is revoked; see docs/deploy.md). Route handlers only.
 */
export function signOut(cookies: CookieStore): Promise<string> {
  return withRequestLogs(() => endSession(cookies));
}

/** Revokes the session in the shared store; a store that does not answer must not stop a sign-out. */
async function recordSignOut(session: Session): Promise<void> {
  try {
    await revokeSession(session.id, session.absoluteExpiresAt);
  } catch (error) {
    log('error', 'auth.revocation_failed', { sub: session.sub, reason: describeError(error) });
  }
}

async function endSession(cookies: CookieStore): Promise<string> {
  // Signing out must work while the store is down: an unchecked read is enough to revoke.
  const session = await readSession(cookies, { whenStoreDown: 'unchecked' });
  if (session) {
    // Before anything slower: from here on, no copy of this cookie reads as signed in.
    await recordSignOut(session);
    forgetSignedInAccess(session.sub, session.identityId);
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
