import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS, EnvError, parseEnv } from '@/lib/env';

const PRODUCTION = {
  NODE_ENV: 'production',
  APP_URL: 'https://cubby.example.com',
  SESSION_SECRET: 'x'.repeat(40),
  COGNITO_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123',
  COGNITO_CLIENT_ID: '47ahgb3e4jqhk86o7gugvbglf8',
  COGNITO_CLIENT_SECRET: 'not-a-real-secret',
  COGNITO_DOMAIN: 'https://cubby.auth.eu-west-1.amazoncognito.com',
  COGNITO_IDENTITY_POOL_ID: 'eu-west-1:36d52ea3-26a9-4d70-9ba9-a75c75c69efb',
  AWS_REGION: 'eu-west-1',
  S3_BUCKET: 'cubby-files',
} as const;

function problems(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return [...error.problems];
    throw error;
  }
  return [];
}

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
