import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SHARE_DURATION,
  isShareExpired,
  SHARE_DURATION_RULES,
  SHARE_DURATIONS,
  shareExpiry,
  sharePath,
} from '@/lib/files/share-rules';
import { CreateShareSchema, RevokeShareSchema } from '@/lib/files/share-schemas';

const NOW = new Date('2026-03-01T10:00:00.000Z');

describe('share link lifetimes', () => {
  it('offers 1 hour, 1 day, 7 days and 30 days, starting on 7 days', () => {
    expect(SHARE_DURATIONS.map((duration) => SHARE_DURATION_RULES[duration].label)).toEqual([
      '1 hour',
      '1 day',
      '7 days',
      '30 days',
    ]);
    expect(DEFAULT_SHARE_DURATION).toBe('7d');
  });

  it.each([
    ['1h', '2026-03-01T11:00:00.000Z', 1],
    ['1d', '2026-03-02T10:00:00.000Z', 1],
    ['7d', '2026-03-08T10:00:00.000Z', 7],
    ['30d', '2026-03-31T10:00:00.000Z', 30],
  ] as const)('%s ends at %s and is kept in the %i-day group', (duration, end, dayGroup) => {
    expect(shareExpiry(duration, NOW).toISOString()).toBe(end);
    expect(SHARE_DURATION_RULES[duration].dayGroup).toBe(dayGroup);
    // The day group's lifecycle rule never deletes a copy before its link ends.
    expect(dayGroup * 24 * 3600 * 1000).toBeGreaterThanOrEqual(SHARE_DURATION_RULES[duration].ms);
  });

  it('is over from its end on, to the millisecond; an unreadable end counts as over', () => {
    const end = shareExpiry('1h', NOW).toISOString();
    expect(isShareExpired(end, new Date(NOW.getTime() + 3600_000 - 1))).toBe(false);
    expect(isShareExpired(end, new Date(NOW.getTime() + 3600_000))).toBe(true);
    expect(isShareExpired('', NOW)).toBe(true);
    expect(isShareExpired('tomorrow', NOW)).toBe(true);
  });

  it('links to /s/{token}', () => {
    expect(sharePath('abc')).toBe('/s/abc');
  });

  it('accepts only the offered lifetimes and a bounded token', () => {
    const key = 'private/us-east-1:1666ff8c-8ddf-42c8-9109-07e2dfd3848c/a.txt';
    expect(CreateShareSchema.safeParse({ key, duration: '7d' }).success).toBe(true);
    expect(CreateShareSchema.safeParse({ key, duration: '2d' }).success).toBe(false);
    expect(CreateShareSchema.safeParse({ key, duration: 3600 }).success).toBe(false);
    expect(RevokeShareSchema.safeParse({ token: 'x'.repeat(121) }).success).toBe(false);
  });
});
