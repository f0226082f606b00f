import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { CognitoError } from '../../emulator/cognito/errors.ts';
import {
  assertNotLockedOut,
  LOCKOUT,
  lockSeconds,
  recordFailedPassword,
  recordSuccessfulPassword,
} from '../../emulator/cognito/lockout.ts';
import { loadConfig } from '../../emulator/config.ts';
import { createContext, type EmulatorContext } from '../../emulator/context.ts';

/** An in-memory emulator context whose clock stands still at `time.now` (epoch ms) until moved. */
function frozenContext(): { ctx: EmulatorContext; time: { now: number } } {
  const ctx = createContext(loadConfig({ port: 0, dataDir: null }), os.tmpdir());
  const time = { now: Date.UTC(2026, 0, 1) };
  ctx.clock.now = () => time.now;
  return { ctx, time };
}

/** The page message of the lockout in force, or null when an attempt may go ahead. */
function lockout(ctx: EmulatorContext, key: string): string | null {
  try {
    assertNotLockedOut(ctx, key);
    return null;
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    expect(error.type).toBe('NotAuthorizedException');
    expect(error.message).toBe('Password attempts exceeded');
    return error.pageMessage ?? '';
  }
}

describe("emulator's password lockout (Cognito's 2^(n-5) s, at most ~15 min)", () => {
  it.each([
    [1, 0],
    [4, 0],
    [5, 1],
    [6, 2],
    [7, 4],
    [10, 32],
    [14, 512],
    [15, 900],
    [40, 900],
  ])('locks for %i failures: %i s', (failures, seconds) => {
    expect(lockSeconds(failures)).toBe(seconds);
  });

  it('lets five failures through, then locks for 1 s, 2 s, 4 s … and says how long to wait', () => {
    const { ctx, time } = frozenContext();
    for (let failure = 1; failure <= 4; failure += 1) {
      recordFailedPassword(ctx, 'ada');
      expect(lockout(ctx, 'ada')).toBeNull();
    }
    recordFailedPassword(ctx, 'ada');
    expect(lockout(ctx, 'ada')).toBe('Too many failed attempts. Wait 1 second and try again.');
    time.now += 999;
    expect(lockout(ctx, 'ada')).not.toBeNull();
    time.now += 1;
    expect(lockout(ctx, 'ada')).toBeNull();
    recordFailedPassword(ctx, 'ada');
    expect(lockout(ctx, 'ada')).toBe('Too many failed attempts. Wait 2 seconds and try again.');
    time.now += 2000;
    recordFailedPassword(ctx, 'ada');
    expect(lockout(ctx, 'ada')).toBe('Too many failed attempts. Wait 4 seconds and try again.');
    time.now += 2500;
    expect(lockout(ctx, 'ada')).toBe('Too many failed attempts. Wait 2 seconds and try again.');
  });

  it('does not lengthen a lockout for attempts made during it', () => {
    const { ctx, time } = frozenContext();
    for (let failure = 1; failure <= 5; failure += 1) recordFailedPassword(ctx, 'bo');
    for (let attempt = 0; attempt < 10; attempt += 1) expect(lockout(ctx, 'bo')).not.toBeNull();
    time.now += 1000;
    expect(lockout(ctx, 'bo')).toBeNull();
  });

  it('starts again after a success, or after 15 quiet minutes', () => {
    const { ctx, time } = frozenContext();
    for (let failure = 1; failure <= 5; failure += 1) recordFailedPassword(ctx, 'cy');
    time.now += 1000;
    recordSuccessfulPassword(ctx, 'cy');
    for (let failure = 1; failure <= 4; failure += 1) recordFailedPassword(ctx, 'cy');
    expect(lockout(ctx, 'cy')).toBeNull();
    recordFailedPassword(ctx, 'cy');
    expect(lockout(ctx, 'cy')).toBe('Too many failed attempts. Wait 1 second and try again.');
    time.now += LOCKOUT.resetAfterSeconds * 1000;
    recordFailedPassword(ctx, 'cy');
    expect(lockout(ctx, 'cy')).toBeNull();
  });

  it('keeps one count per name', () => {
    const { ctx } = frozenContext();
    for (let failure = 1; failure <= 5; failure += 1) recordFailedPassword(ctx, 'dee');
    expect(lockout(ctx, 'dee')).not.toBeNull();
    expect(lockout(ctx, 'eve')).toBeNull();
  });
});
