import { describe, expect, it } from 'vitest';
import { adminsRolePolicy, authenticatedRolePolicy, bucketArnOf, unauthenticatedRolePolicy } from '@/lib/aws/policies';
import { evaluate, substituteVariables } from '../../emulator/iam/evaluate.ts';
import type { PolicyDocument, PolicyStatement } from '../../emulator/iam/types.ts';
import { writeConditionKeys } from '../../emulator/s3/conditions.ts';

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

/**
 * The statement recommended for enforcing create-only writes under `private/{identityId}/`
 * ("Enforce conditional writes" in the S3 user guide), evaluated with the condition keys the
 * emulator's S3 gives IAM for each operation.
 */
describe('enforcing conditional writes with s3:if-none-match and s3:ObjectCreationOperation', () => {
  const user = authenticatedRolePolicy(BUCKET);
  const privateObjects = `${BUCKET}/private/\${cognito-identity.amazonaws.com:sub}/*`;
  /** Denies an object-creating PutObject/CompleteMultipartUpload without If-None-Match; copies exempt. */
  const createOnlyUnlessCopy: PolicyStatement = {
    Sid: 'PrivateCreateOnly',
    Effect: 'Deny',
    Action: 's3:PutObject',
    Resource: privateObjects,
    Condition: {
      Null: { 's3:if-none-match': 'true', 's3:x-amz-copy-source': 'true' },
      Bool: { 's3:ObjectCreationOperation': 'true' },
    },
  };
  /** The user guide's shape without the copy exemption. */
  const createOnly: PolicyStatement = {
    ...createOnlyUnlessCopy,
    Condition: { Null: { 's3:if-none-match': 'true' }, Bool: { 's3:ObjectCreationOperation': 'true' } },
  };
  const withStatement = (statement: PolicyStatement): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: [...user.Statement, statement],
  });
  const mine = object(`private/${ME}/report.pdf`);
  const copySource = { 's3:x-amz-copy-source': `cubby-files/private/${ME}/old.pdf` };

  it.each([
    ['PutObject without a condition', writeConditionKeys({}, true), 'ExplicitDeny'],
    ['PutObject with If-None-Match: *', writeConditionKeys({ ifNoneMatch: '*' }, true), 'Allow'],
    ['PutObject with only If-Match', writeConditionKeys({ ifMatch: '"e"' }, true), 'ExplicitDeny'],
    ['CreateMultipartUpload', writeConditionKeys({}, false), 'Allow'],
    ['UploadPart', writeConditionKeys({}, false), 'Allow'],
    ['CompleteMultipartUpload with If-None-Match: *', writeConditionKeys({ ifNoneMatch: '*' }, true), 'Allow'],
    ['CompleteMultipartUpload without a condition', writeConditionKeys({}, true), 'ExplicitDeny'],
    ['CopyObject (authorized without the if-* keys)', { ...writeConditionKeys({}, true), ...copySource }, 'Allow'],
  ] as const)('%s', (_name, keys, expected) => {
    expect(decide(withStatement(createOnlyUnlessCopy), 's3:PutObject', mine, keys)).toBe(expected);
  });

  it('leaves other prefixes (the avatar under protected/) and other actions alone', () => {
    const policy = withStatement(createOnlyUnlessCopy);
    expect(decide(policy, 's3:PutObject', object(`protected/${ME}/avatar`), writeConditionKeys({}, true))).toBe('Allow');
    expect(decide(policy, 's3:DeleteObject', mine)).toBe('Allow');
    expect(decide(policy, 's3:AbortMultipartUpload', mine)).toBe('Allow');
  });

  it('without the copy exemption, denies every copy into the prefix (AWS: 403, or 501 with a condition)', () => {
    const policy = withStatement(createOnly);
    expect(decide(policy, 's3:PutObject', mine, { ...writeConditionKeys({}, true), ...copySource })).toBe('ExplicitDeny');
    expect(decide(policy, 's3:PutObject', mine, writeConditionKeys({ ifNoneMatch: '*' }, true))).toBe('Allow');
    expect(decide(policy, 's3:PutObject', mine, writeConditionKeys({}, false))).toBe('Allow');
  });

  it('pins the value with StringEquals and reads condition key names case-insensitively', () => {
    const pinned = withStatement({
      Sid: 'OnlyStar',
      Effect: 'Deny',
      Action: 's3:PutObject',
      Resource: privateObjects,
      Condition: { StringNotEquals: { 's3:IF-NONE-MATCH': '*' }, Bool: { 's3:objectcreationoperation': 'true' } },
    });
    expect(decide(pinned, 's3:PutObject', mine, writeConditionKeys({ ifNoneMatch: '*' }, true))).toBe('Allow');
    expect(decide(pinned, 's3:PutObject', mine, writeConditionKeys({}, true))).toBe('ExplicitDeny');
    expect(decide(pinned, 's3:PutObject', mine, writeConditionKeys({}, false))).toBe('Allow');
  });

  it('follows the user guide examples: Allow only with the header, Allow the multipart steps', () => {
    const examples: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: `${BUCKET}/*`,
          Condition: { Null: { 's3:if-none-match': 'false' } },
        },
        {
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: `${BUCKET}/*`,
          Condition: { Bool: { 's3:ObjectCreationOperation': 'false' } },
        },
      ],
    };
    expect(decide(examples, 's3:PutObject', mine, writeConditionKeys({ ifNoneMatch: '*' }, true))).toBe('Allow');
    expect(decide(examples, 's3:PutObject', mine, writeConditionKeys({}, false))).toBe('Allow');
    expect(decide(examples, 's3:PutObject', mine, writeConditionKeys({}, true))).toBe('ImplicitDeny');
  });
});
