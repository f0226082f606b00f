import { describe, expect, it } from 'vitest';
import { bucketCorsRules, TRASH_PREFIX, TRASH_RETENTION_DAYS } from '../../lib/aws/policies.ts';
import { SHARE_DURATION_RULES } from '../../lib/files/share-rules.ts';
import { type CfnResource, logicalId, only, synth } from './support.ts';

interface Statement {
  Effect: string;
  Principal: unknown;
  Action: string;
  Resource: unknown[];
  Condition: Record<string, Record<string, unknown>>;
}

describe('files bucket', () => {
  const { stack, template } = synth();
  const bucket = only(template, 'AWS::S3::Bucket').resource.Properties;

  it('blocks every kind of public access and disables ACLs', () => {
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  it('encrypts objects with S3-managed keys', () => {
    expect(bucket.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  it('refuses every request that is not over TLS (1.2 or later), for the bucket and its objects', () => {
    const policy = only(template, 'AWS::S3::BucketPolicy').resource as CfnResource;
    const bucketId = logicalId(stack, stack.storage.bucket);
    expect(policy.Properties.Bucket).toEqual({ Ref: bucketId });
    const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    const bucketArn = { 'Fn::GetAtt': [bucketId, 'Arn'] };
    const everything = [bucketArn, { 'Fn::Join': ['', [bucketArn, '/*']] }];
    expect(statements).toContainEqual({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: everything,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(statements).toContainEqual({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: everything,
      Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
    });
    expect(statements.every((statement) => statement.Effect === 'Deny')).toBe(true);
  });

  it("takes its CORS rules from lib/aws/policies.ts for the app's origins", () => {
    const expected = bucketCorsRules(['https://cubby.example.org', 'https://staging.cubby.example.org']).map((rule) => ({
      AllowedOrigins: rule.AllowedOrigins,
      AllowedMethods: rule.AllowedMethods,
      AllowedHeaders: rule.AllowedHeaders,
      ExposedHeaders: rule.ExposeHeaders,
      MaxAge: rule.MaxAgeSeconds,
    }));
    expect(bucket.CorsConfiguration).toEqual({ CorsRules: expected });
  });

  it('aborts incomplete multipart uploads, expires leftovers in incoming/ after a day, share links by their day group and the trash after 30 days', () => {
    expect(bucket.LifecycleConfiguration).toEqual({
      Rules: [
        {
          Id: 'abort-incomplete-multipart-uploads',
          Status: 'Enabled',
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
        { Id: 'expire-incoming-uploads', Status: 'Enabled', Prefix: 'incoming/', ExpirationInDays: 1 },
        { Id: 'expire-share-links-1d', Status: 'Enabled', Prefix: 'shared/1d/', ExpirationInDays: 1 },
        { Id: 'expire-share-links-7d', Status: 'Enabled', Prefix: 'shared/7d/', ExpirationInDays: 7 },
        { Id: 'expire-share-links-30d', Status: 'Enabled', Prefix: 'shared/30d/', ExpirationInDays: 30 },
        { Id: 'expire-trash', Status: 'Enabled', Prefix: 'trash/', ExpirationInDays: 30 },
      ],
    });
  });

  it('expires every share-link day group the app uses, no sooner than its longest link', () => {
    const rules = (bucket.LifecycleConfiguration as { Rules: { Prefix?: string; ExpirationInDays?: number }[] }).Rules;
    for (const [duration, rule] of Object.entries(SHARE_DURATION_RULES)) {
      const lifecycle = rules.find((candidate) => candidate.Prefix === `shared/${rule.dayGroup}d/`);
      expect(lifecycle, duration).toBeDefined();
      expect((lifecycle?.ExpirationInDays ?? 0) * 24 * 3600 * 1000, duration).toBeGreaterThanOrEqual(rule.ms);
    }
  });

  it('expires the trash under the one prefix every trash key starts with (lib/aws/keys.ts trashPrefix; a unit test holds it), after the days the app keeps it', () => {
    const { Rules: rules } = bucket.LifecycleConfiguration as { Rules: { Prefix?: string; ExpirationInDays?: number }[] };
    const trash = rules.find((candidate) => candidate.Prefix === TRASH_PREFIX);
    expect(trash?.ExpirationInDays).toBe(TRASH_RETENTION_DAYS);
  });

  it('is kept when the stack is deleted', () => {
    expect(only(template, 'AWS::S3::Bucket').resource.DeletionPolicy).toBe('Retain');
  });

  it('versions objects only when asked', () => {
    expect(bucket.VersioningConfiguration).toBeUndefined();
    const versioned = only(synth({ bucketVersioning: true }).template, 'AWS::S3::Bucket').resource.Properties;
    expect(versioned.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });
});
