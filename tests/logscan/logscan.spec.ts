import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { e2eAppEnvironment } from '../helpers/e2e-env.ts';
import { E2E_APP_LOG, fromRepositoryRoot } from './log-files.ts';

/**
 * The app server's log of the whole e2e run (playwright.config.ts runs this project after every
 * browser test, while the servers still run): structured, and free of anything secret.
 */

interface LogLine {
  number: number;
  text: string;
}

interface LogEvent {
  time: string;
  level: string;
  event: string;
  requestId?: unknown;
  [field: string]: unknown;
}

/** The plain-text lines Next's standalone server prints when it starts; nothing else may be plain. */
const NEXT_STARTUP_LINES = [
  /^▲ Next\.js \d+\.\d+\.\d+$/,
  /^- (Local|Network): +http:\/\/[\w.:[\]-]+$/,
  /^✓ Ready in \d+(\.\d+)?m?s$/,
  /^✓ Running next\.config took \d+(\.\d+)?m?s$/,
];

const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;
const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

function secretPatterns(): [string, RegExp][] {
  const env = e2eAppEnvironment();
  const literal = (value: string) => new RegExp(value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const sessionSecrets = (env.SESSION_SECRET ?? '').split(',').filter(Boolean);
  expect(sessionSecrets.length).toBeGreaterThan(0);
  expect(env.COGNITO_CLIENT_SECRET).toBeTruthy();
  return [
    ['a JWT (ID or access token)', /eyJ[\w-]{2,}\.eyJ[\w-]{2,}/],
    ['a Cognito refresh token (JWE)', /eyJjdHkiOiJKV1Qi|eyJ[\w-]+\.[\w-]{40,}\.[\w-]+\.[\w-]+\.[\w-]+/],
    ['a long opaque token-like blob', /[\w+/=-]{120,}/],
    ['an iron-session seal', /Fe26\.2/],
    ...sessionSecrets.map((secret): [string, RegExp] => ['SESSION_SECRET', literal(secret)]),
    ['COGNITO_CLIENT_SECRET', literal(env.COGNITO_CLIENT_SECRET ?? '')],
    ['an AWS access key id', /\b(ASIA|AKIA)[A-Z0-9]{12,}\b/],
    ['an AWS secret key or session token field', /secret_?access_?key|"secretKey"|session_?token/i],
    ['a presigned URL signature', /X-Amz-(Signature|Credential|Security-Token)/i],
    ['an Authorization header or Bearer token', /\bauthorization["']?\s*[:=]|\bBearer\s+[\w-]/i],
    ['a Cookie or Set-Cookie header', /\b(set-)?cookie["']?\s*[:=]/i],
    ['a session or sign-in cookie value', /cubby-(session|txn-[\w-]*)(\.\d+)?=/],
    ['an authorization code in a URL', /[?&]code=[\w-]{8,}/],
  ];
}

/** The log's lines, numbered from 1; fails when the e2e run left no log. */
function readLog(): LogLine[] {
  const file = fromRepositoryRoot(E2E_APP_LOG);
  expect(fs.existsSync(file), `${E2E_APP_LOG} is missing: the e2e app server did not write its log`).toBe(true);
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((text, index) => ({ number: index + 1, text }));
}

function parseEvent(text: string): LogEvent | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const event = value as LogEvent;
    const wellFormed =
      typeof event.time === 'string' &&
      !Number.isNaN(Date.parse(event.time)) &&
      LEVELS.has(event.level) &&
      typeof event.event === 'string' &&
      /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/.test(event.event);
    return wellFormed ? event : null;
  } catch {
    return null;
  }
}

function events(): LogEvent[] {
  return readLog()
    .map((line) => parseEvent(line.text))
    .filter((event): event is LogEvent => event !== null);
}

/** A line shown in a failure message: its start only, with long token-like runs masked. */
function preview(line: LogLine): string {
  return `line ${line.number}: ${line.text.slice(0, 60).replace(/[\w+/=-]{16,}/g, '…')}`;
}

test.describe('the app log of the e2e run', () => {
  test('is live: a request id sent by a client shows up on that request’s log line', async ({ request }) => {
    const requestId = `logscan-${randomUUID()}`;
    const response = await request.get('/auth/login?returnTo=/files', {
      headers: { 'x-request-id': requestId },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(303);
    expect(response.headers()['x-request-id']).toBe(requestId);
    await expect
      .poll(
        () =>
          events()
            .filter((event) => event.requestId === requestId)
            .map((event) => event.event),
        { timeout: 5_000 },
      )
      .toContain('auth.login_started');
  });

  test('has one JSON event per line (time, level, event), apart from Next’s startup lines', () => {
    const lines = readLog();
    const nonBlank = lines.filter((line) => line.text.trim() !== '');
    expect(nonBlank.length).toBeGreaterThan(10);
    const stray = nonBlank.filter(
      (line) => parseEvent(line.text) === null && !NEXT_STARTUP_LINES.some((pattern) => pattern.test(line.text)),
    );
    expect(stray.map(preview)).toEqual([]);
  });

  test('holds no token, cookie, secret, AWS credential or presigned signature', () => {
    const found: string[] = [];
    const patterns = secretPatterns();
    for (const line of readLog()) {
      for (const [what, pattern] of patterns) if (pattern.test(line.text)) found.push(`line ${line.number}: ${what}`);
    }
    expect(found).toEqual([]);
  });

  test('has a request id on every sign-in, sign-out and action line', () => {
    const all = events();
    const signIns = all.filter((event) => event.event === 'auth.login_succeeded');
    expect(signIns.length, 'the e2e suite signs people in').toBeGreaterThan(0);
    const scoped = all.filter((event) =>
      /^auth\.(login_started|login_succeeded|callback_failed|login_failed|signed_out|logout_failed|logout_refused)$|^(files|gallery|profile)\.[a-z_]+\.(failed|invalid)$/.test(
        event.event,
      ),
    );
    const missing = scoped.filter((event) => typeof event.requestId !== 'string' || !REQUEST_ID.test(event.requestId));
    expect(missing.map((event) => `${event.event} at ${event.time}`)).toEqual([]);
  });
});
