import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '@/lib/env';
import { rateLimitedMessage } from '@/lib/errors';
import { limitAction, RateLimit, type RateLimitDecision } from '@/lib/http/rate-limit';
import { tooManyRequestsJson, tooManyRequestsPage } from '@/lib/http/too-many-requests';
import { resetSharedStore } from '@/lib/store';
import { MemoryStore } from '@/lib/store/memory';

const SECRET = 'rate-limit-test-secret-0123456789abcdef';
const T0 = Date.parse('2026-03-01T10:00:00Z');

let warnings: MockInstance;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
  vi.spyOn(console, 'log').mockImplementation(() => {});
  warnings = vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await resetSharedStore();
});

function limit(points: number, durationSeconds: number, name: 'actions' | 'sign_in_start' = 'actions') {
  return new RateLimit(name, { points, durationSeconds }, new MemoryStore(), SECRET);
}

async function consumeTimes(target: RateLimit, times: number, kind: 'person' | 'address', value: string) {
  const decisions: RateLimitDecision[] = [];
  for (let index = 0; index < times; index += 1) decisions.push(await target.consume(kind, value));
  return decisions;
}

function loggedEvents(): Record<string, unknown>[] {
  return warnings.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
}

describe('RateLimit decisions (memory, fake clock)', () => {
  it('lets `points` requests through in a window and refuses the next with the wait', async () => {
    const target = limit(3, 10);
    expect(await consumeTimes(target, 3, 'person', 'alice')).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(await target.consume('person', 'alice')).toEqual({ ok: false, retryAfterSeconds: 10 });
  });

  it('Retry-After counts down with the window, rounds up, and is never 0', async () => {
    const target = limit(1, 10);
    await target.consume('person', 'alice');
    vi.advanceTimersByTime(4_000);
    expect(await target.consume('person', 'alice')).toEqual({ ok: false, retryAfterSeconds: 6 });
    vi.advanceTimersByTime(500);
    expect(await target.consume('person', 'alice')).toEqual({ ok: false, retryAfterSeconds: 6 });
    vi.advanceTimersByTime(5_400);
    expect(await target.consume('person', 'alice')).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('opens again once the window is over', async () => {
    const target = limit(2, 10);
    await consumeTimes(target, 3, 'person', 'alice');
    vi.advanceTimersByTime(10_001);
    expect(await consumeTimes(target, 2, 'person', 'alice')).toEqual([{ ok: true }, { ok: true }]);
    expect((await target.consume('person', 'alice')).ok).toBe(false);
  });

  it('counts each person apart: one over the limit leaves the others untouched', async () => {
    const target = limit(2, 60);
    await consumeTimes(target, 5, 'person', 'alice');
    expect(await consumeTimes(target, 2, 'person', 'bob')).toEqual([{ ok: true }, { ok: true }]);
  });

  it('counts a person and an address with the same text apart', async () => {
    const target = limit(1, 60);
    expect(await target.consume('person', '203.0.113.7')).toEqual({ ok: true });
    expect(await target.consume('address', '203.0.113.7')).toEqual({ ok: true });
    expect(target.keyFor('person', 'x')).not.toBe(target.keyFor('address', 'x'));
  });

  it('counts each address apart', async () => {
    const target = limit(1, 60, 'sign_in_start');
    await consumeTimes(target, 3, 'address', '203.0.113.7');
    expect(await target.consume('address', '203.0.113.8')).toEqual({ ok: true });
  });

  it('keeps keys out of the store in the clear: an HMAC under the secret', () => {
    const target = limit(1, 60);
    const key = target.keyFor('address', '203.0.113.7');
    expect(key).toMatch(/^address:[\w-]{22}$/);
    expect(key).not.toContain('203');
    expect(
      new RateLimit('actions', { points: 1, durationSeconds: 60 }, new MemoryStore(), `${SECRET}-other`).keyFor(
        'address',
        '203.0.113.7',
      ),
    ).not.toBe(key);
  });

  it('writes one warn line per key and window (the request that went over), naming the limit and key kind, never the key', async () => {
    const target = limit(2, 10, 'sign_in_start');
    await consumeTimes(target, 6, 'address', '203.0.113.7');
    const events = loggedEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      level: 'warn',
      event: 'rate_limit.exceeded',
      limiter: 'sign_in_start',
      keyKind: 'address',
      retryAfterSeconds: 10,
    });
    expect(String(events[0]?.key)).toMatch(/^[\w-]{12}$/);
    expect(JSON.stringify(events)).not.toContain('203.0.113.7');
    vi.advanceTimersByTime(10_001);
    await consumeTimes(target, 3, 'address', '203.0.113.7');
    expect(loggedEvents()).toHaveLength(2);
  });
});

