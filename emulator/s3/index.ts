/**
 * The emulator's S3: path-style `/{bucket}/{key}` for the single bucket of the config, with
 * SigV4 (header-signed and presigned) authentication against Identity Pool credentials, IAM
 * authorization by the role policies of lib/aws/policies.ts, and bodies streamed to disk.
 */
export { handleS3 } from './handler.ts';
