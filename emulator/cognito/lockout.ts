import type { EmulatorContext } from '../context.ts';
import { CognitoError, MESSAGES } from './errors.ts';

/**
 * Cognito's temporary lockout after failed password sign-ins (developer guide, "Lockout behavior
 * for failed sign-in attempts"): five failures are free; after the n-th consecutive failure (n ≥ 5)
 * the user is locked out for 2^(n-5) seconds, up to about 15 minutes. Every attempt during a
 * lockout, right password or not, gets NotAuthorizedException "Password attempts exceeded" and
 * does not lengthen later lockouts. A successful sign-in, or 15 minutes without any attempt,
 * starts the count again. Time is the emulator's clock, so tests move it instead of waiting.
 */
export const LOCKOUT = {
  /** Failures allowed before the first lockout. */
  freeFailures: 5,
  /** Cap of one lockout ("approximately 15 minutes"). */
  maxLockSeconds: 15 * 60,
  /** Quiet time after which the count starts again. */
  resetAfterSeconds: 15 * 60,
} as const;

interface AttemptRecord {
  /** Consecutive failed password checks (attempts refused during a lockout not counted). */
  failures: number;
  /** Epoch milliseconds until which every attempt is refused; 0 when not locked. */
  lockedUntil: number;
  /** Epoch milliseconds of the last attempt of any kind. */
  lastAttemptAt: number;
}

function records(ctx: EmulatorContext): Record<string, AttemptRecord> {
  return ctx.state.section<{ records: Record<string, AttemptRecord> }>('cognito-lockout', () => ({ records: {} })).records;
}

/** Lockout length after the n-th consecutive failure, in seconds (0 below the free failures). */
export function lockSeconds(failures: number): number {
  if (failures < LOCKOUT.freeFailures) return 0;
  return Math.min(2 ** (failures - LOCKOUT.freeFailures), LOCKOUT.maxLockSeconds);
}

/** The record of `key`, dropped first when it has been quiet long enough (and others like it). */
function current(ctx: EmulatorContext, key: string, now: number): AttemptRecord | undefined {
  const all = records(ctx);
  for (const [name, record] of Object.entries(all)) {
    if (now - record.lastAttemptAt >= LOCKOUT.resetAfterSeconds * 1000 && record.lockedUntil <= now) {
      delete all[name];
      ctx.state.changed();
    }
  }
  return all[key];
}

/**
 * Throws NotAuthorizedException "Password attempts exceeded" when `key` (a username, or the name
 * typed for an unknown user) is locked out now; its `pageMessage` says how long to wait. Call
 * before checking the password: a locked-out attempt never reaches it.
 */
export function assertNotLockedOut(ctx: EmulatorContext, key: string): void {
  const now = ctx.clock.now();
  const record = current(ctx, key, now);
  if (!record || record.lockedUntil <= now) return;
  record.lastAttemptAt = now;
  ctx.state.changed();
  const wait = Math.max(1, Math.ceil((record.lockedUntil - now) / 1000));
  throw new CognitoError('NotAuthorizedException', MESSAGES.passwordAttemptsExceeded, {
    pageMessage: `Too many failed attempts. Wait ${wait} ${wait === 1 ? 'second' : 'seconds'} and try again.`,
  });
}

/** Records a wrong password for `key`, starting (or doubling) the lockout from the fifth on. */
export function recordFailedPassword(ctx: EmulatorContext, key: string): void {
  const now = ctx.clock.now();
  const record = current(ctx, key, now) ?? { failures: 0, lockedUntil: 0, lastAttemptAt: now };
  record.failures += 1;
  record.lastAttemptAt = now;
  const seconds = lockSeconds(record.failures);
  record.lockedUntil = seconds > 0 ? now + seconds * 1000 : 0;
  records(ctx)[key] = record;
  ctx.state.changed();
}

/** A right password: the count starts again. */
export function recordSuccessfulPassword(ctx: EmulatorContext, key: string): void {
  const all = records(ctx);
  if (all[key]) {
    delete all[key];
    ctx.state.changed();
  }
}
