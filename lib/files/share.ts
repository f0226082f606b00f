import 'server-only';
import { randomBytes } from 'node:crypto';
import { inlineImageType } from '@/lib/aws/content-types';
import type { AwsCredentials } from '@/lib/aws/credentials';
import { isOwnKey, ownShareAddress, parseShareToken, safeFileName, shareAddress, UNTITLED } from '@/lib/aws/keys';
import { copyFile, deleteFiles, headFile, MAX_SINGLE_COPY_BYTES, presignDownload } from '@/lib/aws/s3';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/log';
import { PRESIGNED_URL_TTL_SECONDS } from './limits';
import { listOwnFiles, type Owner, storageChanged, typeOfName } from './service';
import {
  isShareExpired,
  MAX_ACTIVE_SHARES,
  SHARE_DURATION_RULES,
  type ShareDuration,
  shareExpiry,
  sharePath,
} from './share-rules';
import { listShareCopies } from './share-usage';

/**
 * Share links: a file shared as a link anyone may open, without an account, until it expires or
 * is revoked. A presigned URL cannot do it (it dies with the 1-hour Identity Pool credentials that
 * signed it), so a link is a create-only COPY of the file, made with the owner's own credentials,
 * at a key only the link knows (`shared/{days}d/{identityId}/{128 random bits}`, lib/aws/keys.ts).
 * IAM is the wall (lib/aws/policies.ts): guests and signed-in people may read such a key but
 * nobody may list `shared/` (the owner lists only their own); the owner alone creates and
 * deletes there. The /s page presigns a short GET with the visitor's identity (a guest's, or the
 * signed-in person's). The link's end is in the copy's metadata (the app refuses it from then on,
 * to the second) and its day group in its key (an S3 lifecycle rule per group, 1, 7 or 30 days,
 * deletes it even if Cubby is down). Revoking deletes the copy. Copies count toward the
 * owner's storage quota. Server only.
 */

/** User metadata on a share copy (`x-amz-meta-*`; S3 metadata is ASCII, so the name is URI-encoded). */
const META = { name: 'share-name', expiresAt: 'share-expires-at', createdAt: 'share-created-at' } as const;

/** A share link as its owner sees it. */
export interface ShareLink {
  token: string;
  /** `/s/{token}`: the page anyone with the link opens. */
  path: string;
  name: string;
  size: number;
  type: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601: the link stops working then. */
  expiresAt: string;
}

/** A shared file as the /s page shows it to whoever has the link. */
export interface SharedFile {
  name: string;
  size: number;
  type: string;
  expiresAt: string;
  /** A presigned GET that downloads (attachment), living at most until the link ends. */
  downloadUrl: string;
  /** A presigned inline GET for an allow-listed image, else null. */
  previewUrl: string | null;
}

function nameOf(metadata: Readonly<Record<string, string>>): string {
  try {
    return safeFileName(decodeURIComponent(metadata[META.name] ?? ''));
  } catch {
    return UNTITLED;
  }
}

/**
 * Shares one of the person's own files for `duration`: a create-only copy (`If-None-Match: *`) at
 * a fresh random key, with its name and end in the copy's metadata.
 * @throws {AppError} `forbidden` for a key that is not the person's own; `not_found` when the file
 * is gone; `quota_exceeded` when the copy would pass the person's quota; `share_limit` past
 * MAX_ACTIVE_SHARES links; `invalid_file` past CopyObject's 5 GiB; S3 errors as AppError.
 */
export async function createShareLink(
  owner: Owner,
  input: { key: string; duration: ShareDuration },
  now: Date = new Date(),
): Promise<ShareLink> {
  if (!isOwnKey(owner.identityId, input.key)) throw new AppError('forbidden', 'share of a key outside the caller identity');
  const [source, copies, usage] = await Promise.all([
    headFile(owner.credentials, input.key),
    listShareCopies(owner.credentials, owner.identityId),
    listOwnFiles(owner, { sort: 'name', order: 'asc', pageSize: 1 }),
  ]);
  if (!source) throw new AppError('not_found', 'shared file not found');
  if (copies.length >= MAX_ACTIVE_SHARES) throw new AppError('share_limit', `${copies.length} share copies`);
  if (source.size > MAX_SINGLE_COPY_BYTES) throw new AppError('invalid_file', 'too large to share with one copy');
  const quota = getEnv().FILES_QUOTA_BYTES;
  if (usage.usedBytes + source.size > quota) {
    throw new AppError('quota_exceeded', `${usage.usedBytes} + ${source.size} > ${quota}`);
  }
  const rule = SHARE_DURATION_RULES[input.duration];
  const address = shareAddress(owner.identityId, rule.dayGroup, randomBytes(16).toString('hex'));
  const expiresAt = shareExpiry(input.duration, now).toISOString();
  const name = source.name;
  try {
    // Create-only at a fresh 128-bit key: it can only meet itself (a retried copy), never another link.
    await copyFile(owner.credentials, input.key, address.key, {
      contentType: typeOfName(name),
      metadata: { [META.name]: encodeURIComponent(name), [META.expiresAt]: expiresAt, [META.createdAt]: now.toISOString() },
    });
  } finally {
    await storageChanged(owner);
  }
  log('info', 'share.created', { duration: input.duration });
  return {
    token: address.token,
    path: sharePath(address.token),
    name,
    size: source.size,
    type: typeOfName(name),
    createdAt: now.toISOString(),
    expiresAt,
  };
}

