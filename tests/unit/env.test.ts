import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES, parseEnv } from '@/lib/env';
import { LOCAL_BUCKET, LOCAL_CLIENT_ID, LOCAL_SESSION_SECRET } from '@/lib/local-defaults';
import { PRODUCTION, problems } from '../fixtures/env';

const SECRET = PRODUCTION.SESSION_SECRET;

/** Optional everywhere: these have a built-in default, in production too. */
const WITH_DEFAULTS: readonly string[] = [
  'SESSION_IDLE_TIMEOUT_SECONDS',
  'SESSION_ABSOLUTE_TIMEOUT_SECONDS',
  'COGNITO_TOKEN_AUTH_METHOD',
  'COGNITO_REFRESH_TOKEN_VALIDITY_SECONDS',
  'FILES_QUOTA_BYTES',
  'RATE_LIMIT_SIGN_IN',
  'RATE_LIMIT_ACTIONS',
  'RATE_LIMIT_API',
];

describe('parseEnv outside production', () => {
  it('falls back to the emulator for everything', () => {
    const env = parseEnv({});
    expect(env.NODE_ENV).toBe('development');
    expect(env.APP_URL).toBe('http://localhost:3000');
    expect(env.COGNITO_CLIENT_ID).toBe(LOCAL_CLIENT_ID);
    expect(env.S3_BUCKET).toBe(LOCAL_BUCKET);
    expect(env.SESSION_SECRET).toEqual([LOCAL_SESSION_SECRET]);
    expect(env.AWS_ENDPOINT_URL_S3).toBe('http://127.0.0.1:9229');
    expect(env.COGNITO_ISSUER).toBe('http://127.0.0.1:9229/us-east-1_LocalCubby');
    // Managed login on localhost: passkeys need a domain as relying-party id, never an IP address.
    expect(env.COGNITO_DOMAIN).toBe('http://localhost:9229');
  });

  it('treats empty and blank strings as unset', () => {
    expect(parseEnv({ NODE_ENV: 'test', APP_URL: '', S3_BUCKET: '   ' }).S3_BUCKET).toBe(LOCAL_BUCKET);
  });

  it('still rejects malformed values', () => {
    expect(problems({ APP_URL: 'not a url' })).toEqual([expect.stringMatching(/^APP_URL: must be an absolute URL/)]);
    expect(problems({ S3_BUCKET: 'Bad_Bucket' })).toEqual([expect.stringMatching(/^S3_BUCKET: must be an S3 bucket name/)]);
  });
});

/** Variables that may stay unset in production too (no default: unset means the feature is off). */
const OPTIONAL: readonly string[] = [
  'SESSION_STORE_URL',
  'TRUSTED_PROXY_HEADER',
  'IDENTITY_PROVIDERS',
  'IDENTITY_PICTURE_ORIGINS',
];

describe('the shared store and client-address variables', () => {
  it('take redis:// and rediss:// URLs and a header name, and are optional', () => {
    expect(parseEnv(PRODUCTION).SESSION_STORE_URL).toBeUndefined();
    expect(parseEnv({ ...PRODUCTION, SESSION_STORE_URL: 'rediss://default:pw@cache.example.com:6380' }).SESSION_STORE_URL).toBe(
      'rediss://default:pw@cache.example.com:6380',
    );
    expect(parseEnv({ ...PRODUCTION, TRUSTED_PROXY_HEADER: 'X-Forwarded-For' }).TRUSTED_PROXY_HEADER).toBe('x-forwarded-for');
  });

  it('refuse other URLs and header names, without printing the value', () => {
    const found = problems({ ...PRODUCTION, SESSION_STORE_URL: 'http://cache:6379', TRUSTED_PROXY_HEADER: 'x forwarded' });
    expect(found).toContain('SESSION_STORE_URL: must be a redis:// or rediss:// URL (Redis 7 or Valkey)');
    expect(found.some((line) => line.startsWith('TRUSTED_PROXY_HEADER:'))).toBe(true);
    expect(found.join('\n')).not.toContain('http://cache:6379');
  });
});

