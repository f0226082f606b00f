import 'server-only';
import type { z } from 'zod';
import { getAccess, type PersonAccess } from '@/lib/dal';
import { AppError, isErrorCode, rateLimitedMessage, userMessage } from '@/lib/errors';
import type { ActionResult } from '@/lib/files/types';
import { limitAction } from '@/lib/http/rate-limit';
import { withRequestLogs } from '@/lib/http/request-id';
import { describeError, log } from '@/lib/log';

/**
 * The one shape of every server action: validate the input with zod, pass the gate (lib/dal.ts:
 * the session, refreshed at most once for the request, and the person's AWS access) and the
 * person's rate limit (`rate_limited`, its message naming the wait), run the work
 * with that access, and return expected failures as `{ok:false, code, message}` with a friendly
 * message; anything unexpected is logged and becomes `internal`. Never throws. `gate` is for
 * tests and benchmarks, which run outside a request. Every log line
 * written meanwhile (here, in S3 and Identity Pool calls, in a refresh) carries the request id.
 */
export function runAction<S extends z.ZodType, T>(
  event: string,
  schema: S,
  input: unknown,
  work: (valid: z.output<S>, access: PersonAccess) => Promise<T>,
  gate: () => Promise<PersonAccess> = () => getAccess('action'),
): Promise<ActionResult<T>> {
  return withRequestLogs(() => validateAndRun(event, schema, input, work, gate));
}

async function validateAndRun<S extends z.ZodType, T>(
  event: string,
  schema: S,
  input: unknown,
  work: (valid: z.output<S>, access: PersonAccess) => Promise<T>,
  gate: () => Promise<PersonAccess>,
): Promise<ActionResult<T>> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    log('info', `${event}.invalid`, { issues: parsed.error.issues.length });
    // A rule that has its own words (a refine with `params: { code }`, e.g. name_too_long) answers with them.
    const own = parsed.error.issues.map((issue) => (issue.code === 'custom' ? issue.params?.code : undefined)).find(isErrorCode);
    const code = own ?? 'invalid_input';
    return { ok: false, code, message: userMessage(code) };
  }
  return settle(event, async () => {
    const access = await gate();
    // Per person, across instances when the store is shared (lib/http/rate-limit.ts).
    const allowed = await limitAction(access.session.sub);
    if (!allowed.ok) throw new RateLimitedError(allowed.retryAfterSeconds);
    return work(parsed.data, access);
  });
}

/** An action refused by the per-person rate limit: answered with the wait in its message. */
class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('rate_limited', 'per-person action limit', { details: { retryAfterSeconds: String(retryAfterSeconds) } });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * For Server Components: runs `work` and returns its value, or its failure as the same
 * `{ok:false, code, message}` an action would return (logged once, never thrown), so a page can
 * hand the browser either shape.
 */
export function renderResult<T>(event: string, work: () => Promise<T>): Promise<ActionResult<T>> {
  return withRequestLogs(() => settle(event, work));
}

async function settle<T>(event: string, work: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    const code = error instanceof AppError ? error.code : 'internal';
    log(code === 'internal' ? 'error' : 'warn', `${event}.failed`, {
      code,
      reason: error instanceof AppError ? error.message : describeError(error),
    });
    const details = error instanceof AppError ? error.details : undefined;
    const message = error instanceof RateLimitedError ? rateLimitedMessage(error.retryAfterSeconds) : userMessage(code);
    return { ok: false, code, message, ...(details ? { details } : {}) };
  }
}
