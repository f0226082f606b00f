import { z } from 'zod';
import { defaultPictureOrigins, IdentityProvidersSchema, NO_PROVIDERS } from './auth/providers.ts';
import { LOCAL_SESSION_SECRET, localEnvironment } from './local-defaults.ts';

/**
 * The only reader of `process.env` in Cubby.
 *
 * One zod schema describes every variable the app reads. Empty strings count as unset.
 * In production every required variable must be set and well-formed; outside production
 * unset variables fall back to the offline emulator's values (lib/local-defaults.ts), but a
 * malformed value is still an error. Problems are collected and reported together, and a
 * message never contains a variable's value (several are secrets).
 *
 * Runs on the server only. Imported by next.config.mjs under Node's type stripping, so it
 * imports nothing but zod, lib/local-defaults.ts and lib/auth/providers.ts (pure), with
 * explicit `.ts` extensions.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** http(s) URL; https required in production unless the host is loopback. */
function httpUrl(production: boolean, what: string) {
  return z.string().superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be an absolute URL (${what})` });
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: 'must use http or https' });
    } else if (production && url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
      ctx.addIssue({ code: 'custom', message: 'must use https in production' });
    }
    if (url.search || url.hash || url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'must not contain credentials, a query or a fragment' });
    }
  });
}

/** An origin such as `https://app.example.com`; a trailing slash is tolerated and removed. */
function originUrl(production: boolean, what: string) {
  return httpUrl(production, what)
    .refine((value) => !URL.canParse(value) || new URL(value).pathname === '/', {
      message: `must be an origin with no path (${what})`,
    })
    .transform((value) => new URL(value).origin);
}

/** A whole number of seconds within [min, max]; `fallback` when unset (also in production). */
function seconds(min: number, max: number, fallback: number) {
  return z
    .string()
    .regex(/^\d+$/, 'must be a whole number of seconds')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min} seconds`).max(max, `must be at most ${max} seconds`))
    .default(fallback);
}

/** A rate limit: at most `points` requests per `durationSeconds` for one key (a person, an address). */
export interface RateLimitRule {
  points: number;
  durationSeconds: number;
}

/**
 * The rate limits used when their variable is unset (lib/http/rate-limit.ts applies them):
 * sign-in start and callback per client address, server actions per person (500 presigns in 10 s
 * are refused, dropping 60 files at once, ~130 actions in a few seconds, is not), `/api/me` per
 * token subject and per client address.
 */
export const DEFAULT_RATE_LIMITS = {
  RATE_LIMIT_SIGN_IN: { points: 30, durationSeconds: 60 },
  RATE_LIMIT_ACTIONS: { points: 300, durationSeconds: 10 },
  RATE_LIMIT_API: { points: 120, durationSeconds: 60 },
} as const satisfies Record<string, RateLimitRule>;

/** `<requests>/<seconds>`, e.g. `300/10`; `fallback` when unset (also in production). */
function rateLimit(fallback: RateLimitRule) {
  return z
    .string()
    .regex(/^\d{1,7}\/\d{1,5}$/, 'must be <requests>/<seconds>, e.g. 300/10')
    .transform((value, ctx): RateLimitRule => {
      const [points = 0, durationSeconds = 0] = value.split('/').map(Number);
      if (points < 1) ctx.addIssue({ code: 'custom', message: 'must allow at least 1 request' });
      if (points > 1_000_000) ctx.addIssue({ code: 'custom', message: 'must allow at most 1000000 requests' });
      if (durationSeconds < 1) ctx.addIssue({ code: 'custom', message: 'must span at least 1 second' });
      if (durationSeconds > 86_400) ctx.addIssue({ code: 'custom', message: 'must span at most 86400 seconds' });
      return { points, durationSeconds };
    })
    .default(fallback);
}

/** Comma-separated origins (see {@link originUrl}), or `none` for an empty list. */
function originList(production: boolean, what: string) {
  return z
    .string()
    .transform((value) => (value.trim().toLowerCase() === NO_PROVIDERS ? [] : value.split(',').map((origin) => origin.trim())))
    .pipe(z.array(originUrl(production, what)))
    .transform((origins) => [...new Set(origins)]);
}

const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function schemaFor(production: boolean) {
  return z
    .object({
      NODE_ENV: z.enum(['development', 'production', 'test']),
      APP_URL: originUrl(production, 'the public URL people open, e.g. https://cubby.example.com'),
      SESSION_SECRET: z
        .string()
        .transform((value) =>
          value
            .split(',')
            .map((secret) => secret.trim())
            .filter(Boolean),
        )
        .superRefine((secrets, ctx) => {
          if (secrets.length === 0) ctx.addIssue({ code: 'custom', message: 'must list at least one secret' });
          if (secrets.some((secret) => secret.length < 32)) {
            ctx.addIssue({ code: 'custom', message: 'every secret must be at least 32 characters' });
          }
          if (production && secrets.includes(LOCAL_SESSION_SECRET)) {
            ctx.addIssue({ code: 'custom', message: 'must not be the development default in production' });
          }
        }),
      SESSION_IDLE_TIMEOUT_SECONDS: seconds(60, 315_360_000, 86_400),
      SESSION_ABSOLUTE_TIMEOUT_SECONDS: seconds(300, 315_360_000, 604_800),
      COGNITO_ISSUER: httpUrl(production, 'https://cognito-idp.<region>.amazonaws.com/<userPoolId>')
        .refine(
          (value) => {
            if (!URL.canParse(value)) return true;
            const segments = new URL(value).pathname.split('/').filter(Boolean);
            return segments.length === 1 && USER_POOL_ID.test(segments[0] ?? '');
          },
          { message: 'must end in the user pool id, e.g. https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123' },
        )
        .transform((value) => value.replace(/\/+$/, '')),
      COGNITO_CLIENT_ID: z.string().regex(/^[\w+]{1,128}$/, 'must be an app client id (letters and digits)'),
      COGNITO_CLIENT_SECRET: z.string().min(1),
      COGNITO_TOKEN_AUTH_METHOD: z.enum(['client_secret_basic', 'client_secret_post']).default('client_secret_basic'),
      // Cognito accepts 60 minutes to 10 years (cognito-wire-facts §3.5).
      COGNITO_REFRESH_TOKEN_VALIDITY_SECONDS: seconds(3600, 315_360_000, 2_592_000),
      COGNITO_DOMAIN: z
        .string()
        .transform((value) => (/^https?:\/\//i.test(value) ? value : `https://${value}`))
        .pipe(originUrl(production, 'the managed-login domain, e.g. https://<prefix>.auth.<region>.amazoncognito.com')),
      COGNITO_IDENTITY_POOL_ID: z.string().regex(/^[\w-]+:[0-9a-f-]+$/, 'must look like <region>:<uuid>'),
      AWS_REGION: z.string().regex(AWS_REGION, 'must be an AWS region such as us-east-1'),
      S3_BUCKET: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)'),
      AWS_ENDPOINT_URL_COGNITO_IDENTITY: originUrl(production, 'an Identity Pool endpoint override').optional(),
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: originUrl(production, 'a user pool API endpoint override').optional(),
      AWS_ENDPOINT_URL_S3: originUrl(production, 'an S3 endpoint override').optional(),
      FILES_QUOTA_BYTES: z
        .string()
        .regex(/^\d+$/, 'must be a whole number of bytes')
        .transform(Number)
        .pipe(
          z
            .number()
            .min(1024 * 1024, 'must be at least 1 MiB')
            .max(2 ** 50, 'must be at most 1 PiB'),
        )
        .default(2 ** 30),
      // Optional: unset keeps sign-outs, refresh locks and rate limits in this process's memory.
      SESSION_STORE_URL: z
        .string()
        .refine((value) => URL.canParse(value) && /^rediss?:$/.test(new URL(value).protocol), {
          message: 'must be a redis:// or rediss:// URL (Redis 7 or Valkey)',
        })
        .optional(),
      // Optional: the header a trusted proxy puts the client's address in (its first entry is used).
      TRUSTED_PROXY_HEADER: z
        .string()
        .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name such as x-forwarded-for')
        .transform((value) => value.toLowerCase())
        .optional(),
      RATE_LIMIT_SIGN_IN: rateLimit(DEFAULT_RATE_LIMITS.RATE_LIMIT_SIGN_IN),
      RATE_LIMIT_ACTIONS: rateLimit(DEFAULT_RATE_LIMITS.RATE_LIMIT_ACTIONS),
      RATE_LIMIT_API: rateLimit(DEFAULT_RATE_LIMITS.RATE_LIMIT_API),
      // Optional: unset in production offers email sign-in only (lib/auth/providers.ts has the grammar).
      IDENTITY_PROVIDERS: IdentityProvidersSchema.default([]),
      // Optional: unset allows Google's picture host when Google is listed (see the transform below).
      IDENTITY_PICTURE_ORIGINS: originList(
        production,
        'where providers serve profile pictures, e.g. https://lh3.googleusercontent.com',
      ).optional(),
    })
    .superRefine((env, ctx) => {
      const issuerRegion = /^cognito-idp\.([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(env.COGNITO_ISSUER).hostname)?.[1];
      if (issuerRegion && issuerRegion !== env.AWS_REGION) {
        ctx.addIssue({
          code: 'custom',
          path: ['COGNITO_ISSUER'],
          message: `is in ${issuerRegion} but AWS_REGION is ${env.AWS_REGION} (set AWS_REGION to the pools' region: on Vercel it defaults to the function's region)`,
        });
      }
      const poolRegion = env.COGNITO_IDENTITY_POOL_ID.split(':')[0];
      if (poolRegion !== env.AWS_REGION) {
        ctx.addIssue({
          code: 'custom',
          path: ['COGNITO_IDENTITY_POOL_ID'],
          message: `is in ${poolRegion} but AWS_REGION is ${env.AWS_REGION} (set AWS_REGION to the pools' region: on Vercel it defaults to the function's region)`,
        });
      }
    })
    .transform((env) => ({
      ...env,
      IDENTITY_PICTURE_ORIGINS: env.IDENTITY_PICTURE_ORIGINS ?? defaultPictureOrigins(env.IDENTITY_PROVIDERS),
    }));
}

