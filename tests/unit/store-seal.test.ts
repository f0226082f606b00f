import { describe, expect, it } from 'vitest';
import { sealValue, unsealValue } from '@/lib/store/seal';

/** Values sealed for the shared store: round trip, and every way a sealed value must fail to open (null, never a throw). */

const OLD = 'old-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const NEW = 'new-secret-0123456789abcdefghijklmnopqrstuvwxyz';

describe('sealValue / unsealValue', () => {
  it.each(['', 'tokens', 'ünïcødé ✓ 🔐', 'x'.repeat(100_000)])('round-trips %#', (value) => {
    const sealed = sealValue(value, [NEW], 'refresh');
    expect(unsealValue(sealed, [NEW], 'refresh')).toBe(value);
  });

  it('never holds the value in the clear and differs on every seal (random IV)', () => {
    const first = sealValue('AKIAEXAMPLE-secret', [NEW], 'credentials');
    const second = sealValue('AKIAEXAMPLE-secret', [NEW], 'credentials');
    expect(first).not.toBe(second);
    expect(first).not.toContain('AKIA');
    expect(Buffer.from(first, 'base64url').toString('latin1')).not.toContain('AKIA');
    expect(first).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('refuses a value sealed for another purpose', () => {
    const sealed = sealValue('v', [NEW], 'refresh');
    expect(unsealValue(sealed, [NEW], 'credentials')).toBeNull();
  });

  it('refuses every single-byte tamper (IV, tag, ciphertext)', () => {
    const sealed = sealValue('a value worth protecting', [NEW], 'refresh');
    const raw = Buffer.from(sealed, 'base64url');
    for (let index = 0; index < raw.length; index += 1) {
      const tampered = Buffer.from(raw);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      expect(unsealValue(tampered.toString('base64url'), [NEW], 'refresh')).toBeNull();
    }
  });

  it.each([
    ['empty', ''],
    ['too short for IV and tag', Buffer.alloc(27).toString('base64url')],
    ['truncated', 'truncate-me'],
    ['not base64url at all', '!!!%%%'],
  ])('refuses %s input', (_label, input) => {
    expect(unsealValue(input, [NEW], 'refresh')).toBeNull();
  });

  it('refuses a value sealed with a secret that is not in the list', () => {
    const sealed = sealValue('v', [OLD], 'refresh');
    expect(unsealValue(sealed, [NEW], 'refresh')).toBeNull();
  });

  it('during a rotation (newest first) seals with the newest and opens values sealed with either', () => {
    const rotated = [NEW, OLD];
    const before = sealValue('sealed before the rotation', [OLD], 'refresh');
    const during = sealValue('sealed during the rotation', rotated, 'refresh');
    expect(unsealValue(before, rotated, 'refresh')).toBe('sealed before the rotation');
    expect(unsealValue(during, rotated, 'refresh')).toBe('sealed during the rotation');
    // Sealed with the newest: still readable once the old secret is dropped, not by the old one alone.
    expect(unsealValue(during, [NEW], 'refresh')).toBe('sealed during the rotation');
    expect(unsealValue(during, [OLD], 'refresh')).toBeNull();
    // After the rotation ends, what the old secret sealed no longer opens.
    expect(unsealValue(before, [NEW], 'refresh')).toBeNull();
  });

  it('refuses to seal without a secret', () => {
    expect(() => sealValue('v', [], 'refresh')).toThrow(TypeError);
  });
});
