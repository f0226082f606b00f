'use server';

import { runAction } from '@/lib/actions';
import { moveBatch, moveTargets, startMove } from '@/lib/files/move';
import {
  type MoveBatchResult,
  type MoveJob,
  MoveJobSchema,
  type MoveTargetsInput,
  MoveTargetsSchema,
  type StartMoveInput,
  StartMoveSchema,
} from '@/lib/files/move-schemas';
import type { ActionResult } from '@/lib/files/types';

/** Plans moving files and folders into a folder (or renaming one): nothing moves yet; run the job with {@link moveNext}. */
export async function beginMove(input: StartMoveInput): Promise<ActionResult<MoveJob>> {
  return runAction('files.move_start', StartMoveSchema, input, async (valid, access) => startMove(access, valid));
}

/** Moves the next batch of a job; called again with the answer's job until done (also to resume after a failure). */
export async function moveNext(input: MoveJob): Promise<ActionResult<MoveBatchResult>> {
  return runAction('files.move_batch', MoveJobSchema, input, async (valid, access) => moveBatch(access, valid));
}

/** The folders directly in a folder, for the "Move to…" picker. */
export async function listMoveTargets(input: MoveTargetsInput): Promise<ActionResult<{ path: string[]; folders: string[] }>> {
  return runAction('files.move_targets', MoveTargetsSchema, input, async (valid, access) => moveTargets(access, valid.path));
}
