import 'server-only';
import type { AwsCredentials } from '@/lib/aws/credentials';
import { sharePrefixes } from '@/lib/aws/keys';
import { listAllFiles, type StoredFile } from '@/lib/aws/s3';

/**
 * Every share copy this person has (expired or not), read from S3: a listing of each of their
 * `shared/{days}d/{identityId}/` folders, which only they may list. Server only.
 * @throws {AppError} as the S3 layer maps failures.
 */
export async function listShareCopies(credentials: AwsCredentials, identityId: string): Promise<StoredFile[]> {
  const groups = await Promise.all(sharePrefixes(identityId).map((prefix) => listAllFiles(credentials, prefix)));
  return groups.flat();
}

/**
 * Bytes held by this person's share links. Share links are copies, so they count toward the
 * person's storage quota like their files (lib/files/service.ts adds this to what the storage bar
 * shows and what uploads are checked against). Server only.
 * @throws {AppError} as the S3 layer maps failures.
 */
export async function sharedBytes(credentials: AwsCredentials, identityId: string): Promise<number> {
  return (await listShareCopies(credentials, identityId)).reduce((sum, file) => sum + file.size, 0);
}
