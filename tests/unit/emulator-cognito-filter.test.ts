import { describe, expect, it } from 'vitest';
import { CognitoError } from '../../emulator/cognito/errors.ts';
import { matchesFilter, parseUserFilter } from '../../emulator/cognito/list-users-filter.ts';
import type { StoredUser } from '../../emulator/cognito/users.ts';

const USER: StoredUser = {
  username: '1b2c3d4e-0000-4000-8000-000000000001',
  sub: '1b2c3d4e-0000-4000-8000-000000000001',
  email: 'jane@example.com',
  emailVerified: true,
  status: 'CONFIRMED',
  passwordHash: '',
  enabled: true,
  groups: [],
  attributes: { given_name: 'Jane' },
  totp: null,
  signUpCode: null,
  resetCode: null,
  createdAt: 0,
  modifiedAt: 0,
};

describe('ListUsers filter', () => {
  it.each([
    ['email = "jane@example.com"', true],
    ['email = "JANE@example.com"', true],
    ['email="jane@example.com"', true],
    ['email = "john@example.com"', false],
    ['email ^= "jane"', true],
    ['email ^= "john"', false],
    ['username = "1b2c3d4e-0000-4000-8000-000000000001"', true],
    ['sub ^= "1b2c"', true],
    ['cognito:user_status = "CONFIRMED"', true],
    ['status = "Enabled"', true],
    ['given_name = "Jane"', true],
    ['family_name = "Doe"', false],
  ])('%s → %s', (filter, expected) => {
    expect(matchesFilter(USER, parseUserFilter(filter))).toBe(expected);
  });

  it('treats an empty filter as everyone', () => {
    expect(parseUserFilter(undefined)).toBeNull();
    expect(parseUserFilter('  ')).toBeNull();
    expect(matchesFilter(USER, null)).toBe(true);
  });

  it('unescapes quoted values', () => {
    expect(parseUserFilter('given_name = "a\\"b"')).toEqual({ attribute: 'given_name', prefix: false, value: 'a"b' });
  });

  it.each(['email', 'email = jane', 'email == "x"', 'email = "x" and name = "y"', 'password = "x"', 'custom:tier = "x"'])(
    'refuses %j',
    (filter) => {
      expect(() => parseUserFilter(filter)).toThrow(CognitoError);
    },
  );
});
