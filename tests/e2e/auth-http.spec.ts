import { expect, test } from '@playwright/test';
import { generateKeyPair, SignJWT } from 'jose';
import { Browser, createUser, signIn } from '../helpers/cognito-login.ts';
import { E2E_APP_URL, E2E_MANAGED_LOGIN_URL } from '../helpers/e2e-env.ts';
import { e2eEmulator, PASSWORD, restoreEmulator, uniqueEmail } from './support.ts';

/**
 * Sign-in over plain HTTP against the running app and emulator: no browser, every redirect seen.
 * Returns the cookie-keeping client, signed in, and the path the app finally sent it to.
 */
async function loginOverHttp(email: string, returnTo = '/files'): Promise<{ browser: Browser; landed: string }> {
  const browser = new Browser();
  let response = await browser.fetch(`${E2E_APP_URL}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  expect(response.status).toBe(303);
  let location = new URL(response.headers.get('location') ?? '');
  expect(location.origin).toBe(E2E_MANAGED_LOGIN_URL);
  expect(location.searchParams.get('code_challenge_method')).toBe('S256');
  expect(location.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
  expect(location.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
  expect(location.searchParams.get('redirect_uri')).toBe(`${E2E_APP_URL}/auth/callback`);
  response = await browser.fetch(location);
  location = new URL(response.headers.get('location') ?? '', location);
  if (location.pathname === '/login') {
    response = await browser.post(location, { username: email, password: PASSWORD });
    location = new URL(response.headers.get('location') ?? '', location);
  }
  expect(location.toString()).toMatch(new RegExp(`^${E2E_APP_URL}/auth/callback\\?`));
  response = await browser.fetch(location);
  expect(response.status).toBe(303);
  return { browser, landed: response.headers.get('location') ?? '' };
}

function sessionCookieNames(browser: Browser): string[] {
  return [...browser.cookies.keys()].filter((name) => name.startsWith('cubby-session'));
}

test.describe('sign-in over HTTP', () => {
  test.afterEach(async () => restoreEmulator(await e2eEmulator()));

  test('a full login sets only sealed cookies and lands on returnTo', async () => {
    const emulator = await e2eEmulator();
    const email = uniqueEmail('http');
    await createUser(emulator, { email, password: PASSWORD });
    const { browser, landed } = await loginOverHttp(email, '/profile');
    expect(landed).toBe(`${E2E_APP_URL}/profile`);
    expect(sessionCookieNames(browser).length).toBeGreaterThanOrEqual(1);
    expect([...browser.cookies.keys()].filter((name) => name.startsWith('cubby-txn-'))).toEqual([]);
    const profile = await browser.fetch(`${E2E_APP_URL}/profile`);
    expect(profile.status).toBe(200);
    expect(await profile.text()).toContain(email);
  });

  test('an open-redirect returnTo falls back to /files', async () => {
    const emulator = await e2eEmulator();
    const email = uniqueEmail('redirect');
    await createUser(emulator, { email, password: PASSWORD });
    expect((await loginOverHttp(email, '//evil.example/steal')).landed).toBe(`${E2E_APP_URL}/files`);
    expect((await loginOverHttp(email, 'https://evil.example/')).landed).toBe(`${E2E_APP_URL}/files`);
  });

  test('prefetches get no transaction, and at most three transactions live at once', async () => {
    const browser = new Browser();
    const prefetch = await browser.fetch(`${E2E_APP_URL}/auth/login`, { headers: { 'next-router-prefetch': '1' } });
    expect(prefetch.status).toBe(204);
    expect(prefetch.headers.getSetCookie()).toEqual([]);
    for (let index = 0; index < 5; index += 1) await browser.fetch(`${E2E_APP_URL}/auth/login`);
    expect([...browser.cookies.keys()].filter((name) => name.startsWith('cubby-txn-')).length).toBe(3);
  });

  test('a callback with an unknown state or a Cognito error ends on a friendly page', async () => {
    const browser = new Browser();
    const unknown = await browser.fetch(`${E2E_APP_URL}/auth/callback?code=abc&state=not-a-known-state-value`);
    expect(unknown.headers.get('location')).toBe(`${E2E_APP_URL}/auth/error?code=login_expired`);

    const start = await browser.fetch(`${E2E_APP_URL}/auth/login`);
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const denied = await browser.fetch(
      `${E2E_APP_URL}/auth/callback?error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=${state}`,
    );
    expect(denied.headers.get('location')).toBe(`${E2E_APP_URL}/auth/error?code=login_denied`);
    const page = await (await browser.fetch(denied.headers.get('location') ?? '')).text();
    expect(page).toContain('Sign-in was cancelled');
    expect(page).not.toContain('<script>alert(1)');
    expect(sessionCookieNames(browser)).toEqual([]);
  });

  test('a tampered session cookie reads as signed out, never as an error', async () => {
    const emulator = await e2eEmulator();
    const email = uniqueEmail('tamper');
    await createUser(emulator, { email, password: PASSWORD });
    const { browser } = await loginOverHttp(email);
    for (const name of sessionCookieNames(browser)) {
      const value = browser.cookies.get(name) ?? '';
      browser.cookies.set(name, `${value.slice(0, -6)}AAAAAA`);
    }
    const home = await browser.fetch(`${E2E_APP_URL}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Sign in');
    const files = await browser.fetch(`${E2E_APP_URL}/files`);
    expect(files.status).toBe(307);
    expect(new URL(files.headers.get('location') ?? '', E2E_APP_URL).toString()).toBe(
      `${E2E_APP_URL}/auth/login?returnTo=%2Ffiles`,
    );
  });

  for (const rotation of [true, false]) {
    test(`20 parallel requests with expiring tokens refresh exactly once (rotation ${rotation ? 'on' : 'off'})`, async () => {
      const emulator = await e2eEmulator();
      const email = uniqueEmail(`parallel-${rotation}`);
      await createUser(emulator, { email, password: PASSWORD });
      await emulator.hook('POST', '/_local/settings', {
        idTokenValiditySeconds: 240,
        accessTokenValiditySeconds: 240,
        refreshTokenRotation: rotation,
        retryGracePeriodSeconds: 0,
      });
      // Tokens issued 3 min 20 s ago by Cognito's clock: 40 s of their 4 minutes left, inside the
      // refresh margin (a quarter of the lifetime, 60 s).
      await emulator.hook('POST', '/_local/clock', { offsetSeconds: -200 });
      const { browser } = await loginOverHttp(email);
      await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
      await emulator.hook('DELETE', '/_local/stats');
      const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => fetch(`${E2E_APP_URL}/files`, { headers: { cookie }, redirect: 'manual' })),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
      for (const response of responses) expect(await response.text()).toContain(email);
      expect(((await emulator.hook('GET', '/_local/stats')) as Record<string, number>)['token:refresh_token']).toBe(1);
    });
  }

  test('sign-out is POST-only and same-origin, revokes the refresh token and ends the managed-login session', async () => {
    const emulator = await e2eEmulator();
    const email = uniqueEmail('logout');
    await createUser(emulator, { email, password: PASSWORD });
    await emulator.hook('POST', '/_local/settings', { idTokenValiditySeconds: 240, accessTokenValiditySeconds: 240 });
    const { browser } = await loginOverHttp(email);
    const stolen = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');

    expect((await browser.fetch(`${E2E_APP_URL}/auth/logout`)).status).toBe(405);
    const crossSite = await browser.fetch(`${E2E_APP_URL}/auth/logout`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    // Refused by the proxy's CSRF check (lib/http/csrf.ts) before the route runs.
    expect(crossSite.status).toBe(403);
    expect(sessionCookieNames(browser).length).toBeGreaterThan(0);

    await emulator.hook('DELETE', '/_local/stats');
    const logout = await browser.fetch(`${E2E_APP_URL}/auth/logout`, { method: 'POST', headers: { origin: E2E_APP_URL } });
    expect(logout.status).toBe(303);
    const cognitoLogout = new URL(logout.headers.get('location') ?? '');
    expect(`${cognitoLogout.origin}${cognitoLogout.pathname}`).toBe(`${E2E_MANAGED_LOGIN_URL}/logout`);
    expect(cognitoLogout.searchParams.get('client_id')).toBe(emulator.config.clientId);
    expect(cognitoLogout.searchParams.get('logout_uri')).toBe(`${E2E_APP_URL}/`);
    expect(sessionCookieNames(browser)).toEqual([]);

    // The old cookie, replayed, is refused: sign-out revoked the session (and Cognito its refresh token).
    const replay = await fetch(`${E2E_APP_URL}/files`, { headers: { cookie: stolen }, redirect: 'manual' });
    expect(replay.status).toBe(307);
    expect(replay.headers.get('location')).toContain('/auth/login');
  });

  test('a slow or failing token endpoint gives a friendly "unavailable" page within a bounded time', async () => {
    const emulator = await e2eEmulator();
    const email = uniqueEmail('faults');
    await createUser(emulator, { email, password: PASSWORD });
    for (const fault of [
      { target: 'token', status: 503, delayMs: 0, times: 1 },
      { target: 'token', status: 200, delayMs: 9000, times: 1 },
    ]) {
      await emulator.hook('POST', '/_local/faults', fault);
      const started = Date.now();
      const browser = new Browser();
      const start = await browser.fetch(`${E2E_APP_URL}/auth/login`);
      const login = new URL(
        (await browser.fetch(start.headers.get('location') ?? '')).headers.get('location') ?? '',
        E2E_MANAGED_LOGIN_URL,
      );
      const callback = (await browser.post(login, { username: email, password: PASSWORD })).headers.get('location') ?? '';
      const result = await browser.fetch(callback);
      expect(result.headers.get('location')).toBe(`${E2E_APP_URL}/auth/error?code=idp_unavailable`);
      expect(Date.now() - started).toBeLessThan(8000);
      const page = await (await browser.fetch(result.headers.get('location') ?? '')).text();
      expect(page).toContain('Sign-in is unavailable right now');
      await emulator.hook('DELETE', '/_local/faults');
    }
  });
});

