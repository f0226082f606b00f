import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import { type APIRequestContext, type APIResponse, expect, test } from '@playwright/test';
import { DEFAULT_RATE_LIMITS } from '../../lib/env.ts';
import { createUser, signIn } from '../helpers/cognito-login.ts';
import { E2E_APP_URL } from '../helpers/e2e-env.ts';
import { E2E_APP_LOG, fromRepositoryRoot } from '../logscan/log-files.ts';
import { e2eEmulator, PASSWORD, uniqueEmail } from './support.ts';

/**
 * Rate limits over HTTP against the production server (default limits; the e2e server trusts
 * X-Real-IP as if behind a proxy, so each test acts as distinct clients): a client hammering
 * sign-in or /api/me gets 429 with Retry-After and a readable message, and others go on as before.
 * (The server-action limit is tested where actions are wired.)
 */

const SIGN_IN = DEFAULT_RATE_LIMITS.RATE_LIMIT_SIGN_IN;
const API = DEFAULT_RATE_LIMITS.RATE_LIMIT_API;

/** A random IPv4 address in the benchmarking range 198.18.0.0/15: a new client per call. */
function someIpv4(): string {
  return `198.${18 + randomInt(2)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/** A random IPv6 address in 2001:db8::/32 (its own /64): a new client per call. */
function someIpv6(): string {
  return `2001:db8:${randomInt(65536).toString(16)}:${randomInt(65536).toString(16)}::${randomInt(1, 65536).toString(16)}`;
}

async function get(request: APIRequestContext, path: string, headers: Record<string, string>): Promise<APIResponse> {
  return request.get(`${E2E_APP_URL}${path}`, { headers, maxRedirects: 0 });
}

/** `times` requests one after the other; their statuses. */
async function statuses(request: APIRequestContext, times: number, path: string, headers: Record<string, string>) {
  const seen: number[] = [];
  for (let index = 0; index < times; index += 1) seen.push((await get(request, path, headers)).status());
  return seen;
}

function expectRetryAfter(response: APIResponse, durationSeconds: number): number {
  const value = response.headers()['retry-after'] ?? '';
  expect(value).toMatch(/^\d+$/);
  const seconds = Number(value);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(durationSeconds);
  return seconds;
}

function appLogEvents(): Record<string, unknown>[] {
  return fs
    .readFileSync(fromRepositoryRoot(E2E_APP_LOG), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

test.describe('sign-in rate limits per client address', () => {
  test('GET /auth/login hammered from one address: 429 with Retry-After and a friendly page; other clients unaffected', async ({
    request,
  }) => {
    const address = someIpv4();
    const before = appLogEvents().length;
    expect(await statuses(request, SIGN_IN.points, '/auth/login', { 'x-real-ip': address })).toEqual(
      Array(SIGN_IN.points).fill(303),
    );

    const refused = await get(request, '/auth/login', { 'x-real-ip': address });
    expect(refused.status()).toBe(429);
    const wait = expectRetryAfter(refused, SIGN_IN.durationSeconds);
    expect(refused.headers()['content-type']).toBe('text/html; charset=utf-8');
    expect(refused.headers()['cache-control']).toBe('no-store');
    expect(refused.headers()['set-cookie']).toBeUndefined();
    const page = await refused.text();
    expect(page).toContain('Too many sign-in attempts');
    expect(page).toContain(`Too many requests, try again in ${wait} s`);

    // The same client spoofing X-Forwarded-For is still the same client.
    expect((await get(request, '/auth/login', { 'x-real-ip': address, 'x-forwarded-for': someIpv4() })).status()).toBe(429);
    // Someone else, and the callback for this address, are not affected.
    expect((await get(request, '/auth/login', { 'x-real-ip': someIpv4() })).status()).toBe(303);
    expect((await get(request, '/auth/callback?code=abc&state=unknown-state-value', { 'x-real-ip': address })).status()).toBe(
      303,
    );

    // One log line for the refusals, naming the limit and key kind, never the address.
    await expect
      .poll(
        () =>
          appLogEvents()
            .slice(before)
            .filter((event) => event.event === 'rate_limit.exceeded'),
        { timeout: 5_000 },
      )
      .toEqual([expect.objectContaining({ level: 'warn', limiter: 'sign_in_start', keyKind: 'address' })]);
    expect(JSON.stringify(appLogEvents().slice(before))).not.toContain(address);
  });

  test('GET /auth/callback hammered from one address: 429 with Retry-After; other clients unaffected', async ({ request }) => {
    const address = someIpv4();
    const path = '/auth/callback?code=abc&state=unknown-state-value';
    const seen = await statuses(request, SIGN_IN.points, path, { 'x-real-ip': address });
    expect(seen).toEqual(Array(SIGN_IN.points).fill(303));
    const refused = await get(request, path, { 'x-real-ip': address });
    expect(refused.status()).toBe(429);
    expectRetryAfter(refused, SIGN_IN.durationSeconds);
    expect(refused.headers()['referrer-policy']).toBe('no-referrer');
    expect(await refused.text()).toMatch(/Too many requests, try again in \d+ s/);
    const other = await get(request, path, { 'x-real-ip': someIpv4() });
    expect(other.status()).toBe(303);
    expect(other.headers().location).toBe(`${E2E_APP_URL}/auth/error?code=login_expired`);
  });
});

test.describe('GET /api/me rate limits', () => {
  test('per client address, before the token is checked: 429 JSON with Retry-After; another address unaffected', async ({
    request,
  }) => {
    const address = someIpv6();
    const headers = { 'x-real-ip': address, authorization: 'Bearer not.a.token' };
    expect(await statuses(request, API.points, '/api/me', headers)).toEqual(Array(API.points).fill(401));
    const refused = await get(request, '/api/me', headers);
    expect(refused.status()).toBe(429);
    const wait = expectRetryAfter(refused, API.durationSeconds);
    expect(await refused.json()).toEqual({
      error: 'rate_limited',
      message: `Too many requests, try again in ${wait} s`,
      retryAfterSeconds: wait,
    });
    // The same /64 is the same client; another /64 is someone else.
    const sameNetwork = address.replace(/::[0-9a-f]+$/, '::beef');
    expect((await get(request, '/api/me', { ...headers, 'x-real-ip': sameNetwork })).status()).toBe(429);
    expect((await get(request, '/api/me', { ...headers, 'x-real-ip': someIpv6() })).status()).toBe(401);
  });

  test('per token subject, from any address: 429 once one person used their share; another person unaffected', async ({
    request,
  }) => {
    const emulator = await e2eEmulator();
    const tokensFor = async (label: string) => {
      const email = uniqueEmail(label);
      await createUser(emulator, { email, password: PASSWORD });
      return signIn(emulator, { email, password: PASSWORD });
    };
    const alice = await tokensFor('rate-alice');
    const bob = await tokensFor('rate-bob');
    // Spread over several addresses, so no address reaches its own limit first.
    const addresses = Array.from({ length: 4 }, someIpv4);
    const seen: number[] = [];
    for (let index = 0; index < API.points; index += 1) {
      const response = await get(request, '/api/me', {
        'x-real-ip': addresses[index % addresses.length] ?? '',
        authorization: `Bearer ${alice.accessToken}`,
      });
      seen.push(response.status());
    }
    expect(seen).toEqual(Array(API.points).fill(200));

    const refused = await get(request, '/api/me', { 'x-real-ip': someIpv4(), authorization: `Bearer ${alice.accessToken}` });
    expect(refused.status()).toBe(429);
    expectRetryAfter(refused, API.durationSeconds);
    expect((await refused.json()).error).toBe('rate_limited');

    const other = await get(request, '/api/me', { 'x-real-ip': addresses[0] ?? '', authorization: `Bearer ${bob.accessToken}` });
    expect(other.status()).toBe(200);
    expect((await other.json()).sub).not.toBe(undefined);
  });
});
