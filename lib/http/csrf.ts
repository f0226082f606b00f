/**
 * Cross-site request forgery, decided from the request's own headers. Next.js compares a server
 * action's Origin with its Host but only warns when Origin is missing; Cubby refuses instead, for
 * every state-changing request (server actions, POST route handlers such as /auth/logout). Pure,
 * so it is tested with an attack table; lib/http/proxy.ts calls it for every request.
 */

/** Why a request was refused (for the log line; never shown). */
export type CsrfRefusal = 'cross_origin' | 'cross_site_fetch' | 'no_origin';

/** Methods that change nothing and so are never refused here. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True for a method that may change state (anything but GET, HEAD and OPTIONS). */
export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Whether a request may change state, and if not why. Allowed: safe methods; a request whose
 * `Origin` is exactly `appOrigin` (APP_URL's origin); without `Origin`, one whose `Sec-Fetch-Site`
 * is `same-origin`. Refused: any other Origin (another site, a sibling subdomain, another port or
 * scheme, the opaque `null`), `Sec-Fetch-Site` other than same-origin (`same-site` included), and a
 * request carrying neither header. Returns null when allowed.
 */
export function csrfRefusal(
  request: { method: string; origin: string | null; secFetchSite: string | null },
  appOrigin: string,
): CsrfRefusal | null {
  if (!isStateChanging(request.method)) return null;
  if (request.origin !== null) return request.origin === appOrigin ? null : 'cross_origin';
  if (request.secFetchSite !== null) return request.secFetchSite === 'same-origin' ? null : 'cross_site_fetch';
  return 'no_origin';
}
