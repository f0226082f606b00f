/**
 * Who may do what in Cubby's bucket: the ONE definition of access. The emulator enforces these
 * documents and the deployment stack deploys them, with only the bucket ARN (and pool id) filled in.
 *
 * Prefixes follow Amplify Storage, so buckets interoperate:
 * - `private/{identityId}/`   the owner only;
 * - `incoming/{identityId}/`  the owner only: multipart uploads before they get their name
 *   (the bucket expires what is left there after a day);
 * - `protected/{identityId}/` the owner writes, every signed-in person reads;
 * - `public/`                 everyone reads, guests included; a signed-in person publishes under
 *   `public/{identityId}/` (and may remove only those); members of `admins` may remove any.
 * - `shared/{days}d/{identityId}/` share links' copies: the owner creates, deletes and lists
 *   them; everyone (guests included) may read one whose key they have; nobody else may list
 *   anything under `shared/` (no statement allows it), so a link cannot be found, only known.
 * - `trash/{identityId}/`     the owner only (as `private/`): deleted files, kept {@link TRASH_RETENTION_DAYS}
 *   days (one lifecycle rule on {@link TRASH_PREFIX} expires them), restorable until then.
 * `{identityId}` is the IAM policy variable `${cognito-identity.amazonaws.com:sub}`, the Identity
 * Pool identity id (`<region>:<uuid>`), not the user pool's `sub`.
 *
 * Pure data, no imports: loadable by Node's type stripping (the emulator) and by the app bundle.
 */

export type StringOrList = string | string[];

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: Record<string, StringOrList>;
  Action?: StringOrList;
  NotAction?: StringOrList;
  Resource?: StringOrList;
  NotResource?: StringOrList;
  /** operator -> condition key -> value(s). */
  Condition?: Record<string, Record<string, StringOrList | boolean>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** S3's bucket CORS rule, as PutBucketCors and CloudFormation take it. */
export interface CorsRule {
  AllowedOrigins: string[];
  AllowedMethods: ('GET' | 'PUT' | 'HEAD' | 'POST' | 'DELETE')[];
  AllowedHeaders: string[];
  ExposeHeaders: string[];
  MaxAgeSeconds: number;
}

/** The IAM policy variable for the caller's Identity Pool identity id. */
export const IDENTITY_ID = '${cognito-identity.amazonaws.com:sub}';

/** Actions an owner needs on their own objects, including browser multipart uploads. */
const OWNER_WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];

/** `trash/`: every person's trash, `trash/{identityId}/…` (lib/aws/keys.ts builds the keys under it). */
export const TRASH_PREFIX = 'trash/';

/** Days a deleted file stays in the trash: the app purges older entries when the trash is viewed, the bucket's lifecycle rule deletes them anyway. */
export const TRASH_RETENTION_DAYS = 30;

function objects(bucketArn: string, pattern: string): string {
  return `${bucketArn}/${pattern}`;
}

/**
 * The day groups of share copies, `shared/{days}d/` (lib/aws/keys.ts `SHARE_DAY_GROUPS`, which a
 * unit test holds equal: this file imports nothing).
 */
export const SHARE_DAY_GROUP_PREFIXES = ['shared/1d/', 'shared/7d/', 'shared/30d/'] as const;

/** Anyone holding a share link's key may read its copy: the key's 128 random bits are the secret. */
function readShareLinks(bucketArn: string): PolicyStatement {
  return { Sid: 'ReadShareLinks', Effect: 'Allow', Action: 's3:GetObject', Resource: objects(bucketArn, 'shared/*') };
}

/** The owner's share links: create (the create-only copy) and revoke (delete) their own, and list only their own. */
function ownShareLinks(bucketArn: string): PolicyStatement[] {
  const own = SHARE_DAY_GROUP_PREFIXES.map((group) => `${group}${IDENTITY_ID}/`);
  return [
    {
      Sid: 'ListOwnShareLinks',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucketArn,
      Condition: { StringLike: { 's3:prefix': own.flatMap((prefix) => [prefix, `${prefix}*`]) } },
    },
    {
      Sid: 'OwnShareLinks',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:DeleteObject'],
      Resource: own.map((prefix) => objects(bucketArn, `${prefix}*`)),
    },
  ];
}

