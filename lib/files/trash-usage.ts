import 'server-only';
import type { AwsCredentials } from '@/lib/aws/credentials';
import { trashPrefix } from '@/lib/aws/keys';
import { storageUsed } from '@/lib/aws/s3';

/**
 * Bytes held in this person's trash (`trash/{identityId}/`, which only they may list). Deleted
 * files wait there for 30 days and can be restored, so they still count toward the person's
 * storage quota (lib/files/service.ts adds this to what the storage bar shows and what uploads are
 * checked against). Server only.
 * @throws {AppError} as the S3 layer maps failures.
 */
export function trashBytes(credentials: AwsCredentials, identityId: string): Promise<number> {
  return storageUsed(credentials, trashPrefix(identityId));
}
