import { nextProxyCookies } from 'iron-session';
import { type NextRequest, NextResponse } from 'next/server';
import { decideSession, requestDeadline } from '@/lib/auth/fresh-session';
import { ensureGuestIdentity } from '@/lib/auth/guest';
import { isProtectedPath, loginPathFor } from '@/lib/auth/protected-routes';
import { destroySession } from '@/lib/auth/session';
import { s3BrowserOrigin } from '@/lib/aws/s3-address';
import { getEnv } from '@/lib/env';
import { declaresTooLargeBody, exceedsLimit, MAX_REQUEST_BODY_BYTES } from '@/lib/http/body-limit';
import { csrfRefusal, isStateChanging } from '@/lib/http/csrf';
import { fileHandoff, HANDOFF_HEADER, newHandoffId } from '@/lib/http/handoff';
import { REQUEST_ID_HEADER, requestIdFor } from '@/lib/http/request-id';
import { log, withRequestId } from '@/lib/log';
import { contentSecurityPolicy } from '@/lib/security-headers';

/** Request header through which the per-request CSP nonce reaches Server Components. */
export const NONCE_HEADER = 'x-nonce';

/** The file manager, the one page whose PDF preview frames a blob: URL. */
function isFilesPage(pathname: string): boolean {
  return pathname === '/files' || pathname.startsWith('/files/');
}

/** The profile, the one page that may show an identity provider's picture. */
function isProfilePage(pathname: string): boolean {
  return pathname === '/profile' || pathname.startsWith('/profile/');
}

function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}

/**
 * Lets the request through with a fresh CSP nonce: the policy goes on the response for the
 * browser and on the request so Next tags its own scripts with the nonce while rendering. The
 * request id goes both ways too: to the app for its log lines, and back to the client.
 */
