import { describe, expect, it } from 'vitest';
import { DEFAULT_RETURN_TO, safeReturnTo } from '@/lib/auth/safe-redirect';
import payloads from '../fixtures/open-redirect-payloads.json' with { type: 'json' };

const ORIGIN = 'http://localhost:3000';

describe('safeReturnTo', () => {
  it.each(payloads)('refuses %j', (payload) => {
    const result = safeReturnTo(payload, ORIGIN);
    // Either the fallback, or (for "/@evil.com" style paths) a path that stays on our origin.
    expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
    if (!payload.startsWith('/@')) expect(result).toBe(DEFAULT_RETURN_TO);
  });

  it.each([
    ['/files', '/files'],
    ['/files?sort=name&q=report', '/files?sort=name&q=report'],
    ['/profile#avatar', '/profile#avatar'],
    ['/files/a%20b', '/files/a%20b'],
    ['/files/../profile', '/profile'],
    ['/', '/'],
  ])('accepts %j as %j', (input, expected) => {
    expect(safeReturnTo(input, ORIGIN)).toBe(expected);
  });

  it('falls back when missing or too long', () => {
    expect(safeReturnTo(null, ORIGIN)).toBe(DEFAULT_RETURN_TO);
    expect(safeReturnTo(undefined, ORIGIN)).toBe(DEFAULT_RETURN_TO);
    expect(safeReturnTo(`/${'a'.repeat(3000)}`, ORIGIN)).toBe(DEFAULT_RETURN_TO);
  });
});