describe('parseEnv in production', () => {
  it('accepts a complete configuration and normalises it', () => {
    const env = parseEnv({
      ...PRODUCTION,
      APP_URL: 'https://cubby.example.com/',
      COGNITO_DOMAIN: 'cubby.auth.eu-west-1.amazoncognito.com',
    });
    expect(env.APP_URL).toBe('https://cubby.example.com');
    expect(env.COGNITO_DOMAIN).toBe('https://cubby.auth.eu-west-1.amazoncognito.com');
    expect(env.SESSION_SECRET).toEqual([SECRET]);
    expect(env.AWS_ENDPOINT_URL_S3).toBeUndefined();
  });

  it('lists every missing variable at once', () => {
    const missing = problems({ NODE_ENV: 'production' });
    const required = ENV_VARIABLES.filter(
      (name) => !name.startsWith('AWS_ENDPOINT_URL_') && !WITH_DEFAULTS.includes(name) && !OPTIONAL.includes(name),
    );
    expect(missing).toEqual(required.map((name) => `${name}: is required in production (see .env.example)`));
  });

  it('reports missing and malformed variables together', () => {
    const found = problems({ ...PRODUCTION, S3_BUCKET: undefined, APP_URL: 'ftp://cubby.example.com' });
    expect(found).toHaveLength(2);
    expect(found.join('\n')).toMatch(/APP_URL: must use http or https/);
    expect(found.join('\n')).toMatch(/S3_BUCKET: is required in production/);
  });

  it.each([
    ['APP_URL', 'http://cubby.example.com', /must use https in production/],
    ['APP_URL', 'https://cubby.example.com/app', /must be an origin with no path/],
    ['APP_URL', 'https://user:pw@cubby.example.com', /must not contain credentials/],
    ['SESSION_SECRET', 'short', /at least 32 characters/],
    ['SESSION_SECRET', ` , ${SECRET}, tooshort`, /at least 32 characters/],
    ['SESSION_SECRET', ',,,', /at least one secret/],
    ['SESSION_SECRET', LOCAL_SESSION_SECRET, /development default/],
    ['COGNITO_ISSUER', 'https://cubby.auth.eu-west-1.amazoncognito.com', /must end in the user pool id/],
    [
      'COGNITO_ISSUER',
      'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123',
      /is in us-east-1 but AWS_REGION is eu-west-1/,
    ],
    ['COGNITO_CLIENT_ID', 'has spaces in it', /app client id/],
    ['COGNITO_DOMAIN', 'http://cubby.auth.eu-west-1.amazoncognito.com', /must use https in production/],
    ['COGNITO_IDENTITY_POOL_ID', 'not-a-pool', /must look like <region>:<uuid>/],
    ['COGNITO_IDENTITY_POOL_ID', 'us-east-1:36d52ea3-26a9-4d70-9ba9-a75c75c69efb', /is in us-east-1 but AWS_REGION is eu-west-1/],
    ['AWS_REGION', 'Europe', /must be an AWS region/],
    ['S3_BUCKET', 'ab', /must be an S3 bucket name/],
    ['AWS_ENDPOINT_URL_S3', 'https://s3.example.com/path', /must be an origin with no path/],
    ['NODE_ENV', 'staging', /NODE_ENV/],
    ['SESSION_IDLE_TIMEOUT_SECONDS', '1 day', /must be a whole number of seconds/],
    ['SESSION_IDLE_TIMEOUT_SECONDS', '-5', /must be a whole number of seconds/],
    ['SESSION_IDLE_TIMEOUT_SECONDS', '30', /must be at least 60 seconds/],
    ['SESSION_ABSOLUTE_TIMEOUT_SECONDS', '3600.5', /must be a whole number of seconds/],
    ['SESSION_ABSOLUTE_TIMEOUT_SECONDS', '299', /must be at least 300 seconds/],
    ['COGNITO_REFRESH_TOKEN_VALIDITY_SECONDS', '600', /must be at least 3600 seconds/],
    ['COGNITO_REFRESH_TOKEN_VALIDITY_SECONDS', '315360001', /must be at most 315360000 seconds/],
    ['COGNITO_TOKEN_AUTH_METHOD', 'private_key_jwt', /COGNITO_TOKEN_AUTH_METHOD/],
  ])('rejects %s=%s', (name, value, message) => {
    const found = problems({ ...PRODUCTION, [name]: value });
    expect(found.join('\n')).toMatch(message);
  });

  it('allows plain http only on loopback hosts', () => {
    expect(parseEnv({ ...PRODUCTION, APP_URL: 'http://localhost:3000' }).APP_URL).toBe('http://localhost:3000');
    expect(parseEnv({ ...PRODUCTION, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9229' }).AWS_ENDPOINT_URL_S3).toBe(
      'http://127.0.0.1:9229',
    );
  });

  it('keeps several secrets, newest first, for rotation', () => {
    const older = 'y'.repeat(32);
    expect(parseEnv({ ...PRODUCTION, SESSION_SECRET: `${SECRET}, ${older}` }).SESSION_SECRET).toEqual([SECRET, older]);
  });

  it('defaults the session timeouts, token auth method and refresh token validity', () => {
    const env = parseEnv(PRODUCTION);
    expect(env.SESSION_IDLE_TIMEOUT_SECONDS).toBe(86_400);
    expect(env.SESSION_ABSOLUTE_TIMEOUT_SECONDS).toBe(604_800);
    expect(env.COGNITO_TOKEN_AUTH_METHOD).toBe('client_secret_basic');
    expect(env.COGNITO_REFRESH_TOKEN_VALIDITY_SECONDS).toBe(2_592_000);
    expect(env.FILES_QUOTA_BYTES).toBe(1024 ** 3);
  });

  it('reads the storage quota in bytes and refuses nonsense', () => {
    expect(parseEnv({ ...PRODUCTION, FILES_QUOTA_BYTES: '5368709120' }).FILES_QUOTA_BYTES).toBe(5 * 1024 ** 3);
    expect(problems({ ...PRODUCTION, FILES_QUOTA_BYTES: '1GB' }).join('\n')).toMatch(
      /FILES_QUOTA_BYTES: must be a whole number of bytes/,
    );
    expect(problems({ ...PRODUCTION, FILES_QUOTA_BYTES: '10' }).join('\n')).toMatch(/FILES_QUOTA_BYTES: must be at least 1 MiB/);
  });

  it('reads the session timeouts, token auth method and refresh token validity as numbers and names', () => {
    const env = parseEnv({
      ...PRODUCTION,
      SESSION_IDLE_TIMEOUT_SECONDS: '3600',
      SESSION_ABSOLUTE_TIMEOUT_SECONDS: ' 86400 ',
      COGNITO_TOKEN_AUTH_METHOD: 'client_secret_post',
      COGNITO_REFRESH_TOKEN_VALIDITY_SECONDS: '',
    });
    expect(env.SESSION_IDLE_TIMEOUT_SECONDS).toBe(3600);
    expect(env.SESSION_ABSOLUTE_TIMEOUT_SECONDS).toBe(86_400);
    expect(env.COGNITO_TOKEN_AUTH_METHOD).toBe('client_secret_post');
    expect(env.COGNITO_REFRESH_TOKEN_VALIDITY_SECONDS).toBe(2_592_000);
  });

  it('never echoes a value in its messages', () => {
    const found = problems({ ...PRODUCTION, SESSION_SECRET: 'hunter2-is-my-secret', COGNITO_CLIENT_SECRET: '' });
    expect(found.join('\n')).not.toContain('hunter2');
  });
});
