import { type NextRequest, NextResponse } from 'next/server';
import { getEnv } from '@/lib/env';
import { contentSecurityPolicy, s3BrowserOrigin } from '@/lib/security-headers';

/** Request header through which the per-request CSP nonce reaches Server Components. */
export const NONCE_HEADER = 'x-nonce';

function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}

/**
 * Lets the request through with a fresh CSP nonce: the policy goes on the response for the
 * browser and on the request so Next tags its own scripts with the nonce while rendering.
 * Runs in proxy.ts (Node runtime).
 */
export function withContentSecurityPolicy(request: NextRequest): NextResponse {
  const env = getEnv();
  const nonce = createNonce();
  const policy = contentSecurityPolicy({
    nonce,
    development: env.NODE_ENV === 'development',
    connectOrigins: [s3BrowserOrigin(env)],
    formOrigins: [env.COGNITO_DOMAIN],
    upgradeInsecureRequests: env.APP_URL.startsWith('https:'),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(NONCE_HEADER, nonce);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', policy);
  return response;
}
