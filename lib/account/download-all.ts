import 'server-only';
import { z } from 'zod';
import { fileNameOf, prefixesOwnedBy } from '@/lib/aws/keys';
import { listAllFiles, listFiles, presignDownload, type StoredFile } from '@/lib/aws/s3';
import { PRESIGNED_URL_TTL_SECONDS } from '@/lib/files/limits';
import { type Owner, typeOfName } from '@/lib/files/service';

/**
 * "Download all my files" before leaving: presigned download links (attachments, signed with the
 * person's own credentials, each living {@link PRESIGNED_URL_TTL_SECONDS} at most) for their
 * files, a page at a time, and on the first page also their published copies and avatar. A zip
 * of everything is issue 16's. Server only.
 */

/** Links per page: enough to save a folder's worth at once, small enough for one answer. */
export const DOWNLOAD_LINKS_PAGE = 500;

/** Where a linked object lives: the person's files, the copies they published, their avatar. */
export type DownloadArea = 'files' | 'published' | 'avatar';

/** The "download all" action's input: the page to list (null: the first). */
export const DownloadLinksSchema = z.object({ cursor: z.string().min(1).max(2048).nullable() });

export type DownloadLinksInput = z.infer<typeof DownloadLinksSchema>;

/** One download link. */
export interface DownloadLink {
  area: DownloadArea;
  /** What it is called: its path under the person's files (`Photos/2026/beach.jpg`), else the key's last segment. */
  name: string;
  /** Bytes. */
  size: number;
  /** A presigned GET answered as an attachment. */
  url: string;
}

/** One page of links; pass `nextCursor` back for the next page of files (null: that was the last). */
export interface DownloadLinksPage {
  links: DownloadLink[];
  nextCursor: string | null;
}

async function linkOf(owner: Owner, area: DownloadArea, file: StoredFile, label?: string): Promise<DownloadLink> {
  const name = fileNameOf(file.key);
  const url = await presignDownload(
    owner.credentials,
    { key: file.key, fileName: name, contentType: typeOfName(name), inline: false },
    PRESIGNED_URL_TTL_SECONDS,
  );
  return { area, name: label ?? name, size: file.size, url };
}

/**
 * A page of download links for everything the person owns that can be downloaded: up to
 * {@link DOWNLOAD_LINKS_PAGE} of their files (S3's listing order, nested keys included) and, on the
 * first page (no `cursor`), their published copies and avatar. Unfinished uploads are not files yet
 * and are left out.
 * @throws {AppError} `storage_unavailable`, `session_ended`... as the S3 layer maps them.
 */
export async function downloadAllLinks(owner: Owner, cursor: string | null = null): Promise<DownloadLinksPage> {
  const prefixes = prefixesOwnedBy(owner.identityId);
  const page = await listFiles(owner.credentials, prefixes.files, { cursor, recursive: true, maxKeys: DOWNLOAD_LINKS_PAGE });
  const extras: { area: DownloadArea; file: StoredFile }[] = [];
  if (!cursor) {
    const [published, avatar] = await Promise.all([
      listAllFiles(owner.credentials, prefixes.published, { recursive: true, limit: DOWNLOAD_LINKS_PAGE }),
      listAllFiles(owner.credentials, prefixes.avatar, { recursive: true, limit: DOWNLOAD_LINKS_PAGE }),
    ]);
    extras.push(...published.map((file) => ({ area: 'published' as const, file })));
    extras.push(...avatar.map((file) => ({ area: 'avatar' as const, file })));
  }
  const links = await Promise.all([
    // Folder markers (`…/`, zero bytes) are folders, not files; a file is named by its folder path.
    ...page.files
      .filter((file) => !file.key.endsWith('/'))
      .map((file) => linkOf(owner, 'files', file, file.key.slice(prefixes.files.length))),
    ...extras.map(({ area, file }) => linkOf(owner, area, file)),
  ]);
  return { links, nextCursor: page.nextCursor };
}
