import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorization, Browser, configFor, createUser, expectRedirect, loginThroughForm } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';

let emulator: EmulatorProcess;
let config: client.Configuration;
let callbackUrl: string;
const EMAIL = 'lin@example.com';
const PASSWORD = 'Passw0rd!';

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  config = await configFor(emulator);
  callbackUrl = `${emulator.config.appUrl}/auth/callback`;
  await createUser(emulator, { email: EMAIL, password: PASSWORD });
});
afterAll(async () => {
  await emulator?.stop();
});

async function authorizeWith(change: (params: URLSearchParams) => void, browser = new Browser()): Promise<URL> {
  const { url } = await authorization(emulator, config, { state: 'st-1' });
  change(url.searchParams);
  return expectRedirect(await browser.fetch(url));
}

describe('/oauth2/authorize validation', () => {
  it('sends an unknown client or unregistered redirect_uri to the error page, never to the URI', async () => {
    for (const change of [
      (p: URLSearchParams) => p.set('client_id', 'unknownclient'),
      (p: URLSearchParams) => p.set('redirect_uri', 'https://evil.example/cb'),
      (p: URLSearchParams) => p.set('redirect_uri', `${callbackUrl}/`),
      (p: URLSearchParams) => p.delete('redirect_uri'),
    ]) {
      const location = await authorizeWith(change);
      expect(location.origin + location.pathname).toBe(`${emulator.config.domain}/error`);
      expect(location.searchParams.get('error')).toBe('redirect_mismatch');
    }
    const page = await fetch(`${emulator.url}/error?error=redirect_mismatch&client_id=x`);
    expect(await page.text()).toContain('<code id="error">redirect_mismatch</code>');
    const hostile = await (await fetch(`${emulator.url}/error?error=%3Cscript%3Ex`)).text();
    expect(hostile).not.toContain('<script>x');
    expect(hostile).toContain('&#60;script&#62;x');
  });

  it('redirects errors to the registered redirect_uri with the state', async () => {
    const cases: [string, (p: URLSearchParams) => void][] = [
      ['unauthorized_client', (p) => p.set('response_type', 'token')],
      ['invalid_request', (p) => p.set('response_type', 'id_token')],
      ['invalid_request', (p) => p.delete('code_challenge')],
      ['invalid_request', (p) => p.delete('code_challenge_method')],
      ['invalid_request', (p) => p.set('code_challenge_method', 'plain')],
      ['invalid_request', (p) => p.set('identity_provider', 'Facebook')],
    ];
    for (const [error, change] of cases) {
      const location = await authorizeWith(change);
      expect(location.origin + location.pathname).toBe(callbackUrl);
      expect(Object.fromEntries(location.searchParams)).toMatchObject({ error, state: 'st-1' });
    }
  });

  it('sends a valid request to the login page, keeping its parameters and the login_hint', async () => {
    const location = await authorizeWith((p) => {
      p.set('identity_provider', 'COGNITO');
      p.set('login_hint', 'someone@example.com');
    });
    expect(location.pathname).toBe('/login');
    expect(location.searchParams.get('state')).toBe('st-1');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    const page = await (await fetch(location)).text();
    expect(page).toContain('value="someone@example.com"');
    expect(page).toMatch(/<label for="username">/);
    expect(page).toMatch(/<input id="password" name="password" type="password"/);
  });

  it('answers prompt=none without a session with login_required', async () => {
    const location = await authorizeWith((p) => p.set('prompt', 'none'));
    expect(location.origin + location.pathname).toBe(callbackUrl);
    expect(Object.fromEntries(location.searchParams)).toEqual({ error: 'login_required', state: 'st-1' });
  });

  it('honours the authorize fault target', async () => {
    await emulator.hook('POST', '/_local/faults', { target: 'authorize', status: 503 });
    const { url } = await authorization(emulator, config);
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(503);
  });
});

describe('managed-login session', () => {
  it('skips the form on a second authorize, unless prompt=login; prompt=none succeeds', async () => {
    const browser = new Browser();
    const first = await authorization(emulator, config);
    await loginThroughForm(browser, first.url, { email: EMAIL, password: PASSWORD });
    expect(browser.cookies.has('cognito')).toBe(true);

    const second = await authorization(emulator, config);
    const callback = await expectRedirect(await browser.fetch(second.url));
    expect(callback.origin + callback.pathname).toBe(callbackUrl);
    expect(callback.searchParams.get('state')).toBe(second.state);
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: second.verifier,
      expectedState: second.state,
      expectedNonce: second.nonce,
    });
    expect(tokens.claims()?.email).toBe(EMAIL);

    const silent = await authorization(emulator, config, { prompt: 'none' });
    expect((await expectRedirect(await browser.fetch(silent.url))).searchParams.get('code')).toMatch(/^[0-9a-f-]{36}$/);

    const forced = await authorization(emulator, config, { prompt: 'login' });
    expect((await expectRedirect(await browser.fetch(forced.url))).pathname).toBe('/login');
  });

  it('expires with managedLoginSessionSeconds on the emulator clock', async () => {
    const browser = new Browser();
    await loginThroughForm(browser, (await authorization(emulator, config)).url, { email: EMAIL, password: PASSWORD });
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 3601 });
    try {
      const again = await authorization(emulator, config);
      expect((await expectRedirect(await browser.fetch(again.url))).pathname).toBe('/login');
    } finally {
      await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
    }
  });
});

describe('/logout', () => {
  it('clears the session and returns to the registered logout_uri; the next authorize shows the form', async () => {
    const browser = new Browser();
    await loginThroughForm(browser, (await authorization(emulator, config)).url, { email: EMAIL, password: PASSWORD });
    const logout = new URL('/logout', emulator.url);
    logout.searchParams.set('client_id', emulator.config.clientId);
    logout.searchParams.set('logout_uri', `${emulator.config.appUrl}/`);
    const response = await browser.fetch(logout);
    expect((await expectRedirect(response)).href).toBe(`${emulator.config.appUrl}/`);
    expect(response.headers.get('set-cookie')).toMatch(/^cognito=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0/);
    expect(browser.cookies.has('cognito')).toBe(false);
    const again = await authorization(emulator, config);
    expect((await expectRedirect(await browser.fetch(again.url))).pathname).toBe('/login');
  });

  it('refuses missing parameters and unregistered logout URIs with the error page', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'Required parameters missing'],
      [{ client_id: emulator.config.clientId }, 'Required parameters missing'],
      [{ client_id: emulator.config.clientId, logout_uri: 'https://evil.example/' }, 'redirect_mismatch'],
      [{ client_id: emulator.config.clientId, logout_uri: emulator.config.appUrl }, 'redirect_mismatch'],
      [{ client_id: 'unknownclient', logout_uri: `${emulator.config.appUrl}/` }, 'redirect_mismatch'],
    ];
    for (const [params, error] of cases) {
      const location = await expectRedirect(
        await fetch(`${emulator.url}/logout?${new URLSearchParams(params)}`, { redirect: 'manual' }),
      );
      expect(location.pathname).toBe('/error');
      expect(location.searchParams.get('error')).toBe(error);
    }
  });
});
