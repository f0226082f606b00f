import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS, parseEnv } from '@/lib/env';
import { PRODUCTION, problems } from '../fixtures/env';

describe('rate limits (RATE_LIMIT_SIGN_IN, RATE_LIMIT_ACTIONS, RATE_LIMIT_API)', () => {
  it('default to the documented rules, in production too', () => {
    const env = parseEnv(PRODUCTION);
    expect(env.RATE_LIMIT_SIGN_IN).toEqual({ points: 30, durationSeconds: 60 });
    expect(env.RATE_LIMIT_ACTIONS).toEqual({ points: 300, durationSeconds: 10 });
    expect(env.RATE_LIMIT_API).toEqual({ points: 120, durationSeconds: 60 });
    expect(env.RATE_LIMIT_ACTIONS).toEqual(DEFAULT_RATE_LIMITS.RATE_LIMIT_ACTIONS);
  });

  it('read <requests>/<seconds>', () => {
    expect(parseEnv({ ...PRODUCTION, RATE_LIMIT_ACTIONS: ' 1000/60 ' }).RATE_LIMIT_ACTIONS).toEqual({
      points: 1000,
      durationSeconds: 60,
    });
    expect(parseEnv({ RATE_LIMIT_SIGN_IN: '5/1' }).RATE_LIMIT_SIGN_IN).toEqual({ points: 5, durationSeconds: 1 });
  });

  it.each([
    ['300', /must be <requests>\/<seconds>/],
    ['300/10s', /must be <requests>\/<seconds>/],
    ['-1/10', /must be <requests>\/<seconds>/],
    ['1.5/10', /must be <requests>\/<seconds>/],
    ['0/10', /must allow at least 1 request/],
    ['10/0', /must span at least 1 second/],
    ['10/86401', /must span at most 86400 seconds/],
    ['2000000/10', /must allow at most 1000000 requests/],
  ])('refuse %j', (value, message) => {
    for (const name of ['RATE_LIMIT_SIGN_IN', 'RATE_LIMIT_ACTIONS', 'RATE_LIMIT_API']) {
      const found = problems({ ...PRODUCTION, [name]: value });
      expect(found).toEqual([expect.stringMatching(new RegExp(`^${name}: ${message.source}`))]);
    }
  });
});