/**
 * The person's active share links, soonest to end first. Copies whose link has ended are deleted
 * on the way (best effort; S3's lifecycle rule for their day group deletes them anyway).
 * @throws {AppError} as the S3 layer maps failures.
 */
export async function listShareLinks(owner: Owner, now: Date = new Date()): Promise<ShareLink[]> {
  const copies = await listShareCopies(owner.credentials, owner.identityId);
  const links: ShareLink[] = [];
  const ended: string[] = [];
  await Promise.all(
    copies.map(async (copy) => {
      const address = ownShareAddress(owner.identityId, copy.key);
      const details = address ? await headFile(owner.credentials, copy.key) : null;
      if (!address || !details) return;
      const expiresAt = details.metadata[META.expiresAt] ?? '';
      if (isShareExpired(expiresAt, now)) {
        ended.push(copy.key);
        return;
      }
      const name = nameOf(details.metadata);
      links.push({
        token: address.token,
        path: sharePath(address.token),
        name,
        size: details.size,
        type: typeOfName(name),
        createdAt: details.metadata[META.createdAt] ?? details.lastModified,
        expiresAt: new Date(expiresAt).toISOString(),
      });
    }),
  );
  if (ended.length > 0) {
    await deleteFiles(owner.credentials, ended);
    await storageChanged(owner);
  }
  return links.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt) || a.name.localeCompare(b.name));
}

/**
 * Revokes one of the person's links: deletes its copy, so the link shows the "gone" page from now
 * on. Revoking a link that is already gone succeeds.
 * @throws {AppError} `forbidden` for a token that is not one of the person's links; S3 errors as AppError.
 */
export async function revokeShareLink(owner: Owner, token: string): Promise<void> {
  const address = parseShareToken(token);
  if (!address || address.identityId !== owner.identityId) throw new AppError('forbidden', 'revoke of another’s link');
  try {
    const { errors } = await deleteFiles(owner.credentials, [address.key]);
    const refused = errors[0];
    if (refused) throw new AppError(refused.code, `S3 refused the delete: ${refused.s3Code}`);
  } finally {
    await storageChanged(owner);
  }
  log('info', 'share.revoked', {});
}

/**
 * What the /s page shows for `token`, read with the visitor's own credentials (a guest's are the
 * unauthenticated role's): null when the link is malformed, unknown (S3 answers AccessDenied to a
 * guest, NoSuchKey to the owner), revoked or past its end, all alike, so the page is no oracle.
 * Presigned URLs live at most until the link ends.
 * @throws {AppError} `storage_unavailable` (and the like) when S3 cannot answer now.
 */
export async function openShareLink(
  viewer: { credentials: AwsCredentials },
  token: string,
  now: Date = new Date(),
): Promise<SharedFile | null> {
  const address = parseShareToken(token);
  if (!address) return null;
  let details: Awaited<ReturnType<typeof headFile>>;
  try {
    details = await headFile(viewer.credentials, address.key);
  } catch (error) {
    if (error instanceof AppError && (error.code === 'forbidden' || error.code === 'not_found')) return null;
    throw error;
  }
  const expiresAt = details?.metadata[META.expiresAt] ?? '';
  if (!details || isShareExpired(expiresAt, now)) return null;
  const remainingSeconds = Math.floor((Date.parse(expiresAt) - now.getTime()) / 1000);
  if (remainingSeconds < 1) return null;
  const ttl = Math.min(PRESIGNED_URL_TTL_SECONDS, remainingSeconds);
  const name = nameOf(details.metadata);
  const type = typeOfName(name);
  const target = { key: address.key, fileName: name, contentType: type };
  const [downloadUrl, previewUrl] = await Promise.all([
    presignDownload(viewer.credentials, { ...target, inline: false }, ttl),
    inlineImageType(type, name) ? presignDownload(viewer.credentials, target, ttl) : Promise.resolve(null),
  ]);
  return { name, size: details.size, type, expiresAt: new Date(expiresAt).toISOString(), downloadUrl, previewUrl };
}
