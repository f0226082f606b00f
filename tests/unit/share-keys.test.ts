import { describe, expect, it } from 'vitest';
import {
  ownShareAddress,
  parseShareToken,
  SHARE_DAY_GROUPS,
  SHARE_PREFIX,
  shareAddress,
  shareGroupPrefix,
  sharePrefixes,
} from '@/lib/aws/keys';
import { authenticatedRolePolicy, SHARE_DAY_GROUP_PREFIXES, unauthenticatedRolePolicy } from '@/lib/aws/policies';

const ID = 'us-east-1:1666ff8c-8ddf-42c8-9109-07e2dfd3848c';
const OTHER = 'eu-west-2:0b7c1e9a-2d3f-4a5b-8c6d-7e8f9a0b1c2d';
const SECRET = '0123456789abcdef0123456789abcdef';
const TOKEN = `7d.us-east-1.1666ff8c-8ddf-42c8-9109-07e2dfd3848c.${SECRET}`;

describe('share link addresses', () => {
  it('builds the key and the token from the same facts', () => {
    expect(shareAddress(ID, 7, SECRET)).toEqual({
      token: TOKEN,
      key: `shared/7d/${ID}/${SECRET}`,
      identityId: ID,
      days: 7,
    });
    expect(shareAddress(OTHER, 30, SECRET).token).toBe(`30d.eu-west-2.0b7c1e9a-2d3f-4a5b-8c6d-7e8f9a0b1c2d.${SECRET}`);
  });

  it('reads back exactly what it built, for every day group', () => {
    for (const days of SHARE_DAY_GROUPS) {
      const address = shareAddress(ID, days, SECRET);
      expect(parseShareToken(address.token)).toEqual(address);
      expect(ownShareAddress(ID, address.key)).toEqual(address);
    }
  });

  it('refuses a secret that is not 128 bits of lower-case hex, a bad identity or day group', () => {
    expect(() => shareAddress(ID, 7, SECRET.slice(1))).toThrow(TypeError);
    expect(() => shareAddress(ID, 7, SECRET.toUpperCase())).toThrow(TypeError);
    expect(() => shareAddress(ID, 7, `${SECRET}0`)).toThrow(TypeError);
    expect(() => shareAddress('not-an-id', 7, SECRET)).toThrow(TypeError);
    expect(() => shareAddress(ID, 2 as 7, SECRET)).toThrow(TypeError);
  });

  it.each([
    ['empty', ''],
    ['not a string', 42],
    ['another day group', TOKEN.replace(/^7d/, '2d')],
    ['no day unit', TOKEN.replace(/^7d/, '7')],
    ['short secret', TOKEN.slice(0, -1)],
    ['long secret', `${TOKEN}0`],
    ['upper-case secret', TOKEN.replace(SECRET, SECRET.toUpperCase())],
    ['traversal in the secret', TOKEN.replace(SECRET, '../../private/x/aaaaaaaaaaaaaaaaa')],
    ['slash', TOKEN.replace('.us-east-1.', '/us-east-1/')],
    ['colon kept', TOKEN.replace('.us-east-1.', '.us-east-1:')],
    ['bad region', TOKEN.replace('us-east-1', 'US-EAST-1')],
    ['encoded', encodeURIComponent(TOKEN.replace('.', '/'))],
    ['trailing newline', `${TOKEN}\n`],
    ['leading space', ` ${TOKEN}`],
    ['query', `${TOKEN}?x=1`],
    ['huge', 'a'.repeat(10_000)],
  ])('parseShareToken refuses %s', (_name, token) => {
    expect(parseShareToken(token)).toBeNull();
  });

  it('knows only the person’s own share copies', () => {
    const key = shareAddress(ID, 1, SECRET).key;
    expect(ownShareAddress(OTHER, key)).toBeNull();
    expect(ownShareAddress(ID, `${key}/x`)).toBeNull();
    expect(ownShareAddress(ID, `private/${ID}/${SECRET}`)).toBeNull();
    expect(ownShareAddress(ID, `shared/2d/${ID}/${SECRET}`)).toBeNull();
  });

  it('lists the person’s folder in each day group, and the groups equal the policies’ and the lifecycle rules’', () => {
    expect(sharePrefixes(ID)).toEqual([`shared/1d/${ID}/`, `shared/7d/${ID}/`, `shared/30d/${ID}/`]);
    expect(SHARE_DAY_GROUPS.map(shareGroupPrefix)).toEqual([...SHARE_DAY_GROUP_PREFIXES]);
    expect(SHARE_DAY_GROUP_PREFIXES.every((prefix) => prefix.startsWith(SHARE_PREFIX))).toBe(true);
  });
});

describe('share link policies', () => {
  const ARN = 'arn:aws:s3:::bucket';
  const listPrefixes = (statements: ReturnType<typeof authenticatedRolePolicy>['Statement']) =>
    statements
      .filter((statement) => statement.Action === 's3:ListBucket')
      .flatMap((statement) => statement.Condition?.StringLike?.['s3:prefix'] ?? [])
      .flat()
      .map(String);

  it('lets nobody list shared/ except each owner their own folders', () => {
    const guest = listPrefixes(unauthenticatedRolePolicy(ARN).Statement);
    expect(guest.some((prefix) => prefix.startsWith('shared'))).toBe(false);
    const person = listPrefixes(authenticatedRolePolicy(ARN).Statement).filter((prefix) => prefix.startsWith('shared'));
    expect(person.length).toBe(6);
    for (const prefix of person) expect(prefix).toMatch(/^shared\/(1|7|30)d\/\$\{cognito-identity\.amazonaws\.com:sub\}\/\*?$/);
  });
});
