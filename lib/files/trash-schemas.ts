import { z } from 'zod';
import { KeySchema } from './schemas';

/**
 * The trash actions' inputs (app/(signed-in)/files/trash-actions.ts), with their types inferred.
 * Client-safe: no server code. Keys and batches are checked strictly on the server
 * (lib/aws/keys.ts `parseTrashKey`, `isTrashBatch`): only the person's own trash is accepted.
 */

/** Trash entries restored at once (a page of the Trash view). */
const MAX_RESTORE_KEYS = 1000;

/** restoreFromTrash: trash entries by their keys. */
export const RestoreTrashSchema = z.object({ keys: z.array(KeySchema).min(1).max(MAX_RESTORE_KEYS) });

/** restoreTrashBatch (Undo): the batch a delete answered with. */
export const UndoDeleteSchema = z.object({ batch: z.string().min(1).max(40) });

/** listTrash and emptyTrash take nothing. */
export const NoTrashInputSchema = z.object({}).strict();

export type RestoreTrashInput = z.infer<typeof RestoreTrashSchema>;
export type UndoDeleteInput = z.infer<typeof UndoDeleteSchema>;
