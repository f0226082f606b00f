'use server';

import { runAction } from '@/lib/actions';
import {
  emptyTrash,
  listTrash,
  restoreFromTrash,
  restoreTrashBatch,
  type TrashListing,
  type TrashRestore,
} from '@/lib/files/trash';
import {
  NoTrashInputSchema,
  type RestoreTrashInput,
  RestoreTrashSchema,
  type UndoDeleteInput,
  UndoDeleteSchema,
} from '@/lib/files/trash-schemas';
import type { ActionResult } from '@/lib/files/types';

/** The person's trash, newest first (entries past 30 days are purged on the way). */
export async function listTrashEntries(): Promise<ActionResult<TrashListing>> {
  return runAction('files.trash', NoTrashInputSchema, {}, async (_valid, access) => listTrash(access));
}

/** Restores trash entries to where they were (the next free name when that name is taken; nothing is overwritten). */
export async function restoreTrash(input: RestoreTrashInput): Promise<ActionResult<TrashRestore>> {
  return runAction('files.trash_restore', RestoreTrashSchema, input, async (valid, access) =>
    restoreFromTrash(access, valid.keys),
  );
}

/** Undo right after a delete: restores everything that delete moved to the trash. */
export async function undoDelete(input: UndoDeleteInput): Promise<ActionResult<TrashRestore>> {
  return runAction('files.trash_undo', UndoDeleteSchema, input, async (valid, access) => restoreTrashBatch(access, valid.batch));
}

/** Deletes everything in the trash for good. */
export async function emptyTrashNow(): Promise<ActionResult<{ removed: number }>> {
  return runAction('files.trash_empty', NoTrashInputSchema, {}, async (_valid, access) => ({
    removed: await emptyTrash(access),
  }));
}