/** Cubby's validated configuration. */
export type Env = z.output<ReturnType<typeof schemaFor>>;

/** Every variable Cubby reads, in the order .env.example documents them. */
export const ENV_VARIABLES = [
  'APP_URL',
  'SESSION_SECRET',
  'SESSION_IDLE_TIMEOUT_SECONDS',
  'SESSION_ABSOLUTE_TIMEOUT_SECONDS',
  'COGNITO_ISSUER',
  'COGNITO_CLIENT_ID',
  'COGNITO_CLIENT_SECRET',
  'COGNITO_TOKEN_AUTH_METHOD',
  'COGNITO_REFRESH_TOKEN_VALIDITY_SECONDS',
  'COGNITO_DOMAIN',
  'COGNITO_IDENTITY_POOL_ID',
  'AWS_REGION',
  'S3_BUCKET',
  'AWS_ENDPOINT_URL_COGNITO_IDENTITY',
  'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER',
  'AWS_ENDPOINT_URL_S3',
  'FILES_QUOTA_BYTES',
  'SESSION_STORE_URL',
  'TRUSTED_PROXY_HEADER',
  'RATE_LIMIT_SIGN_IN',
  'RATE_LIMIT_ACTIONS',
  'RATE_LIMIT_API',
  'IDENTITY_PROVIDERS',
  'IDENTITY_PICTURE_ORIGINS',
] as const;

