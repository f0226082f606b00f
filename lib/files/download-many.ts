import 'server-only';
import { downloadUrl, type Owner } from './service';
import type { ZipLink } from './zip';

/**
 * Presigned GETs (attachments, {@link downloadUrl}'s: the person's own credentials, the usual
 * lifetime) for some of the person's own files, in the order given, for a zip the browser builds
 * itself. All or nothing: one key outside the person's folder refuses the whole call. Makes no
 * network call (presigning is local). Server only.
 * @throws {AppError} `forbidden` for a key that is not the person's.
 */
export async function zipDownloadLinks(owner: Owner, keys: readonly string[]): Promise<ZipLink[]> {
  return Promise.all(keys.map(async (key) => ({ key, url: await downloadUrl(owner, key, 'attachment') })));
}
