import 'server-only';

export { DOWNLOAD_CONTENT_TYPE, type DownloadHeaders, downloadHeaders } from './content-types';
/**
 * Cubby's S3 layer, in one import: presigned uploads and downloads, multipart uploads, listing,
 * deleting, copying and renaming, always with a person's own temporary credentials (the server
 * holds no AWS keys). Keys come from lib/aws/keys.ts only. Every function maps S3's failures to
 * AppError codes and logs without URLs, signatures or keys. Server only.
 */
export { copySourceOf } from './s3-address';
export {
  PRESIGNED_URL_CREDENTIALS_MARGIN_SECONDS,
  type StoredFile,
  s3ClientFor,
  storageError,
  urlLifetime,
} from './s3-client';
export { copyCreateOnly } from './s3-copy';
export { MAX_OBJECT_BYTES, MAX_PARTS } from './s3-limits';
export {
  abortMultipartUpload,
  completeMultipartUpload,
  copyFileInParts,
  copyRanges,
  createMultipartUpload,
  listUploadedParts,
  MAX_SINGLE_COPY_BYTES,
  MIN_PART_SIZE,
  MULTIPART_THRESHOLD,
  type MultipartPlan,
  PART_URL_TTL_SECONDS,
  planMultipart,
  presignUploadParts,
  type UploadedPart,
} from './s3-multipart';
export {
  copyFile,
  type DeleteResult,
  deleteFiles,
  type FileDetails,
  type FileListPage,
  headFile,
  listAllFiles,
  listFiles,
  MAX_LISTED_FILES,
  MODIFIED_AT_METADATA,
  renameFile,
  storageUsed,
} from './s3-objects';
export { MAX_SINGLE_PUT_BYTES, type PresignedUpload, presignDownload, presignUpload } from './s3-presign';