/** Thrown when the configuration is unusable; `problems` has one line per variable at fault. */
export class EnvError extends Error {
  readonly code = 'invalid_configuration';
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Cubby cannot start: the environment is not valid.\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'EnvError';
    this.problems = problems;
  }
}

/**
 * Validates a set of variables (pure: `process.env` is never read here).
 * @throws {EnvError} listing every problem at once.
 */
export function parseEnv(source: Readonly<Record<string, string | undefined>>): Env {
  const nodeEnv = source.NODE_ENV || 'development';
  const production = nodeEnv === 'production';
  const defaults = production ? {} : localEnvironment();
  const input: Record<string, string | undefined> = { NODE_ENV: nodeEnv };
  for (const name of ENV_VARIABLES) input[name] = source[name]?.trim() || defaults[name];
  const result = schemaFor(production).safeParse(input);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.') || 'environment';
        const missing = issue.code === 'invalid_type' && input[name] === undefined;
        return `${name}: ${missing ? `is required${production ? ' in production' : ''} (see .env.example)` : issue.message}`;
      }),
    );
  }
  return result.data;
}

let cached: Env | undefined;

/**
 * Cubby's configuration from `process.env`, parsed on first use and then cached.
 * Server only. @throws {EnvError} when the environment is not valid.
 */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** NODE_ENV as Next sets it; readable at build time, when the rest of the environment may be absent. */
export function runtimeMode(): 'development' | 'production' | 'test' {
  const mode = process.env.NODE_ENV;
  return mode === 'production' || mode === 'test' ? mode : 'development';
}
