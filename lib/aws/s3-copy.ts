import 'server-only';
import type { AwsCredentials } from './credentials';
import { copyFileInParts, MAX_SINGLE_COPY_BYTES } from './s3-multipart';
import { copyFile, type FileDetails } from './s3-objects';

/**
 * Copies `source` to `to`, create-only, whatever its size: one CopyObject up to
 * {@link MAX_SINGLE_COPY_BYTES}, part copies conditional on the source's ETag past it. The user
 * metadata is replaced by `metadata`; the Content-Type is kept. Server only.
 * @throws {AppError} `name_taken` when `to` exists (S3's 412/409); S3 failures as AppError.
 */
export async function copyCreateOnly(
  credentials: AwsCredentials,
  source: Pick<FileDetails, 'key' | 'size' | 'contentType' | 'etag'>,
  to: string,
  metadata: Record<string, string>,
): Promise<void> {
  if (source.size > MAX_SINGLE_COPY_BYTES) {
    await copyFileInParts(credentials, {
      from: source.key,
      to,
      size: source.size,
      contentType: source.contentType,
      metadata,
      sourceEtag: source.etag,
    });
  } else {
    await copyFile(credentials, source.key, to, { metadata, contentType: source.contentType });
  }
}
