'use server';

import { z } from 'zod';
import { runAction } from '@/lib/actions';
import { galleryViewerOf } from '@/lib/dal';
import { removePublicFile } from '@/lib/files/gallery';
import type { ActionResult } from '@/lib/files/types';

/** Removes a file from the public gallery: the publisher's own, or any for members of `admins`. */
export async function removeFromGallery(input: { key: string }): Promise<ActionResult<null>> {
  return runAction('gallery.remove', z.object({ key: z.string().min(1).max(1024) }), input, async (valid, access) => {
    await removePublicFile(galleryViewerOf(access), valid.key);
    return null;
  });
}
