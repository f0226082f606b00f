import { type BrowserContext, expect, test } from '@playwright/test';
import { createUser } from '../helpers/cognito-login.ts';
import { type Cluster, startCluster } from './cluster.ts';
import { fillManagedLogin, PASSWORD, uniqueEmail } from './support.ts';

/**
 * Two production instances with one Redis behind a round-robin proxy, as on Vercel or behind a
 * load balancer: one refresh for many parallel requests, a sign-out that holds on every
 * instance, and a change made on one instance seen on the other at once.
 */

const PORTS: [number, number, number] = [3110, 3111, 3112];
let cluster: Cluster;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await startCluster(PORTS);
});
test.afterAll(async () => cluster?.stop());

async function stats(): Promise<Record<string, number>> {
  return (await cluster.emulator.hook('GET', '/_local/stats')) as Record<string, number>;
}

/** A person signed in through the proxy in a fresh browser context; returns the context and its Cookie header. */
async function signedIn(browser: import('@playwright/test').Browser, label: string) {
  const email = uniqueEmail(label);
  await createUser(cluster.emulator, { email, password: PASSWORD });
  const context = await browser.newContext({ baseURL: cluster.url });
  const page = await context.newPage();
  await page.goto('/auth/login?returnTo=%2Ffiles');
  await fillManagedLogin(page, email);
  await page.waitForURL(`${cluster.url}/files`);
  // The page's own first requests (list, thumbnails) are done: the cookie read next is the newest.
  await page.waitForLoadState('networkidle');
  return { email, context, page, cookie: await cookieHeader(context) };
}

async function cookieHeader(context: BrowserContext): Promise<string> {
  return (await context.cookies(cluster.url)).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

test('20 parallel requests over both instances around token expiry: one refresh at Cognito, nobody signed out', async ({
  browser,
}) => {
  await cluster.emulator.hook('POST', '/_local/settings', {
    refreshTokenRotation: true,
    retryGracePeriodSeconds: 0,
    idTokenValiditySeconds: 300,
    accessTokenValiditySeconds: 300,
  });
  // Tokens issued 4 min 10 s ago by Cognito's clock: 50 s left of their 5 minutes, so they are due.
  await cluster.emulator.hook('POST', '/_local/clock', { offsetSeconds: -250 });
  const { context, cookie } = await signedIn(browser, 'burst');
  await cluster.emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
  await cluster.emulator.hook('DELETE', '/_local/stats');

  const before = cluster.served();
  const answers = await Promise.all(
    Array.from({ length: 20 }, () => fetch(`${cluster.url}/files`, { headers: { cookie }, redirect: 'manual' })),
  );
  const after = cluster.served();
  expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
  expect(after.map((count, index) => count - (before[index] ?? 0)).every((count) => count >= 5)).toBe(true);
  expect((await stats())['token:refresh_token']).toBe(1);
  // Whichever answer's cookie the browser keeps, the session goes on.
  const fresh = answers.flatMap((answer) => answer.headers.getSetCookie()).map((line) => line.split(';')[0] ?? '');
  expect(fresh.length).toBeGreaterThan(0);
  const again = await fetch(`${cluster.url}/files`, { headers: { cookie }, redirect: 'manual' });
  expect(again.status).toBe(200);
  await context.close();
});

test('sign-out on instance A: a saved copy of the cookie is refused on A and on B at once', async ({ browser }) => {
  const { context, cookie } = await signedIn(browser, 'revoked');
  const [instanceA, instanceB] = cluster.instances;
  for (const instance of [instanceA, instanceB]) {
    expect((await fetch(`${instance}/files`, { headers: { cookie }, redirect: 'manual' })).status).toBe(200);
  }
  const logout = await fetch(`${instanceA}/auth/logout`, {
    method: 'POST',
    headers: { cookie, origin: cluster.url },
    redirect: 'manual',
  });
  expect(logout.status).toBe(303);
  for (const instance of [instanceA, instanceB]) {
    const answer = await fetch(`${instance}/files`, { headers: { cookie }, redirect: 'manual' });
    expect(answer.status).toBe(307);
    expect(answer.headers.get('location')).toContain('/auth/login');
  }
  await context.close();
});

test('a file uploaded through one instance is listed by the other at once', async ({ browser }) => {
  const { context, page, cookie } = await signedIn(browser, 'readwrite');
  const [instanceA, instanceB] = cluster.instances;
  // Both instances read (and cache) the empty listing first.
  for (const instance of [instanceA, instanceB]) {
    expect(await (await fetch(`${instance}/files`, { headers: { cookie } })).text()).toContain('No files yet');
  }
  await page.getByTestId('file-input').setInputFiles({ name: 'shared.txt', mimeType: 'text/plain', buffer: Buffer.from('hi\n') });
  await expect(page.getByTestId('file-row')).toHaveCount(1);
  for (const instance of [instanceA, instanceB]) {
    expect(await (await fetch(`${instance}/files`, { headers: { cookie: await cookieHeader(context) } })).text()).toContain(
      'shared.txt',
    );
  }
  await context.close();
});
