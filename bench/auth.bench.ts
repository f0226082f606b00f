/**
 * Sign-in benchmarks (run: `npm run bench`, or `npx vitest run --project bench`): prints a markdown
 * table of the proxy's cost per request by route, the callback handler's own time with the time
 * spent waiting for Cognito taken out, and the Cookie header of a real session from the emulator.
 * Figures, not assertions: targets are read by people.
 */
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, it } from 'vitest';
import { completeLogin } from '@/lib/auth/callback';
import { beginLogin } from '@/lib/auth/login';
import { findHandoff, HANDOFF_HEADER } from '@/lib/http/handoff';
import { handleProxy } from '@/lib/http/proxy';
import { Browser, createUser, loginThroughForm } from '../tests/helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../tests/helpers/emulator-process';
import { MemoryCookieStore } from '../tests/helpers/session-cookie';
import { percentile, sample } from './support/stats';

const PASSWORD = 'Correct-Horse-9';
let emulator: EmulatorProcess;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  const { config } = emulator;
  Object.assign(process.env, {
    APP_URL: config.appUrl,
    SESSION_SECRET: 'bench-session-secret-0123456789-abcdefghijklmnop',
    COGNITO_ISSUER: config.issuer,
    COGNITO_CLIENT_ID: config.clientId,
    COGNITO_CLIENT_SECRET: config.clientSecret,
    COGNITO_DOMAIN: config.domain,
    COGNITO_IDENTITY_POOL_ID: config.identityPoolId,
    AWS_REGION: config.region,
    S3_BUCKET: config.bucket,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY: config.cognitoIdentityEndpoint,
    AWS_ENDPOINT_URL_S3: config.s3Endpoint,
  });
  await createUser(emulator, { email: 'bench@example.com', password: PASSWORD, groups: ['admins', 'editors', 'viewers'] });
});
afterAll(async () => emulator?.stop());

/** Runs one real sign-in through the callback handler, returning its time and the part spent in fetch. */
async function timedCallback(browser: Browser): Promise<{ total: number; idp: number; store: MemoryCookieStore }> {
  const store = new MemoryCookieStore();
  const url = await beginLogin(store, { returnTo: '/files', provider: null });
  const callback = await loginThroughForm(browser, url, { email: 'bench@example.com', password: PASSWORD });
  const realFetch = globalThis.fetch;
  let idp = 0;
  globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
    const started = performance.now();
    try {
      return await realFetch(...args);
    } finally {
      idp += performance.now() - started;
    }
  };
  const started = performance.now();
  try {
    await completeLogin(store, callback.searchParams);
  } finally {
    globalThis.fetch = realFetch;
  }
  return { total: (performance.now() - started) * 1000, idp: idp * 1000, store };
}

it('prints the sign-in benchmark table', { timeout: 240_000 }, async () => {
  // The app's JSON log lines would drown the table: silence them while measuring.
  const { log, error } = console;
  console.log = () => {};
  console.error = () => {};
  const browser = new Browser();
  const callbacks: { total: number; idp: number; store: MemoryCookieStore }[] = [];
  for (let index = 0; index < 40; index += 1) callbacks.push(await timedCallback(browser));
  const own = callbacks.slice(5).map(({ total, idp }) => total - idp);
  const withIdp = callbacks.slice(5).map(({ total }) => total);
  const cookie = callbacks.at(-1)?.store.header() ?? '';

  const request = (path: string, withSession: boolean) => () =>
    handleProxy(new NextRequest(`${emulator.config.appUrl}${path}`, { headers: withSession ? { cookie } : {} }));
  const skipped = await sample(1000, request('/auth/callback', true), 50);
  const signedIn = await sample(1000, request('/files', true), 50);
  const signedOut = await sample(1000, request('/profile', false), 50);
  // A server action: the proxy decides (reusing the opened seal) and hands its decision on; the
  // gate (lib/dal.ts) then finds it instead of reading and refreshing again.
  const origin = emulator.config.appUrl;
  const action = await sample(
    1000,
    async () => {
      const response = await handleProxy(
        new NextRequest(`${origin}/files`, {
          method: 'POST',
          headers: { cookie, origin, 'next-action': 'bench', 'content-type': 'text/plain;charset=UTF-8', 'content-length': '2' },
          body: '[]',
        }),
      );
      if (!findHandoff(response.headers.get(`x-middleware-request-${HANDOFF_HEADER}`))) throw new Error('no handoff');
    },
    50,
  );

  console.log = log;
  console.error = error;
  const row = (name: string, samples: number[]) =>
    `| ${name} | ${percentile(samples, 50).toFixed(0)} | ${percentile(samples, 95).toFixed(0)} |`;
  process.stdout.write(
    [
      '',
      '| sign-in benchmark | p50 (µs) | p95 (µs) |',
      '| --- | --- | --- |',
      row('proxy: route it skips (/auth/*: CSP nonce only)', skipped),
      row('proxy: signed-in page (session read, no refresh)', signedIn),
      row('proxy: signed-out protected page (redirect)', signedOut),
      row('proxy + gate: signed-in server action (decision handed off, found by the gate)', action),
      `| proxy + session overhead of a signed-in page over a skipped route | ${(percentile(signedIn, 50) - percentile(skipped, 50)).toFixed(0)} | |`,
      `| proxy + gate overhead of a server action over a skipped route | ${(percentile(action, 50) - percentile(skipped, 50)).toFixed(0)} | |`,
      row('callback handler, excluding time waiting for Cognito', own),
      row('callback handler, including Cognito (emulator on loopback)', withIdp),
      '',
      `Cookie header of a real session (three groups): ${Buffer.byteLength(cookie)} bytes in ${cookie.split('; ').length} cookie(s) (target ≤ 6144)`,
      '',
    ].join('\n'),
  );
});
