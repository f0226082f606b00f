/**
 * S3's own limits that Cubby's rules follow, declared once. Pure and import-free: the S3 layer
 * (lib/aws/s3-multipart.ts) plans uploads by them, and the actions' schemas (lib/files/schemas.ts),
 * which must stay client-safe, bound input by them. S3's limit on a key is lib/aws/keys.ts's
 * `MAX_KEY_BYTES`.
 */

/** S3's ceiling on parts per multipart upload (part numbers run 1..10,000). */
export const MAX_PARTS = 10_000;

/** S3's largest object (5 TiB). */
export const MAX_OBJECT_BYTES = 5 * 1024 ** 4;
