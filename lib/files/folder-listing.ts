import 'server-only';
import { type _Object, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { AwsCredentials } from '@/lib/aws/credentials';
import { type FolderPath, folderPathOf, folderPrefix, splitOwnKey } from '@/lib/aws/keys';
import { MAX_LISTED_FILES } from '@/lib/aws/s3';
import { bareEtag, bucket, type StoredFile, s3Call, s3ClientFor } from '@/lib/aws/s3-client';
import { log } from '@/lib/log';

/**
 * Listing one folder of a person's files the way the S3 console and the AWS CLI see it:
 * ListObjectsV2 with `Delimiter: '/'` under the folder's prefix, so the folders in it come back as
 * common prefixes (without listing what is inside them) and the files as contents. Paged with S3's
 * continuation tokens. Only well-formed own folders and files are returned (lib/aws/keys.ts): a
 * hidden folder (`.x/`) or a key other tools stored with a name Cubby would never build is left
 * out. Server only.
 */

/** ListObjectsV2's largest page. */
const MAX_PAGE_KEYS = 1000;

/** One page of a folder: the folders (names) and files directly in it. */
export interface FolderPage {
  /** Names of the folders directly in the folder, in S3's (UTF-8 binary) order. */
  folders: string[];
  files: StoredFile[];
  /** S3's continuation token; null on the last page. */
  nextCursor: string | null;
}

function reshape(identityId: string, path: FolderPath, object: _Object): StoredFile | null {
  const parts = object.Key ? splitOwnKey(identityId, object.Key) : null;
  if (!object.Key || !parts || parts.path.length !== path.length) return null;
  return {
    key: object.Key,
    name: parts.name,
    size: object.Size ?? 0,
    lastModified: (object.LastModified ?? new Date(0)).toISOString(),
    etag: bareEtag(object.ETag),
  };
}

/**
 * One page (up to `maxKeys`, at most 1,000 folders and files together) of the folder `path` of
 * `identityId`'s files, with that person's credentials. The folder's own marker is not a file.
 * As on S3, a page may be short and still have a `nextCursor`.
 * @throws AppError from lib/aws/keys.ts for a bad path; `forbidden` (IAM) for another person's
 * folder, `storage_unavailable` when S3 fails.
 */
export async function listFolderPage(
  credentials: AwsCredentials,
  identityId: string,
  path: FolderPath,
  options: { cursor?: string | null; maxKeys?: number } = {},
): Promise<FolderPage> {
  const prefix = folderPrefix(identityId, path);
  const maxKeys = Math.min(MAX_PAGE_KEYS, Math.max(1, Math.floor(options.maxKeys ?? MAX_PAGE_KEYS)));
  const answer = await s3Call('list', () =>
    s3ClientFor(credentials).send(
      new ListObjectsV2Command({
        Bucket: bucket(),
        Prefix: prefix,
        Delimiter: '/',
        MaxKeys: maxKeys,
        ContinuationToken: options.cursor || undefined,
      }),
    ),
  );
  const folders: string[] = [];
  for (const common of answer.CommonPrefixes ?? []) {
    const inner = folderPathOf(identityId, common.Prefix);
    const name = inner?.at(-1);
    if (inner && name !== undefined && inner.length === path.length + 1) folders.push(name);
  }
  const files = (answer.Contents ?? [])
    .map((object) => reshape(identityId, path, object))
    .filter((file): file is StoredFile => file !== null);
  return { folders, files, nextCursor: answer.IsTruncated && answer.NextContinuationToken ? answer.NextContinuationToken : null };
}

/**
 * Every folder and file directly in the folder `path` (all pages of {@link listFolderPage}),
 * stopping after `limit` files (default MAX_LISTED_FILES); a cut listing is logged.
 * @throws as {@link listFolderPage}.
 */
export async function listWholeFolder(
  credentials: AwsCredentials,
  identityId: string,
  path: FolderPath,
  limit: number = MAX_LISTED_FILES,
): Promise<{ folders: string[]; files: StoredFile[] }> {
  const folders: string[] = [];
  const files: StoredFile[] = [];
  let cursor: string | null = null;
  do {
    const page: FolderPage = await listFolderPage(credentials, identityId, path, { cursor });
    folders.push(...page.folders);
    files.push(...page.files);
    cursor = page.nextCursor;
  } while (cursor && files.length < limit);
  if (cursor || files.length > limit) log('warn', 's3.folder_listing_cut', { limit });
  return { folders, files: files.slice(0, limit) };
}
