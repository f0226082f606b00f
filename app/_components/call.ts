import type { ActionResult } from '@/lib/files/types';

/** What a person reads when a server action could not be reached at all. */
export const UNREACHABLE = 'Could not reach Cubby. Check your connection and try again.';

/**
 * Runs a server action and turns a rejected call (network down, server restarted mid-request)
 * into an `ActionResult` failure, so callers handle one shape and never show raw errors.
 */
export async function call<T>(action: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await action();
  } catch {
    return { ok: false, code: 'unreachable', message: UNREACHABLE };
  }
}
