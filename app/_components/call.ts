import type { ActionResult } from '@/lib/files/types';
import { endsSession, markSignedOut } from './session-state';

/** What a person reads when a server action could not be reached at all. */
export const UNREACHABLE = 'Could not reach Cubby. Check your connection and try again.';

/**
 * Runs a server action and turns a rejected call (network down, server restarted mid-request)
 * into an `ActionResult` failure, so callers handle one shape and never show raw errors. An answer
 * that says the session ended (signed out elsewhere, timed out) marks the page signed out, so the
 * header and the "signed out" notice follow whichever action noticed first.
 */
export async function call<T>(action: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  let result: ActionResult<T>;
  try {
    result = await action();
  } catch {
    return { ok: false, code: 'unreachable', message: UNREACHABLE };
  }
  if (!result.ok && endsSession(result.code)) markSignedOut();
  return result;
}