describe('the default action limit (RATE_LIMIT_ACTIONS)', () => {
  const rule = DEFAULT_RATE_LIMITS.RATE_LIMIT_ACTIONS;

  it('refuses 500 presigns in 10 s from one person', async () => {
    const target = new RateLimit('actions', rule, new MemoryStore(), SECRET);
    let refused = 0;
    for (let index = 0; index < 500; index += 1) {
      if (!(await target.consume('person', 'alice')).ok) refused += 1;
      vi.advanceTimersByTime(20);
    }
    expect(refused).toBe(500 - rule.points);
  });

  it('lets 60 files dropped at once through: create + complete each, list refreshes and a thumbnails call within 3 s', async () => {
    const target = new RateLimit('actions', rule, new MemoryStore(), SECRET);
    const calls = [...Array<string>(60).fill('createUpload'), ...Array<string>(60).fill('completeUpload')];
    calls.push(...Array<string>(15).fill('listFiles'), 'thumbnails', 'thumbnails');
    const decisions: RateLimitDecision[] = [];
    for (const _call of calls) {
      decisions.push(await target.consume('person', 'alice'));
      vi.advanceTimersByTime(Math.floor(3_000 / calls.length));
    }
    expect(decisions.filter((decision) => !decision.ok)).toEqual([]);
  });

  it('leaves other people untouched while one is over the limit', async () => {
    const target = new RateLimit('actions', rule, new MemoryStore(), SECRET);
    await consumeTimes(target, rule.points + 50, 'person', 'alice');
    expect(await consumeTimes(target, rule.points, 'person', 'bob')).not.toContainEqual(expect.objectContaining({ ok: false }));
  });
});

describe('limitAction (the process-wide limit runAction calls)', () => {
  it('refuses a person past RATE_LIMIT_ACTIONS with the wait, and not someone else', async () => {
    const person = `sub-${crypto.randomUUID()}`;
    for (let index = 0; index < DEFAULT_RATE_LIMITS.RATE_LIMIT_ACTIONS.points; index += 1) {
      expect(await limitAction(person)).toEqual({ ok: true });
    }
    expect(await limitAction(person)).toEqual({
      ok: false,
      retryAfterSeconds: DEFAULT_RATE_LIMITS.RATE_LIMIT_ACTIONS.durationSeconds,
    });
    expect(await limitAction(`sub-${crypto.randomUUID()}`)).toEqual({ ok: true });
  });
});

describe('429 answers', () => {
  it('the sign-in page: 429, Retry-After in seconds, never cached, the wait in words', async () => {
    const response = tooManyRequestsPage(7);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('Too many requests, try again in 7 s');
    expect(html).toContain('href="/auth/login"');
    expect(html).not.toContain('<script');
  });

  it('the API answer: JSON with the code, the message and the wait', async () => {
    const response = tooManyRequestsJson(42);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('42');
    expect(await response.json()).toEqual({
      error: 'rate_limited',
      message: 'Too many requests, try again in 42 s',
      retryAfterSeconds: 42,
    });
  });

  it('the message rounds a wait up to whole seconds, at least 1', () => {
    expect(rateLimitedMessage(0)).toBe('Too many requests, try again in 1 s');
    expect(rateLimitedMessage(2.1)).toBe('Too many requests, try again in 3 s');
  });
});
