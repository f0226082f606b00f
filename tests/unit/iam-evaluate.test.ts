import { describe, expect, it } from 'vitest';
import { adminsRolePolicy, authenticatedRolePolicy, bucketArnOf, unauthenticatedRolePolicy } from '@/lib/aws/policies';
import { evaluate, substituteVariables } from '../../emulator/iam/evaluate.ts';
import type { PolicyDocument } from '../../emulator/iam/types.ts';

const BUCKET = bucketArnOf('cubby-files');
const ME = 'us-east-1:1666ff8c-8ddf-42c8-9109-07e2dfd3848c';
const OTHER = 'us-east-1:2777aa9d-9eea-43d9-a21a-18f3e4e4959d';

function decide(policy: PolicyDocument, action: string, resource: string, extra: Record<string, string> = {}) {
  return evaluate([policy], { action, resource, context: { 'cognito-identity.amazonaws.com:sub': ME, ...extra } });
}
const object = (key: string) => `${BUCKET}/${key}`;

describe('the real role policies', () => {
  const user = authenticatedRolePolicy(BUCKET);
  const guest = unauthenticatedRolePolicy(BUCKET);
  const admin = adminsRolePolicy(BUCKET);

  it.each([
    ['own private read', user, 's3:GetObject', object(`private/${ME}/a.txt`), 'Allow'],
    ['own private write', user, 's3:PutObject', object(`private/${ME}/a.txt`), 'Allow'],
    ['own private delete', user, 's3:DeleteObject', object(`private/${ME}/dir/a.txt`), 'Allow'],
    ['own multipart abort', user, 's3:AbortMultipartUpload', object(`private/${ME}/big.bin`), 'Allow'],
    ["other's private read", user, 's3:GetObject', object(`private/${OTHER}/a.txt`), 'ImplicitDeny'],
    ["other's private write", user, 's3:PutObject', object(`private/${OTHER}/a.txt`), 'ImplicitDeny'],
    ["other's private delete", user, 's3:DeleteObject', object(`private/${OTHER}/a.txt`), 'ImplicitDeny'],
    ['prefix trick into another private folder', user, 's3:GetObject', object(`private/${OTHER}x/a.txt`), 'ImplicitDeny'],
    ["other's protected read", user, 's3:GetObject', object(`protected/${OTHER}/avatar`), 'Allow'],
    ["other's protected write", user, 's3:PutObject', object(`protected/${OTHER}/avatar`), 'ImplicitDeny'],
    ['own protected write', user, 's3:PutObject', object(`protected/${ME}/avatar`), 'Allow'],
    ['public read', user, 's3:GetObject', object('public/x/photo.jpg'), 'Allow'],
    ['publish own', user, 's3:PutObject', object(`public/${ME}/photo.jpg`), 'Allow'],
    ["overwrite another's public file", user, 's3:PutObject', object(`public/${OTHER}/photo.jpg`), 'ImplicitDeny'],
    ["delete another's public file", user, 's3:DeleteObject', object(`public/${OTHER}/photo.jpg`), 'ImplicitDeny'],
    ["admin deletes another's public file", admin, 's3:DeleteObject', object(`public/${OTHER}/photo.jpg`), 'Allow'],
    ["admin reads another's private file", admin, 's3:GetObject', object(`private/${OTHER}/a.txt`), 'ImplicitDeny'],
    ['guest reads public', guest, 's3:GetObject', object('public/x/photo.jpg'), 'Allow'],
    ['guest writes public', guest, 's3:PutObject', object('public/x/photo.jpg'), 'ImplicitDeny'],
    ['guest reads protected', guest, 's3:GetObject', object(`protected/${OTHER}/avatar`), 'ImplicitDeny'],
    ['bucket-wide action', user, 's3:DeleteBucket', BUCKET, 'ImplicitDeny'],
  ] as const)('%s', (_name, policy, action, resource, expected) => {
    expect(decide(policy, action, resource)).toBe(expected);
  });

  it.each([
    [user, `private/${ME}/`, 'Allow'],
    [user, `private/${ME}/photos/`, 'Allow'],
    [user, `private/${OTHER}/`, 'ImplicitDeny'],
    [user, 'private/', 'ImplicitDeny'],
    [user, 'protected/', 'Allow'],
    [user, 'public/', 'Allow'],
    [guest, 'public/', 'Allow'],
    [guest, 'protected/', 'ImplicitDeny'],
  ] as const)('ListBucket with prefix %#', (policy, prefix, expected) => {
    expect(decide(policy, 's3:ListBucket', BUCKET, { 's3:prefix': prefix })).toBe(expected);
  });

  it('refuses a listing without a prefix', () => {
    expect(decide(user, 's3:ListBucket', BUCKET)).toBe('ImplicitDeny');
  });

  it('refuses everything when the identity variable is missing', () => {
    expect(evaluate([user], { action: 's3:GetObject', resource: object(`private/${ME}/a`), context: {} })).toBe('ImplicitDeny');
  });
});

