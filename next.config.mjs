// lib/ is imported first so that a bad configuration stops `next dev` and `next start` at boot.
// These imports are TypeScript, loaded by Node 24's built-in type stripping.
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_SERVER } from 'next/constants.js';
import { assertEnvAtBoot } from './lib/boot.ts';
import { runtimeMode } from './lib/env.ts';
import { MAX_REQUEST_BODY_BYTES } from './lib/http/body-limit.ts';
import { staticSecurityHeaders } from './lib/security-headers.ts';

/** @param {string} phase */
export default function nextConfig(phase) {
  if (phase === PHASE_DEVELOPMENT_SERVER || phase === PHASE_PRODUCTION_SERVER) assertEnvAtBoot();

  /** @type {import('next').NextConfig} */
  const config = {
    output: 'standalone',
    poweredByHeader: false,
    reactStrictMode: true,
    devIndicators: false,
    // `npm run typecheck` (tsc, strict, whole repo) runs in CI before the build; not twice.
    typescript: { ignoreBuildErrors: true },
    // Every image is a presigned S3 URL shown with a plain <img>: no image optimizer, so sharp and
    // its 18 MB of libvips stay out of the standalone output (and the container image).
    images: { unoptimized: true },
    outputFileTracingExcludes: { '*': ['node_modules/sharp/**', 'node_modules/@img/**'] },
    // lib/http/proxy.ts answers 413 above the same limit before Next reads a body (Next's own
    // check answers 500); this keeps the two in step.
    experimental: { serverActions: { bodySizeLimit: MAX_REQUEST_BODY_BYTES } },
    async headers() {
      return [
        { source: '/:path*', headers: staticSecurityHeaders(runtimeMode() === 'production') },
        // The callback's URL carries the authorization code and state: whatever it answers
        // (a redirect, an error page) sends no Referer anywhere. Later entries win for the same key.
        { source: '/auth/callback', headers: [{ key: 'Referrer-Policy', value: 'no-referrer' }] },
      ];
    },
  };
  return config;
}
