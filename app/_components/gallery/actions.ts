'use server';

import { runAction } from '@/lib/actions';
import { galleryViewerOf } from '@/lib/dal';
import { removePublicFile } from '@/lib/files/gallery';
import { FileKeySchema } from '@/lib/files/schemas';
import type { ActionResult, FileKeyInput } from '@/lib/files/types';

/** Removes a file from the public gallery: the publisher's own, or any for members of `admins`. */
export async function removeFromGallery(input: FileKeyInput): Promise<ActionResult<null>> {
  return runAction('gallery.remove', FileKeySchema, input, async (valid, access) => {
    await removePublicFile(galleryViewerOf(access), valid.key);
    return null;
  });
}