function guestStatements(bucketArn: string): PolicyStatement[] {
  return [
    {
      Sid: 'ListPublic',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucketArn,
      Condition: { StringLike: { 's3:prefix': ['public/', 'public/*'] } },
    },
    { Sid: 'ReadPublic', Effect: 'Allow', Action: 's3:GetObject', Resource: objects(bucketArn, 'public/*') },
    readShareLinks(bucketArn),
  ];
}

/** The unauthenticated (guest) role: read and list `public/`; read (never list) share links' copies. */
export function unauthenticatedRolePolicy(bucketArn: string): PolicyDocument {
  return { Version: '2012-10-17', Statement: guestStatements(bucketArn) };
}

/** The authenticated role: own private and protected prefixes, shared reads, own public publishing, own share links. */
export function authenticatedRolePolicy(bucketArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ListSharedAndOwn',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: bucketArn,
        Condition: {
          StringLike: {
            's3:prefix': [
              'public/',
              'public/*',
              'protected/',
              'protected/*',
              `private/${IDENTITY_ID}/`,
              `private/${IDENTITY_ID}/*`,
              `incoming/${IDENTITY_ID}/`,
              `incoming/${IDENTITY_ID}/*`,
              `${TRASH_PREFIX}${IDENTITY_ID}/`,
              `${TRASH_PREFIX}${IDENTITY_ID}/*`,
            ],
          },
        },
      },
      {
        Sid: 'ReadShared',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [objects(bucketArn, 'public/*'), objects(bucketArn, 'protected/*')],
      },
      {
        Sid: 'OwnPrivate',
        Effect: 'Allow',
        Action: ['s3:GetObject', ...OWNER_WRITE_ACTIONS],
        // incoming/: multipart uploads land there under a unique key, then are copied to their name.
        // trash/: deleted files, copied there and back (restore) by their owner only.
        Resource: [
          objects(bucketArn, `private/${IDENTITY_ID}/*`),
          objects(bucketArn, `incoming/${IDENTITY_ID}/*`),
          objects(bucketArn, `${TRASH_PREFIX}${IDENTITY_ID}/*`),
        ],
      },
      {
        Sid: 'OwnProtectedAndPublished',
        Effect: 'Allow',
        Action: OWNER_WRITE_ACTIONS,
        Resource: [objects(bucketArn, `protected/${IDENTITY_ID}/*`), objects(bucketArn, `public/${IDENTITY_ID}/*`)],
      },
      readShareLinks(bucketArn),
      ...ownShareLinks(bucketArn),
    ],
  };
}

/** The `admins` group's role (Token role mapping): the authenticated role, plus removing any public file. */
export function adminsRolePolicy(bucketArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      ...authenticatedRolePolicy(bucketArn).Statement,
      { Sid: 'ModeratePublic', Effect: 'Allow', Action: 's3:DeleteObject', Resource: objects(bucketArn, 'public/*') },
    ],
  };
}

/** Trust policy for an Identity Pool role: only this pool, only identities of the given kind. */
export function identityPoolTrustPolicy(identityPoolId: string, kind: 'authenticated' | 'unauthenticated'): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': identityPoolId },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': kind },
        },
      },
    ],
  };
}

/**
 * The bucket's CORS rules: the app's origins may GET, PUT (presigned uploads and parts) and HEAD
 * with any header; ETag is exposed because multipart uploads must read it from each part.
 */
export function bucketCorsRules(appOrigins: readonly string[]): CorsRule[] {
  return [
    {
      AllowedOrigins: [...appOrigins],
      AllowedMethods: ['GET', 'PUT', 'HEAD'],
      AllowedHeaders: ['*'],
      ExposeHeaders: ['ETag', 'x-amz-request-id', 'x-amz-id-2', 'x-amz-server-side-encryption'],
      MaxAgeSeconds: 3000,
    },
  ];
}

/** `arn:aws:s3:::<bucket>` (standard partition). */
export function bucketArnOf(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}
