/**
 * Cubby's HTTP security headers, as pure functions so they can be tested on their own.
 * next.config.mjs applies {@link staticSecurityHeaders} to every response; proxy.ts adds the
 * per-request Content-Security-Policy built by {@link contentSecurityPolicy}.
 * Imported by next.config.mjs under Node's type stripping: no imports, no TypeScript-only syntax
 * beyond type annotations.
 */

export interface CspOptions {
  /** Fresh per response, base64, at least 128 bits. */
  nonce: string;
  /** Development needs 'unsafe-eval' for React's dev tooling and a websocket for hot reload. */
  development: boolean;
  /** Origins the browser talks to directly: the S3 endpoint (uploads, downloads, thumbnails). */
  connectOrigins: readonly string[];
  /** Origins a form may post to or redirect through: the managed-login domain (sign-out). */
  formOrigins: readonly string[];
  /** Only when the app itself is served over https. */
  upgradeInsecureRequests: boolean;
  /** Frames may show blob: URLs: only on the page that previews PDFs (/files). Default false. */
  frameBlobs?: boolean;
  /**
   * Further origins images may come from, and nothing else: identity providers' picture hosts
   * (`IDENTITY_PICTURE_ORIGINS`), only on the page that shows the picture (/profile). Default none.
   */
  imageOrigins?: readonly string[];
}

/**
 * A nonce-based CSP: no 'unsafe-inline' scripts; 'strict-dynamic' lets Next's own nonce-tagged
 * scripts load their chunks. Framing this app is refused outright; the app frames only itself,
 * S3 and, where {@link CspOptions.frameBlobs} says so, blob: URLs (PDF previews). No plugins (`object-src 'none'`).
 */
export function contentSecurityPolicy(options: CspOptions): string {
  const {
    nonce,
    development,
    connectOrigins,
    formOrigins,
    upgradeInsecureRequests,
    frameBlobs = false,
    imageOrigins = [],
  } = options;
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...connectOrigins, ...imageOrigins],
    'media-src': ["'self'", 'blob:', ...connectOrigins],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...connectOrigins, ...(development ? ['ws:', 'wss:'] : [])],
    // blob: only where asked (/files): the preview shows a PDF fetched from S3 as a blob: URL in a
    // frame (S3 serves PDFs as attachments). Chromium's PDF viewer needs nothing else: object-src stays 'none'.
    'frame-src': ["'self'", ...(frameBlobs ? ['blob:'] : []), ...connectOrigins],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'", ...formOrigins],
    'frame-ancestors': ["'none'"],
    'worker-src': ["'self'", 'blob:'],
    'manifest-src': ["'self'"],
  };
  const policy = Object.entries(directives).map(([name, values]) => `${name} ${[...new Set(values)].join(' ')}`);
  if (upgradeInsecureRequests) policy.push('upgrade-insecure-requests');
  return policy.join('; ');
}

/** Headers that do not vary per request; HSTS only in production (it would pin localhost to https). */
export function staticSecurityHeaders(production: boolean): { key: string; value: string }[] {
  const headers = [
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
    {
      key: 'Permissions-Policy',
      value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=(), interest-cohort=()',
    },
  ];
  if (production) {
    headers.push({ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' });
  }
  return headers;
}
