import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  passwordPolicyError,
  temporaryPassword,
  verificationCode,
  verifyPassword,
} from '../../emulator/cognito/password.ts';

describe('emulator password policy', () => {
  it.each([
    ['', 'Password not long enough'],
    ['Ab1defg', 'Password not long enough'],
    ['ABCDEFG1', 'Password must have lowercase characters'],
    ['abcdefg1', 'Password must have uppercase characters'],
    ['Abcdefgh', 'Password must have numeric characters'],
  ])('refuses %j: %s', (password, reason) => {
    expect(passwordPolicyError(password)).toBe(`Password did not conform with policy: ${reason}`);
  });

  it.each(['Abcdefg1', 'Passw0rd!', 'ünïcödé-Pässw0rd', 'A1a'.repeat(30)])('accepts %j', (password) => {
    expect(passwordPolicyError(password)).toBeNull();
  });

  it('makes temporary passwords that satisfy the policy', () => {
    for (let i = 0; i < 20; i += 1) expect(passwordPolicyError(temporaryPassword())).toBeNull();
  });
});

describe('emulator password hashing', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const first = await hashPassword('Passw0rd!');
    const second = await hashPassword('Passw0rd!');
    expect(first).toMatch(/^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword('Passw0rd!', first)).toBe(true);
    expect(await verifyPassword('passw0rd!', first)).toBe(false);
    expect(await verifyPassword('', first)).toBe(false);
  });

  it('rejects malformed stored hashes', async () => {
    for (const stored of ['', 'plain', 'md5$a$b', 'scrypt$$', 'scrypt$c2FsdA==$']) {
      expect(await verifyPassword('Passw0rd!', stored)).toBe(false);
    }
  });

  it('makes 6-digit verification codes', () => {
    for (let i = 0; i < 50; i += 1) expect(verificationCode()).toMatch(/^\d{6}$/);
  });
});
