import { describe, expect, it } from 'vitest';
import {
  adminsRolePolicy,
  authenticatedRolePolicy,
  bucketArnOf,
  bucketCorsRules,
  IDENTITY_ID,
  identityPoolTrustPolicy,
  type PolicyDocument,
  unauthenticatedRolePolicy,
} from '@/lib/aws/policies';

const BUCKET_ARN = bucketArnOf('cubby-files');
const POOL = 'us-east-1:36d52ea3-26a9-4d70-9ba9-a75c75c69efb';

const ROLES: [string, PolicyDocument][] = [
  ['authenticated', authenticatedRolePolicy(BUCKET_ARN)],
  ['unauthenticated', unauthenticatedRolePolicy(BUCKET_ARN)],
  ['admins', adminsRolePolicy(BUCKET_ARN)],
];

const listOf = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

describe('role policy documents (deployed as-is by the infrastructure)', () => {
  it('uses the exact Identity Pool policy variable, not a misspelt one', () => {
    expect(IDENTITY_ID).toBe(['$', '{cognito-identity.amazonaws.com:sub}'].join(''));
  });

  it.each(ROLES)('%s: is plain IAM JSON with only the bucket ARN filled in', (_role, policy) => {
    expect(JSON.parse(JSON.stringify(policy))).toEqual(policy);
    expect(policy.Version).toBe('2012-10-17');
    const text = JSON.stringify(policy);
    expect(text).not.toContain('undefined');
    expect(text).not.toContain('amazon.com:');
    for (const statement of policy.Statement) {
      expect(statement.Principal).toBeUndefined();
      for (const resource of listOf(statement.Resource)) {
        expect(resource === BUCKET_ARN || resource.startsWith(`${BUCKET_ARN}/`)).toBe(true);
      }
    }
  });

  it.each(ROLES)('%s: grants no wildcard service, action or resource', (_role, policy) => {
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.NotAction).toBeUndefined();
      expect(statement.NotResource).toBeUndefined();
      for (const action of listOf(statement.Action)) expect(action).toMatch(/^s3:[A-Za-z]+$/);
      for (const resource of listOf(statement.Resource)) expect(resource).not.toBe('*');
      for (const resource of listOf(statement.Resource)) expect(resource).not.toBe(`${BUCKET_ARN}/*`);
    }
  });

  it('lets listing happen only under the prefixes each role may read', () => {
    const prefixes = (policy: PolicyDocument) =>
      policy.Statement.filter((statement) => listOf(statement.Action).includes('s3:ListBucket')).flatMap((statement) =>
        listOf(statement.Condition?.StringLike?.['s3:prefix'] as string | string[] | undefined),
      );
    expect(prefixes(unauthenticatedRolePolicy(BUCKET_ARN)).sort()).toEqual(['public/', 'public/*']);
    expect(prefixes(authenticatedRolePolicy(BUCKET_ARN)).sort()).toEqual(
      [
        `private/${IDENTITY_ID}/`,
        `private/${IDENTITY_ID}/*`,
        `incoming/${IDENTITY_ID}/`,
        `incoming/${IDENTITY_ID}/*`,
        // The trash: each person lists only their own.
        `trash/${IDENTITY_ID}/`,
        `trash/${IDENTITY_ID}/*`,
        'protected/',
        'protected/*',
        'public/',
        'public/*',
        // Share links: each owner lists only their own folder in each day group; nobody lists shared/ itself.
        ...['1d', '7d', '30d'].flatMap((group) => [`shared/${group}/${IDENTITY_ID}/`, `shared/${group}/${IDENTITY_ID}/*`]),
      ].sort(),
    );
  });

  it('gives admins everything authenticated people have, plus deleting in public/', () => {
    const user = authenticatedRolePolicy(BUCKET_ARN).Statement;
    const admin = adminsRolePolicy(BUCKET_ARN).Statement;
    expect(admin.slice(0, user.length)).toEqual(user);
    expect(admin.slice(user.length)).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: 's3:DeleteObject', Resource: `${BUCKET_ARN}/public/*` }),
    ]);
  });

  it('keeps multipart abort and part listing to the caller’s own prefixes', () => {
    for (const statement of authenticatedRolePolicy(BUCKET_ARN).Statement) {
      const actions = listOf(statement.Action);
      if (!actions.includes('s3:AbortMultipartUpload') && !actions.includes('s3:ListMultipartUploadParts')) continue;
      for (const resource of listOf(statement.Resource)) expect(resource).toContain(`/${IDENTITY_ID}/*`);
    }
  });
});

describe('trust policies', () => {
  it.each(['authenticated', 'unauthenticated'] as const)('%s: only this pool and only that kind of identity', (kind) => {
    expect(identityPoolTrustPolicy(POOL, kind)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'cognito-identity.amazonaws.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { 'cognito-identity.amazonaws.com:aud': POOL },
            'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': kind },
          },
        },
      ],
    });
  });
});

describe('bucket CORS rules', () => {
  it('allow the app origins to GET, PUT and HEAD with any header and read the ETag, cached 3000 s', () => {
    const rules = bucketCorsRules(['http://localhost:3000', 'https://cubby.example']);
    expect(rules).toHaveLength(1);
    const [rule] = rules;
    expect(rule?.AllowedOrigins).toEqual(['http://localhost:3000', 'https://cubby.example']);
    expect(rule?.AllowedMethods).toEqual(['GET', 'PUT', 'HEAD']);
    expect(rule?.AllowedHeaders).toEqual(['*']);
    expect(rule?.ExposeHeaders).toContain('ETag');
    expect(rule?.MaxAgeSeconds).toBe(3000);
  });

  it('never falls back to a wildcard origin', () => {
    expect(bucketCorsRules([])[0]?.AllowedOrigins).toEqual([]);
    expect(bucketCorsRules(['http://localhost:3000'])[0]?.AllowedOrigins).not.toContain('*');
  });
});
