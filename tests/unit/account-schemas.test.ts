import { Secret, TOTP, URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { qrSvgOf, RECENT_SIGN_IN_MS, signedInRecently } from '@/lib/account/mfa';
import { groupedSecret, totpUri } from '@/lib/account/otpauth';
import { PASSWORD_RULES } from '@/lib/account/password-policy';
import { ChangeEmailSchema, ChangePasswordSchema, CodeSchema, UpdateProfileSchema } from '@/lib/account/schemas';
import { isProtectedPath, loginPathFor } from '@/lib/auth/protected-routes';

/**
 * /account's pure parts: the actions' schemas (each answering with its own code where it has
 * one), the otpauth:// URI authenticator apps read, the server-rendered QR code, and the
 * recent-sign-in rule for turning two-step verification off.
 */

function ownCode(result: { success: boolean; error?: { issues: { code: string; params?: Record<string, unknown> }[] } }) {
  return result.error?.issues.find((issue) => issue.code === 'custom')?.params?.code;
}

describe('ChangePasswordSchema', () => {
  it.each([
    ['Sh0rt', 'length'],
    ['alllowercase1', 'uppercase'],
    ['ALLUPPERCASE1', 'lowercase'],
    ['NoDigitsHere', 'number'],
  ])('refuses %s (%s) as weak_password', (next) => {
    const result = ChangePasswordSchema.safeParse({ current: 'Anything-1', next });
    expect(result.success).toBe(false);
    expect(ownCode(result)).toBe('weak_password');
  });

  it('accepts a password that meets every rule of the one policy, and needs the current one', () => {
    expect(ChangePasswordSchema.safeParse({ current: 'Old-Passw0rd', next: 'New-Passw0rd' }).success).toBe(true);
    expect(ChangePasswordSchema.safeParse({ current: '', next: 'New-Passw0rd' }).success).toBe(false);
    expect(PASSWORD_RULES.map((rule) => rule.id)).toEqual(['length', 'lowercase', 'uppercase', 'number']);
  });
});

describe('the other account schemas', () => {
  it('takes a 6-digit code, trimmed, and answers anything else as code_mismatch', () => {
    expect(CodeSchema.parse({ code: ' 012345 ' })).toEqual({ code: '012345' });
    for (const code of ['12345', '1234567', 'abcdef', '12 345']) {
      const result = CodeSchema.safeParse({ code });
      expect(result.success).toBe(false);
      expect(ownCode(result)).toBe('code_mismatch');
    }
  });

  it('lower-cases a new email and refuses what is not one', () => {
    expect(ChangeEmailSchema.parse({ email: ' New@Example.COM ' })).toEqual({ email: 'new@example.com' });
    expect(ChangeEmailSchema.safeParse({ email: 'not an email' }).success).toBe(false);
    expect(ChangeEmailSchema.safeParse({ email: `${'a'.repeat(250)}@x.io` }).success).toBe(false);
  });

  it('needs a name, bounded and without control characters', () => {
    expect(UpdateProfileSchema.parse({ name: '  Ada  ', givenName: '' })).toEqual({ name: 'Ada', givenName: '' });
    expect(UpdateProfileSchema.safeParse({ name: '   ' }).success).toBe(false);
    expect(UpdateProfileSchema.safeParse({ name: 'a'.repeat(101) }).success).toBe(false);
    expect(UpdateProfileSchema.safeParse({ name: 'bad\u0007name' }).success).toBe(false);
  });
});

describe('totpUri', () => {
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

  it('is what authenticator apps read: issuer Cubby, the email as label, Cognito parameters', () => {
    const uri = totpUri(secret, 'ada+files@example.com');
    expect(uri.startsWith('otpauth://totp/Cubby:ada%2Bfiles%40example.com?')).toBe(true);
    const parsed = URI.parse(uri);
    expect(parsed).toBeInstanceOf(TOTP);
    expect(parsed).toMatchObject({ issuer: 'Cubby', label: 'ada+files@example.com', algorithm: 'SHA1', digits: 6, period: 30 });
    expect(parsed.secret.base32).toBe(secret);
  });

  it('generates the codes an app holding the shown secret would (the key shown in groups reads back the same)', () => {
    const shown = groupedSecret(secret);
    expect(shown).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    const app = new TOTP({ secret: Secret.fromBase32(shown.replace(/ /g, '')) });
    const fromUri = URI.parse(totpUri(shown, 'a@b.c'));
    expect(fromUri.generate({ timestamp: 1_700_000_000_000 })).toBe(app.generate({ timestamp: 1_700_000_000_000 }));
  });
});

describe('qrSvgOf', () => {
  it('renders an SVG document on the server, and a different one for a different URI', async () => {
    const svg = await qrSvgOf(totpUri('JBSWY3DPEHPK3PXP', 'a@b.c'));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*viewBox="0 0 \d+ \d+"/);
    expect(svg).not.toContain('<script');
    expect(await qrSvgOf(totpUri('JBSWY3DPEHPK3PXQ', 'a@b.c'))).not.toBe(svg);
  });
});

describe('signedInRecently', () => {
  it('allows turning two-step verification off within five minutes of signing in, not after', () => {
    const now = 1_700_000_000_000;
    expect(signedInRecently({ authTime: now - RECENT_SIGN_IN_MS }, now)).toBe(true);
    expect(signedInRecently({ authTime: now - RECENT_SIGN_IN_MS - 1 }, now)).toBe(false);
  });
});

describe('the /account route', () => {
  it('is protected: a signed-out page load goes to sign-in and comes back', () => {
    expect(isProtectedPath('/account')).toBe(true);
    expect(isProtectedPath('/accounts')).toBe(false);
    expect(loginPathFor('/account#account-two-step')).toBe('/auth/login?returnTo=%2Faccount%23account-two-step');
  });
});
