import { describe, expect, it } from 'vitest';
import { needsRefresh, REFRESH_MARGIN_MAX_MS, refreshMarginFor } from '@/lib/auth/refresh';

const MINUTE = 60_000;
const NOW = 1_800_000_000_000;

/**
 * The refresh margin follows the tokens' lifetime (the smaller of 5 minutes and a quarter of it):
 * tokens of Cognito's minimum validity (5 min) or 6 minutes are used for most of their life
 * instead of being due on every request, and freshly refreshed tokens are never due at once.
 */
describe('refresh margin by token lifetime', () => {
  const table: { lifetimeMs: number | undefined; marginMs: number }[] = [
    { lifetimeMs: undefined, marginMs: 5 * MINUTE },
    { lifetimeMs: 60 * MINUTE, marginMs: 5 * MINUTE },
    { lifetimeMs: 24 * 60 * MINUTE, marginMs: 5 * MINUTE },
    { lifetimeMs: 20 * MINUTE, marginMs: 5 * MINUTE },
    { lifetimeMs: 10 * MINUTE, marginMs: 2.5 * MINUTE },
    { lifetimeMs: 6 * MINUTE, marginMs: 90_000 },
    { lifetimeMs: 5 * MINUTE, marginMs: 75_000 },
    { lifetimeMs: 0, marginMs: 5 * MINUTE },
    { lifetimeMs: -1, marginMs: 5 * MINUTE },
    { lifetimeMs: Number.NaN, marginMs: 5 * MINUTE },
  ];

  it.each(table)('lifetime $lifetimeMs ms → margin $marginMs ms', ({ lifetimeMs, marginMs }) => {
    expect(refreshMarginFor(lifetimeMs)).toBe(marginMs);
    expect(refreshMarginFor(lifetimeMs)).toBeLessThanOrEqual(REFRESH_MARGIN_MAX_MS);
  });

  const decisions = table.filter(({ lifetimeMs }) => lifetimeMs !== undefined && lifetimeMs > 0);
  it.each(decisions)(
    'tokens living $lifetimeMs ms: not due when fresh nor until the margin, due inside it',
    ({ lifetimeMs, marginMs }) => {
      const life = lifetimeMs ?? 0;
      const issuedAt = NOW;
      const expireAt = issuedAt + life;
      // Freshly issued (or just refreshed): never due, so one request never refreshes twice.
      expect(needsRefresh(expireAt, life, issuedAt)).toBe(false);
      // Just before the margin: still not due; at and inside it: due; expired: due.
      expect(needsRefresh(expireAt, life, expireAt - marginMs - 1)).toBe(false);
      expect(needsRefresh(expireAt, life, expireAt - marginMs + 1)).toBe(true);
      expect(needsRefresh(expireAt, life, expireAt + 1)).toBe(true);
    },
  );

  it('5- and 6-minute tokens are used for most of their life, not refreshed on every request', () => {
    for (const life of [5 * MINUTE, 6 * MINUTE]) {
      const expireAt = NOW + life;
      expect(needsRefresh(expireAt, life, NOW + MINUTE)).toBe(false);
      expect(needsRefresh(expireAt, life, NOW + 3 * MINUTE)).toBe(false);
    }
  });

  it('a cookie without a lifetime keeps the 5-minute margin', () => {
    expect(needsRefresh(NOW + 5 * MINUTE + 1, undefined, NOW)).toBe(false);
    expect(needsRefresh(NOW + 5 * MINUTE - 1, undefined, NOW)).toBe(true);
  });
});
