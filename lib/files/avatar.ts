import 'server-only';
import { LRUCache } from 'lru-cache';
import type { AwsCredentials } from '@/lib/aws/credentials';
import { avatarKey } from '@/lib/aws/keys';
import { deleteFiles, headFile, type PresignedUpload, presignDownload, presignUpload } from '@/lib/aws/s3';
import { AppError } from '@/lib/errors';
import { AVATAR_MAX_BYTES, PRESIGNED_URL_TTL_SECONDS } from './limits';
import type { Owner } from './service';

/**
 * Profile pictures at `protected/<identityId>/avatar` (Amplify's protected level): the owner
 * writes, every signed-in person reads, guests cannot. The browser scales the picture to a small
 * square PNG before uploading, so one type and a small signed size cover every avatar.
 */

/** The only avatar type: the browser re-encodes whatever was picked as PNG. */
export const AVATAR_TYPE = 'image/png';
/** An avatar PUT URL lives this long: the picture is scaled and sent right after it is asked for. */
const AVATAR_UPLOAD_URL_TTL_SECONDS = 5 * 60;

/** Whether an identity has an avatar, remembered briefly so a gallery page costs few HEADs. */
const exists = new LRUCache<string, boolean>({ max: 10_000, ttl: 60_000 });

/**
 * A presigned PUT for the person's avatar (Content-Length and `image/png` signed). The one write
 * in Cubby meant to replace: the key holds exactly one picture by design, nothing else is ever
 * stored there, and the newest choice wins, so the PUT is a plain overwrite (not create-only). A
 * race between two tabs picking a picture leaves one of the two pictures, never anything lost.
 * @throws {AppError} `invalid_file` for an empty or oversized picture.
 */
export async function planAvatarUpload(owner: Owner, size: number): Promise<PresignedUpload> {
  if (!Number.isSafeInteger(size) || size < 1 || size > AVATAR_MAX_BYTES) throw new AppError('invalid_file', 'avatar size');
  exists.delete(owner.identityId);
  return presignUpload(
    owner.credentials,
    { key: avatarKey(owner.identityId), size, contentType: AVATAR_TYPE, createOnly: false },
    AVATAR_UPLOAD_URL_TTL_SECONDS,
  );
}

/** Removes the person's avatar (idempotent). */
export async function removeAvatar(owner: Owner): Promise<void> {
  const { errors } = await deleteFiles(owner.credentials, [avatarKey(owner.identityId)]);
  exists.delete(owner.identityId);
  const refused = errors[0];
  if (refused) throw new AppError(refused.code, `S3 refused the delete: ${refused.s3Code}`);
}

/**
 * A presigned inline GET for an identity's avatar, made with the viewer's credentials (a signed-in
 * person's role reads protected/), or null when there is none or S3 could not say. Whether an
 * avatar exists is remembered for a minute per process (a gallery page costs few HEADs); `fresh`
 * asks S3 again, for the owner's own profile right after a change.
 */
export async function avatarUrlOf(
  credentials: AwsCredentials,
  identityId: string,
  options: { fresh?: boolean } = {},
): Promise<string | null> {
  let present = options.fresh ? undefined : exists.get(identityId);
  if (present === undefined) {
    try {
      present = (await headFile(credentials, avatarKey(identityId))) !== null;
    } catch {
      return null; // An avatar is decoration: a failed check shows the initials instead.
    }
    exists.set(identityId, present);
  }
  if (!present) return null;
  return presignDownload(
    credentials,
    { key: avatarKey(identityId), fileName: 'avatar.png', contentType: AVATAR_TYPE, inline: true },
    PRESIGNED_URL_TTL_SECONDS,
  );
}

/** Avatar URLs for several identities (duplicates and blanks ignored), keyed by identity id. */
export async function avatarUrlsFor(credentials: AwsCredentials, identityIds: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(identityIds.filter(Boolean))];
  const urls = await Promise.all(unique.map(async (id) => [id, await avatarUrlOf(credentials, id)] as const));
  return new Map(urls.filter((entry): entry is readonly [string, string] => entry[1] !== null));
}