test.describe('GET /api/me with a Bearer access token', () => {
  test.afterEach(async () => restoreEmulator(await e2eEmulator()));

  test('answers for a good token and 401 for missing, expired, foreign or ID tokens', async () => {
    const emulator = await e2eEmulator();
    const email = uniqueEmail('bearer');
    const { sub } = await createUser(emulator, { email, password: PASSWORD, groups: ['admins'] });
    const tokens = await signIn(emulator, { email, password: PASSWORD });
    const me = await fetch(`${E2E_APP_URL}/api/me`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      sub,
      username: expect.any(String),
      groups: ['admins'],
      scope: ['openid', 'email', 'profile'],
    });

    const { privateKey } = await generateKeyPair('RS256');
    const foreign = await new SignJWT({ token_use: 'access', client_id: emulator.config.clientId, sub })
      .setProtectedHeader({ alg: 'RS256', kid: 'attacker' })
      .setIssuer(emulator.config.issuer)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    await emulator.hook('POST', '/_local/settings', { accessTokenValiditySeconds: 1 });
    const shortLived = await signIn(emulator, { email, password: PASSWORD });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    for (const authorization of [
      null,
      'Bearer nonsense',
      `Bearer ${foreign}`,
      `Bearer ${tokens.idToken}`,
      `Bearer ${shortLived.accessToken}`,
    ]) {
      const response = await fetch(`${E2E_APP_URL}/api/me`, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    }
  });
});
