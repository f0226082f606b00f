import 'server-only';
import { LRUCache } from 'lru-cache';
import { inlineImageType } from '@/lib/aws/content-types';
import type { AwsCredentials } from '@/lib/aws/credentials';
import { fileNameOf, GALLERY_PREFIX, isOwnKey, publicKey, publisherOf } from '@/lib/aws/keys';
import { copyFile, deleteFiles, headFile, listAllFiles, presignDownload, type StoredFile } from '@/lib/aws/s3';
import { AppError } from '@/lib/errors';
import { withRequestLogs } from '@/lib/http/request-id';
import { log } from '@/lib/log';
import { avatarUrlsFor } from './avatar';
import { PRESIGNED_URL_TTL_SECONDS } from './limits';
import { forgetPublished, type Owner, typeOfName } from './service';
import type { PublishOutcome } from './types';

/** The group whose members may remove anyone's public file (their role allows it; IAM decides). */
export const ADMINS_GROUP = 'admins';
/** Gallery tiles per page. */
export const GALLERY_PAGE_SIZE = 24;
/** The public listing is shared by every viewer and reused this long unless this process changed it. */
const GALLERY_LISTING_TTL_MS = 10_000;

const listing = new LRUCache<'public', StoredFile[]>({ max: 1, ttl: GALLERY_LISTING_TTL_MS });

/** Who looks at the gallery: a signed-in person (maybe an admin) or a guest with the unauthenticated role. */
export interface GalleryViewer {
  identityId: string;
  credentials: AwsCredentials;
  signedIn: boolean;
  isAdmin: boolean;
}

/** A published file as the landing page shows it. */
export interface GalleryItem {
  key: string;
  name: string;
  size: number;
  type: string;
  lastModified: string;
  /** A presigned GET: inline for allow-listed images, an attachment otherwise. */
  url: string;
  /** A presigned GET that always downloads (attachment), for the viewer's Download button. */
  downloadUrl: string;
  isImage: boolean;
  mine: boolean;
  canRemove: boolean;
  /** The publisher's avatar (protected/), for signed-in viewers only; null when they have none. */
  avatarUrl: string | null;
}

export interface GalleryPage {
  items: GalleryItem[];
  page: number;
  pageCount: number;
  total: number;
}

async function publicFiles(credentials: AwsCredentials): Promise<StoredFile[]> {
  const cached = listing.get('public');
  if (cached) return cached;
  const files = (await listAllFiles(credentials, GALLERY_PREFIX, { recursive: true })).filter(
    (file) => publisherOf(file.key) !== null,
  );
  listing.set('public', files);
  return files;
}

/**
 * One page of the public gallery, newest first, with presigned URLs made with the viewer's own
 * credentials (a guest's are the unauthenticated role's, which reads public/ and nothing else).
 */
export function listGallery(viewer: GalleryViewer, page: number): Promise<GalleryPage> {
  return withRequestLogs(() => galleryPage(viewer, page));
}

async function galleryPage(viewer: GalleryViewer, page: number): Promise<GalleryPage> {
  const files = [...(await publicFiles(viewer.credentials))].sort(
    (a, b) => b.lastModified.localeCompare(a.lastModified) || a.key.localeCompare(b.key),
  );
  const pageCount = Math.max(1, Math.ceil(files.length / GALLERY_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pageCount);
  const slice = files.slice((current - 1) * GALLERY_PAGE_SIZE, current * GALLERY_PAGE_SIZE);
  const publishers = slice.map((file) => publisherOf(file.key) ?? '');
  const avatars = viewer.signedIn ? await avatarUrlsFor(viewer.credentials, publishers) : new Map<string, string>();
  const items = await Promise.all(
    slice.map(async (file, index): Promise<GalleryItem> => {
      const type = typeOfName(file.name);
      const publisher = publishers[index] ?? '';
      const mine = publisher === viewer.identityId;
      const target = { key: file.key, fileName: file.name, contentType: type };
      const [url, downloadUrl] = await Promise.all([
        presignDownload(viewer.credentials, target, PRESIGNED_URL_TTL_SECONDS),
        presignDownload(viewer.credentials, { ...target, inline: false }, PRESIGNED_URL_TTL_SECONDS),
      ]);
      return {
        key: file.key,
        name: file.name,
        size: file.size,
        type,
        lastModified: file.lastModified,
        url,
        downloadUrl,
        isImage: inlineImageType(type, file.name) !== null,
        mine,
        canRemove: viewer.signedIn && (mine || viewer.isAdmin),
        avatarUrl: avatars.get(publisher) ?? null,
      };
    }),
  );
  return { items, page: current, pageCount, total: files.length };
}

/**
 * Publishes one of the person's own files to the gallery: a copy at `public/<identityId>/<name>`.
 * When S3 already holds that copy (HeadObject, or the create-only copy's 412), nothing is copied
 * and the answer says so (`alreadyPublic`), so a second tab's Publish does not pretend to publish again.
 * @throws {AppError} `forbidden` for a key that is not the person's own; S3 errors as AppError.
 */
export async function publishOwnFile(owner: Owner, key: string): Promise<PublishOutcome> {
  if (!isOwnKey(owner.identityId, key)) throw new AppError('forbidden', 'publish of a key outside the caller identity');
  const target = publicKey(owner.identityId, fileNameOf(key));
  let alreadyPublic = (await headFile(owner.credentials, target)) !== null;
  if (!alreadyPublic) {
    try {
      // Create-only: another tab publishing the same file at the same moment never copies twice.
      await copyFile(owner.credentials, key, target);
      log('info', 'gallery.published', {});
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'name_taken')) throw error;
      alreadyPublic = true;
    }
    listing.clear();
  }
  // After the copy: a listing read meanwhile must not keep the state from before it.
  forgetPublished(owner.identityId);
  return { key: target, alreadyPublic };
}

/**
 * Takes one of the person's own files out of the gallery: removes `public/<identityId>/<name>`
 * through {@link removePublicFile} as its publisher (the private file stays). Removing a copy that
 * is already gone succeeds (S3's delete is idempotent).
 * @throws {AppError} `forbidden` for a key that is not the person's own; S3 errors as AppError.
 */
export async function unpublishOwnFile(owner: Owner, key: string): Promise<{ key: string }> {
  if (!isOwnKey(owner.identityId, key)) throw new AppError('forbidden', 'unpublish of a key outside the caller identity');
  const target = publicKey(owner.identityId, fileNameOf(key));
  await removePublicFile({ ...owner, signedIn: true, isAdmin: false }, target);
  return { key: target };
}

/**
 * Removes a public file: the publisher may remove their own; members of `admins` may remove any
 * (their Token-mapped role allows s3:DeleteObject on public/*: IAM, not this check, is the wall).
 * @throws {AppError} `forbidden` when neither applies or S3 refuses; `invalid_input` for a non-gallery key.
 */
export async function removePublicFile(viewer: GalleryViewer, key: string): Promise<void> {
  const publisher = publisherOf(key);
  if (!publisher) throw new AppError('invalid_input', 'not a gallery key');
  if (publisher !== viewer.identityId && !viewer.isAdmin)
    throw new AppError('forbidden', 'remove of another person’s public file');
  const { errors } = await deleteFiles(viewer.credentials, [key]);
  const refused = errors[0];
  if (refused) throw new AppError(refused.code, `S3 refused the delete: ${refused.s3Code}`);
  listing.clear();
  forgetPublished(publisher);
  log('info', 'gallery.removed', { moderated: publisher !== viewer.identityId });
}
