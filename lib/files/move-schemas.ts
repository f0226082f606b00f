import { z } from 'zod';
import { FolderPathSchema, KeySchema, NameSchema } from './schemas';

/**
 * What the move actions (app/(signed-in)/files/move-actions.ts) accept, as zod schemas with their
 * types inferred. Whether a key or folder is the person's, and whether a path is well formed, is
 * decided by lib/aws/keys.ts in lib/files/move-plan.ts; these only bound the shapes.
 */

/** Files one move takes at once (a selection of rows). */
export const MAX_MOVE_FILES = 1000;
/** Folders one move takes at once. */
export const MAX_MOVE_FOLDERS = 100;

/** startMove: files (by key) and folders (by path) to move into `destination`, or one of them to rename. */
export const StartMoveSchema = z
  .object({
    files: z.array(KeySchema).max(MAX_MOVE_FILES),
    folders: z.array(FolderPathSchema).max(MAX_MOVE_FOLDERS),
    destination: FolderPathSchema,
    /** A new name for the one source (renaming a folder is moving it to a new name in the same parent). */
    rename: NameSchema.optional(),
  })
  .refine((input) => input.files.length + input.folders.length > 0, { message: 'nothing to move' });

/** A move under way, as the browser holds it between batches and sends it back (also to resume). */
export const MoveJobSchema = z.object({
  /** Files still to move, each with the key it goes to. */
  files: z.array(z.object({ from: KeySchema, to: KeySchema })).max(MAX_MOVE_FILES),
  /** Folders still to move: whatever is left under `from` goes to the same place under `to`. */
  folders: z.array(z.object({ from: FolderPathSchema.min(1), to: FolderPathSchema.min(1) })).max(MAX_MOVE_FOLDERS),
  /** Objects the move takes in all (for progress). */
  total: z.number().int().min(0),
  /** Objects moved so far. */
  moved: z.number().int().min(0),
});

/** listMoveTargets: the folder whose folders the picker shows. */
export const MoveTargetsSchema = z.object({ path: FolderPathSchema });

export type MoveTargetsInput = z.infer<typeof MoveTargetsSchema>;
export type StartMoveInput = z.infer<typeof StartMoveSchema>;
export type MoveJob = z.infer<typeof MoveJobSchema>;

/** What one batch of a move did; the browser calls again with `job` until `done`. */
export interface MoveBatchResult {
  /** The move with this batch's work taken off: send it back for the next batch, or to resume after a failure. */
  job: MoveJob;
  /** Moved in this batch: where each object was and where it is now. */
  moved: { from: string; to: string }[];
  /** Not moved in this batch (still where they were, unless `code` says otherwise); the next call retries them. */
  failed: { from: string; code: string }[];
  /** Sources that no longer existed (removed meanwhile): nothing to move, not retried. */
  gone: string[];
  done: boolean;
}