describe('evaluator mechanics', () => {
  const doc = (statements: PolicyDocument['Statement']): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

  it('lets an explicit Deny win over an Allow', () => {
    const policy = doc([
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', Action: 's3:DeleteObject', Resource: `${BUCKET}/keep/*` },
    ]);
    expect(decide(policy, 's3:DeleteObject', object('keep/a'))).toBe('ExplicitDeny');
    expect(decide(policy, 's3:DeleteObject', object('other/a'))).toBe('Allow');
  });

  it('matches actions case-insensitively with wildcards, resources case-sensitively', () => {
    const policy = doc([{ Effect: 'Allow', Action: 's3:get*', Resource: `${BUCKET}/Docs/?.txt` }]);
    expect(decide(policy, 's3:GetObject', object('Docs/a.txt'))).toBe('Allow');
    expect(decide(policy, 's3:GetObject', object('docs/a.txt'))).toBe('ImplicitDeny');
    expect(decide(policy, 's3:GetObject', object('Docs/ab.txt'))).toBe('ImplicitDeny');
    expect(decide(policy, 's3:PutObject', object('Docs/a.txt'))).toBe('ImplicitDeny');
  });

  it('supports NotAction and NotResource', () => {
    const policy = doc([{ Effect: 'Allow', NotAction: 's3:DeleteObject', NotResource: `${BUCKET}/secret/*` }]);
    expect(decide(policy, 's3:GetObject', object('a'))).toBe('Allow');
    expect(decide(policy, 's3:DeleteObject', object('a'))).toBe('ImplicitDeny');
    expect(decide(policy, 's3:GetObject', object('secret/a'))).toBe('ImplicitDeny');
  });

  it('applies condition operators with IAM semantics for missing keys', () => {
    const policy = (operator: string, value: string) =>
      doc([{ Effect: 'Allow', Action: 's3:ListBucket', Resource: BUCKET, Condition: { [operator]: { 's3:prefix': value } } }]);
    expect(decide(policy('StringEquals', 'a/'), 's3:ListBucket', BUCKET, { 's3:prefix': 'a/' })).toBe('Allow');
    expect(decide(policy('StringEquals', 'a/'), 's3:ListBucket', BUCKET)).toBe('ImplicitDeny');
    expect(decide(policy('StringNotEquals', 'a/'), 's3:ListBucket', BUCKET)).toBe('Allow');
    expect(decide(policy('StringNotLike', 'a/*'), 's3:ListBucket', BUCKET, { 's3:prefix': 'a/b' })).toBe('ImplicitDeny');
    expect(decide(policy('StringLikeIfExists', 'a/*'), 's3:ListBucket', BUCKET)).toBe('Allow');
    expect(decide(policy('Null', 'true'), 's3:ListBucket', BUCKET)).toBe('Allow');
    expect(decide(policy('Null', 'true'), 's3:ListBucket', BUCKET, { 's3:prefix': 'x' })).toBe('ImplicitDeny');
  });

  it('handles multi-valued keys with ForAnyValue and ForAllValues', () => {
    const any = doc([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { 'ForAnyValue:StringLike': { amr: 'auth*' } } },
    ]);
    const all = doc([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { 'ForAllValues:StringEquals': { amr: ['a', 'b'] } } },
    ]);
    const request = (amr: string[]) => ({ action: 's3:GetObject', resource: object('x'), context: { amr } });
    expect(evaluate([any], request(['x', 'authenticated']))).toBe('Allow');
    expect(evaluate([any], request(['x']))).toBe('ImplicitDeny');
    expect(evaluate([all], request(['a', 'b']))).toBe('Allow');
    expect(evaluate([all], request(['a', 'c']))).toBe('ImplicitDeny');
  });

  it('substitutes policy variables and refuses when one is missing', () => {
    expect(
      substituteVariables('private/${cognito-identity.amazonaws.com:sub}/*', { 'cognito-identity.amazonaws.com:sub': ME }),
    ).toBe(`private/${ME}/*`);
    expect(substituteVariables('private/${aws:username}/*', {})).toBeNull();
    expect(substituteVariables('literal-${*}-star', {})).toBe('literal-*-star');
  });
});
