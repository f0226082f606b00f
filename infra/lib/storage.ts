import { Duration } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  type CorsRule as BucketCorsRule,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  bucketCorsRules,
  type CorsRule,
  SHARE_DAY_GROUP_PREFIXES,
  TRASH_PREFIX,
  TRASH_RETENTION_DAYS,
} from '../../lib/aws/policies.ts';
import type { CubbyParams } from './params.ts';

/**
 * S3's CORS rule (lib/aws/policies.ts, in PutBucketCors's field names) as CDK takes it. Only the
 * names change: CloudFormation says ExposedHeaders and MaxAge where S3's API says ExposeHeaders
 * and MaxAgeSeconds.
 */
export function toBucketCorsRule(rule: CorsRule): BucketCorsRule {
  return {
    allowedOrigins: rule.AllowedOrigins,
    allowedMethods: rule.AllowedMethods.map((method) => HttpMethods[method]),
    allowedHeaders: rule.AllowedHeaders,
    exposedHeaders: rule.ExposeHeaders,
    maxAge: rule.MaxAgeSeconds,
  };
}

/** The files bucket: private, TLS only, SSE-S3, the shared CORS rules, stale multipart uploads, ended share links and old trash cleaned up. */
export class CubbyStorage extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, params: CubbyParams) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: BucketEncryption.S3_MANAGED,
      versioned: params.bucketVersioning,
      cors: bucketCorsRules(params.appUrls).map(toBucketCorsRule),
      lifecycleRules: [
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Finished multipart uploads wait in incoming/ only until they are copied to their name;
        // whatever an interrupted finish left there goes after a day.
        { id: 'expire-incoming-uploads', prefix: 'incoming/', expiration: Duration.days(1) },
        // Share links' copies, one rule per day group (shared/1d/, shared/7d/, shared/30d/): the app
        // refuses a link from its end on; S3 deletes the copy once its group's days have passed, Cubby up or not.
        ...SHARE_DAY_GROUP_PREFIXES.map((prefix) => {
          const days = Number.parseInt(prefix.slice('shared/'.length), 10);
          return { id: `expire-share-links-${days}d`, prefix, expiration: Duration.days(days) };
        }),
        // Deleted files wait in trash/{identityId}/ for 30 days (the app purges older entries when the
        // trash is viewed); one rule on the top-level prefix deletes them, Cubby up or not.
        { id: 'expire-trash', prefix: TRASH_PREFIX, expiration: Duration.days(TRASH_RETENTION_DAYS) },
      ],
    });
  }
}
