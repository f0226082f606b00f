import { describe, expect, it } from 'vitest';
import { ALLOWED_SCOPES, type AppClient, grantScopes } from '../../emulator/cognito/client.ts';
import { opaqueRefreshToken, REFRESH_TOKEN_HEADER } from '../../emulator/cognito/refresh-tokens.ts';
import { atHash, coversEmail, roleClaims } from '../../emulator/cognito/tokens.ts';
import type { StoredGroup } from '../../emulator/cognito/users.ts';

function group(name: string, precedence: number | null, roleArn: string | null): StoredGroup {
  return { name, precedence, roleArn, description: null, createdAt: 0, modifiedAt: 0 };
}

const APP: AppClient = {
  clientId: 'client',
  clientSecret: 'secret',
  callbackUrls: [],
  logoutUrls: [],
  allowedScopes: ALLOWED_SCOPES,
};

describe('cognito:roles and cognito:preferred_role', () => {
  it.each([
    ['no groups', [], [], undefined],
    ['groups without roles', [group('a', 1, null)], [], undefined],
    ['lowest precedence wins', [group('ed', 0, 'arn:ed'), group('adm', 1, 'arn:adm')], ['arn:ed', 'arn:adm'], 'arn:ed'],
    ['roleless group ignored', [group('x', 0, null), group('adm', 5, 'arn:adm')], ['arn:adm'], 'arn:adm'],
    ['tie between different roles', [group('a', 1, 'arn:a'), group('b', 1, 'arn:b')], ['arn:a', 'arn:b'], undefined],
    ['tie on the same role', [group('a', 1, 'arn:a'), group('b', 1, 'arn:a')], ['arn:a'], 'arn:a'],
  ])('%s', (_name, groups, roles, preferred) => {
    expect(roleClaims(groups)).toEqual({ roles, preferred });
  });
});

describe('scopes', () => {
  it.each([
    [null, [...ALLOWED_SCOPES]],
    ['', [...ALLOWED_SCOPES]],
    ['openid email', ['openid', 'email']],
    ['openid  openid\temail', ['openid', 'email']],
    ['openid offline_access custom/read', ['openid']],
    ['bogus', []],
  ])('grants %j as %j', (requested, granted) => {
    expect(grantScopes(APP, requested)).toEqual(granted);
  });

  it.each([
    [['openid'], true],
    [['openid', 'email'], true],
    [['openid', 'profile'], false],
    [['email'], false],
    [['openid', 'aws.cognito.signin.user.admin'], true],
  ])('email claims for %j: %s', (scopes, expected) => {
    expect(coversEmail(scopes)).toBe(expected);
  });
});

describe('token formats', () => {
  it('computes at_hash as base64url of the left half of SHA-256', () => {
    // OpenID Connect Core 1.0, Appendix A.3 example (RS256).
    expect(atHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y')).toBe('77QmUPtjPfzWtF2AnpK9RQ');
  });

  it('shapes refresh tokens as a 5-part JWE of about 1.8 KB', () => {
    const token = opaqueRefreshToken();
    const parts = token.split('.');
    expect(parts).toHaveLength(5);
    expect(parts[0]).toBe(REFRESH_TOKEN_HEADER);
    expect(JSON.parse(Buffer.from(REFRESH_TOKEN_HEADER, 'base64url').toString())).toEqual({
      cty: 'JWT',
      enc: 'A256GCM',
      alg: 'RSA-OAEP',
    });
    expect(token.length).toBeGreaterThan(1700);
    expect(token.length).toBeLessThan(1900);
    expect(opaqueRefreshToken()).not.toBe(token);
  });
});
