/**
 * Share links' rules, each declared once: the lifetimes a person may choose, which whole-day
 * group (lib/aws/keys.ts `SHARE_DAY_GROUPS`, one S3 lifecycle rule each) a lifetime falls in, and
 * how many links one person may keep. Pure and import-free: safe in client components and in the
 * actions' zod schemas.
 */

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** The lifetimes a link may have, shortest first (the share dialog offers them in this order). */
export const SHARE_DURATIONS = ['1h', '1d', '7d', '30d'] as const;

/** One of {@link SHARE_DURATIONS}. */
export type ShareDuration = (typeof SHARE_DURATIONS)[number];

/** The lifetime the share dialog starts on. */
export const DEFAULT_SHARE_DURATION: ShareDuration = '7d';

/** Each lifetime in milliseconds, its words, and the whole-day group its copy is kept in (no shorter than the lifetime; S3 expires the group). */
export const SHARE_DURATION_RULES: Readonly<Record<ShareDuration, { ms: number; label: string; dayGroup: 1 | 7 | 30 }>> = {
  '1h': { ms: HOUR_MS, label: '1 hour', dayGroup: 1 },
  '1d': { ms: DAY_MS, label: '1 day', dayGroup: 1 },
  '7d': { ms: 7 * DAY_MS, label: '7 days', dayGroup: 7 },
  '30d': { ms: 30 * DAY_MS, label: '30 days', dayGroup: 30 },
};

/** When a link made at `now` for `duration` stops working (the app's check; S3's lifecycle rule for its day group follows). */
export function shareExpiry(duration: ShareDuration, now: Date): Date {
  return new Date(now.getTime() + SHARE_DURATION_RULES[duration].ms);
}

/** Whether a link that expires at `expiresAt` (ISO 8601) is over at `now`; an unreadable time counts as over. */
export function isShareExpired(expiresAt: string, now: Date): boolean {
  const end = Date.parse(expiresAt);
  return Number.isNaN(end) || end <= now.getTime();
}

/** The most links one person may have at once (each is a copy, counted in their storage). */
export const MAX_ACTIVE_SHARES = 50;

/** The path of a link's page: `/s/{token}`. */
export function sharePath(token: string): string {
  return `/s/${token}`;
}