function withContentSecurityPolicy(
  request: NextRequest,
  requestId: string,
): { response: NextResponse; policy: string; handoffId: string } {
  const env = getEnv();
  const nonce = createNonce();
  const policy = contentSecurityPolicy({
    nonce,
    development: env.NODE_ENV === 'development',
    connectOrigins: [s3BrowserOrigin(env)],
    formOrigins: [env.COGNITO_DOMAIN],
    upgradeInsecureRequests: env.APP_URL.startsWith('https:'),
    frameBlobs: isFilesPage(request.nextUrl.pathname),
    imageOrigins: isProfilePage(request.nextUrl.pathname) ? env.IDENTITY_PICTURE_ORIGINS : [],
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(NONCE_HEADER, nonce);
  requestHeaders.set('content-security-policy', policy);
  requestHeaders.set(REQUEST_ID_HEADER, requestId);
  // Always ours: a client's own value is overwritten (see lib/http/handoff.ts).
  const handoffId = newHandoffId();
  requestHeaders.set(HANDOFF_HEADER, handoffId);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', policy);
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return { response, policy, handoffId };
}

/** A redirect to sign-in that keeps the cookie changes (cleared session) already made. */
function redirectToLogin(request: NextRequest, from: NextResponse, policy: string): NextResponse {
  const target = new URL(loginPathFor(`${request.nextUrl.pathname}${request.nextUrl.search}`), getEnv().APP_URL);
  const redirect = NextResponse.redirect(target, 307);
  for (const cookie of from.cookies.getAll()) redirect.cookies.set(cookie);
  redirect.headers.set('content-security-policy', policy);
  redirect.headers.set('cache-control', 'no-store');
  const requestId = from.headers.get(REQUEST_ID_HEADER);
  if (requestId) redirect.headers.set(REQUEST_ID_HEADER, requestId);
  return redirect;
}

/** A short plain-text refusal: no page, no stack, never cached. */
function refusal(status: 403 | 413, text: string, requestId: string): NextResponse {
  return new NextResponse(`${text}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', [REQUEST_ID_HEADER]: requestId },
  });
}

/**
 * For a state-changing request (server actions, POST route handlers): 403 unless it comes from
 * Cubby's own pages (lib/http/csrf.ts), and 413 for a body over {@link MAX_REQUEST_BODY_BYTES},
 * declared by Content-Length or, for a chunked body, counted. Null lets the request through.
 * One warn line per refusal.
 */
async function refuseStateChange(request: NextRequest, requestId: string): Promise<NextResponse | null> {
  if (!isStateChanging(request.method)) return null;
  const { method, headers } = request;
  const path = request.nextUrl.pathname;
  const reason = csrfRefusal(
    { method, origin: headers.get('origin'), secFetchSite: headers.get('sec-fetch-site') },
    new URL(getEnv().APP_URL).origin,
  );
  if (reason) {
    log('warn', 'http.csrf_refused', { method, path, reason });
    return refusal(403, 'Forbidden: this request did not come from Cubby.', requestId);
  }
  const contentLength = headers.get('content-length');
  const tooLarge =
    declaresTooLargeBody(contentLength) ||
    (contentLength === null && request.body !== null && (await exceedsLimit(request.body)));
  if (tooLarge) {
    log('warn', 'http.body_too_large', { method, path, limit: MAX_REQUEST_BODY_BYTES });
    return refusal(413, 'Request body too large.', requestId);
  }
  return null;
}

/**
 * Everything proxy.ts does, in order: a request id (the caller's `x-request-id` when well-formed,
 * else a new UUID) on the request, on the response and on every log line written here; for
 * state-changing requests, the CSRF and body-size refusals (403, 413); CSP nonce;
 * for pages, an optimistic session check (signed-out GETs of /files and /profile go to sign-in
 * with returnTo; other methods, server actions among them, are never redirected; signed-out visitors of / and /s/… get a stable guest identity when the Identity Pool allows
 * guests), rolling the idle timeout, and a token refresh when the tokens are due
 * (lib/auth/fresh-session.ts, the same decision lib/dal.ts makes), written through iron-session's
 * nextProxyCookies so this very request's render already sees the new tokens; the decision is
 * handed to the render or action (lib/http/handoff.ts) so neither reads nor refreshes again. Not
 * an authorization boundary: lib/dal.ts checks wherever data is touched.
 */
export function handleProxy(request: NextRequest): Promise<NextResponse> {
  const requestId = requestIdFor(request.headers);
  return withRequestId(requestId, () => proxyRequest(request, requestId));
}

async function proxyRequest(request: NextRequest, requestId: string): Promise<NextResponse> {
  const refused = await refuseStateChange(request, requestId);
  if (refused) return refused;
  const { response, policy, handoffId } = withContentSecurityPolicy(request, requestId);
  const { pathname } = request.nextUrl;
  if (pathname.startsWith('/auth/') || pathname.startsWith('/api/')) return response;

  // Only a page load may be sent to sign-in or have a dead session cleared. A server action (a POST
  // to the page's path) or any other non-GET request that met a redirect would end on a 405 from
  // /auth/login and the browser would report a network error; and a cookie cleared on an action's
  // response makes Next re-render the page into that same redirect. Such requests go through with
  // their cookies untouched to lib/dal.ts, which answers `unauthenticated` or `session_ended`, the
  // shape the UI shows as "signed out"; the next page load clears the cookie.
  const navigation = request.method === 'GET' || request.method === 'HEAD';
  const cookies = nextProxyCookies(request, response);
  const decision = await decideSession(cookies, { readOnly: !navigation, deadline: requestDeadline() });
  // The render or action of this request uses this decision instead of reading and refreshing again.
  fileHandoff(handoffId, decision);
  if (decision.state === 'signed_out') {
    if (navigation && isProtectedPath(pathname)) return redirectToLogin(request, response, policy);
    // The public gallery on the landing page, and share links' pages (/s/…), are read with a guest identity's credentials.
    if (pathname === '/' || pathname.startsWith('/s/')) await ensureGuestIdentity(cookies);
    return response;
  }
  if (decision.state === 'ended' && navigation) {
    await destroySession(cookies);
    if (isProtectedPath(pathname)) return redirectToLogin(request, response, policy);
  }
  // Cognito unreachable: the session is kept; pages still render, AWS calls report the outage.
  return response;
}
