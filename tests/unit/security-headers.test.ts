import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, staticSecurityHeaders } from '@/lib/security-headers';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split('; ').map((directive) => {
      const [name = '', ...values] = directive.split(' ');
      return [name, values];
    }),
  );
}

const base = {
  nonce: 'bm9uY2Utbm9uY2Utbm9uY2U=',
  connectOrigins: ['https://cubby-files.s3.eu-west-1.amazonaws.com'],
  formOrigins: ['https://cubby.auth.eu-west-1.amazoncognito.com'],
  upgradeInsecureRequests: true,
};

describe('contentSecurityPolicy', () => {
  it('allows scripts only by nonce in production', () => {
    const policy = directives(contentSecurityPolicy({ ...base, development: false }));
    expect(policy.get('script-src')).toEqual(["'self'", `'nonce-${base.nonce}'`, "'strict-dynamic'"]);
    expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('connect-src')).toEqual(["'self'", ...base.connectOrigins]);
    expect(policy.get('form-action')).toEqual(["'self'", ...base.formOrigins]);
    expect(policy.has('upgrade-insecure-requests')).toBe(true);
  });

  it("allows identity providers' picture origins in img-src only, and only when given (/profile)", () => {
    const without = directives(contentSecurityPolicy({ ...base, development: false }));
    expect(without.get('img-src')).toEqual(["'self'", 'data:', 'blob:', ...base.connectOrigins]);
    const policy = directives(
      contentSecurityPolicy({ ...base, development: false, imageOrigins: ['https://lh3.googleusercontent.com'] }),
    );
    expect(policy.get('img-src')).toEqual([
      "'self'",
      'data:',
      'blob:',
      ...base.connectOrigins,
      'https://lh3.googleusercontent.com',
    ]);
    const elsewhere = [...policy]
      .filter(([, values]) => values.includes('https://lh3.googleusercontent.com'))
      .map(([name]) => name);
    expect(elsewhere).toEqual(['img-src']);
  });

  it('frames no blob: URL unless asked (every page but /files)', () => {
    const policy = directives(contentSecurityPolicy({ ...base, development: false }));
    expect(policy.get('frame-src')).toEqual(["'self'", ...base.connectOrigins]);
    const withBlob = [...policy].filter(([, values]) => values.includes('blob:')).map(([name]) => name);
    expect(withBlob.sort()).toEqual(['img-src', 'media-src', 'worker-src']);
  });

  it('allows blob: frames for the PDF preview when asked, and blob: nowhere it was not before', () => {
    for (const development of [false, true]) {
      const policy = directives(contentSecurityPolicy({ ...base, development, frameBlobs: true }));
      expect(policy.get('frame-src')).toEqual(["'self'", 'blob:', ...base.connectOrigins]);
      // Chromium's PDF viewer works with plugins refused: object-src stays 'none'.
      expect(policy.get('object-src')).toEqual(["'none'"]);
      const withBlob = [...policy].filter(([, values]) => values.includes('blob:')).map(([name]) => name);
      expect(withBlob.sort()).toEqual(['frame-src', 'img-src', 'media-src', 'worker-src']);
      expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    }
  });

  it('adds only what development tooling needs in development', () => {
    const policy = directives(contentSecurityPolicy({ ...base, development: true, upgradeInsecureRequests: false }));
    expect(policy.get('script-src')).toContain("'unsafe-eval'");
    expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
    expect(policy.get('connect-src')).toContain('ws:');
    expect(policy.has('upgrade-insecure-requests')).toBe(false);
  });
});

describe('staticSecurityHeaders', () => {
  it('sends HSTS only in production', () => {
    const names = (production: boolean) => staticSecurityHeaders(production).map((header) => header.key);
    expect(names(true)).toContain('Strict-Transport-Security');
    expect(names(false)).not.toContain('Strict-Transport-Security');
    expect(Object.fromEntries(staticSecurityHeaders(false).map((header) => [header.key, header.value]))).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
    });
  });
});
