'use server';

import { runAction } from '@/lib/actions';
import { zipDownloadLinks } from '@/lib/files/download-many';
import { type ZipLinksInput, ZipLinksSchema } from '@/lib/files/schemas';
import type { ActionResult } from '@/lib/files/types';
import type { ZipLink } from '@/lib/files/zip';

/** Presigned GETs for up to ZIP_LINKS_PER_CALL of the person's own files, for a zip built in the browser. */
export async function getZipLinks(input: ZipLinksInput): Promise<ActionResult<ZipLink[]>> {
  return runAction('files.zip_links', ZipLinksSchema, input, async (valid, access) => zipDownloadLinks(access, valid.keys));
}
