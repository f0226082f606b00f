import { CompleteWebAuthnRegistrationCommand, StartWebAuthnRegistrationCommand } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Authorization,
  authorization,
  Browser,
  configFor,
  createUser,
  expectRedirect,
  idpClient,
} from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { type CreationOptions, type RequestOptions, SoftAuthenticator } from '../helpers/soft-authenticator';
import { ACCOUNT_SCOPES, mailedCodes, signInForAccount } from '../helpers/user-tokens';

/**
 * Choice-based sign-in on the emulator's managed login over HTTP (a cookie-keeping fetch browser,
 * openid-client as the app): an emailed one-time code, a passkey (software authenticator), the
 * passkey offer after a password sign-in, and the `amr` each puts in the tokens.
 */

let emulator: EmulatorProcess;
let config: client.Configuration;
const PASSWORD = 'Passw0rd!';

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  config = await configFor(emulator);
});
afterEach(async () => {
  await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
  await emulator.hook('POST', '/_local/settings', { offerPasskeyAfterSignIn: false });
});
afterAll(async () => {
  await emulator?.stop();
});

let counter = 0;
async function newUser(label: string): Promise<string> {
  counter += 1;
  const email = `${label}-${counter}@example.com`;
  await createUser(emulator, { email, password: PASSWORD });
  return email;
}

/** A browser at the sign-in page of a fresh authorization: the page's URL and the flow's secrets. */
async function atLogin(browser: Browser): Promise<{ login: URL; auth: Authorization }> {
  const auth = await authorization(emulator, config, { scope: ACCOUNT_SCOPES });
  const login = await expectRedirect(await browser.fetch(auth.url));
  expect(`${login.origin}${login.pathname}`).toBe(`${emulator.config.domain}/login`);
  return { login, auth };
}

/** `/<path>?<the login page's query>` */
function page(login: URL, path: string): URL {
  return new URL(`${path}${login.search}`, login);
}

function field(html: string, name: string): string {
  const value = new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
  if (value === undefined) throw new Error(`no ${name} field in ${html.slice(0, 300)}`);
  return value;
}

function dataOptions<T>(html: string): T {
  const raw = /data-options="([^"]*)"/.exec(html)?.[1];
  if (!raw) throw new Error('no data-options on the page');
  return JSON.parse(raw.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))) as T;
}

async function redeem(auth: Authorization, callback: URL) {
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: auth.verifier,
    expectedState: auth.state,
    expectedNonce: auth.nonce,
    idTokenExpected: true,
  });
  return { id: decodeJwt(tokens.id_token ?? ''), access: decodeJwt(tokens.access_token), refreshToken: tokens.refresh_token };
}

async function startEmailCode(browser: Browser, login: URL, email: string): Promise<string> {
  const response = await browser.post(page(login, '/passwordless/email'), { username: email });
  expect(response.status).toBe(200);
  return field(await response.text(), 'session');
}

describe('email one-time code', () => {
  it('signs in with the mailed code, no password; the tokens say amr email_otp', async () => {
    const email = await newUser('email');
    const browser = new Browser();
    const { login, auth } = await atLogin(browser);
    const session = await startEmailCode(browser, login, email);
    const [code] = await mailedCodes(emulator, email);
    expect(code).toMatch(/^\d{6}$/);
    const callback = await expectRedirect(
      await browser.post(page(login, '/passwordless/email/verify'), { session, username: email, code: code ?? '' }),
    );
    expect(`${callback.origin}${callback.pathname}`).toBe(`${emulator.config.appUrl}/auth/callback`);
    const tokens = await redeem(auth, callback);
    expect(tokens.id.amr).toEqual(['email_otp']);
    expect(tokens.access.amr).toEqual(['email_otp']);
    expect(tokens.id.email).toBe(email);
  });

  it('refuses a wrong code, and after three wrong ones the right one too', async () => {
    const email = await newUser('wrong');
    const browser = new Browser();
    const { login } = await atLogin(browser);
    const session = await startEmailCode(browser, login, email);
    const [code = ''] = await mailedCodes(emulator, email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const answer = await browser.post(page(login, '/passwordless/email/verify'), { session, username: email, code: wrong });
      expect(answer.status).toBe(400);
      expect(await answer.text()).toContain('Invalid verification code provided, please try again.');
    }
    const late = await browser.post(page(login, '/passwordless/email/verify'), { session, username: email, code });
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('too many wrong codes');
  });

  it('refuses the code once its three minutes are over', async () => {
    const email = await newUser('expired');
    const browser = new Browser();
    const { login } = await atLogin(browser);
    const session = await startEmailCode(browser, login, email);
    const [code = ''] = await mailedCodes(emulator, email);
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 181 });
    const answer = await browser.post(page(login, '/passwordless/email/verify'), { session, username: email, code });
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('Your code has expired');
  });

  it('answers an unknown address like a known one, and mails nothing', async () => {
    const browser = new Browser();
    const { login } = await atLogin(browser);
    const session = await startEmailCode(browser, login, 'nobody@example.com');
    expect(session).toMatch(/^[\w-]{20,}$/);
    expect(await mailedCodes(emulator, 'nobody@example.com')).toEqual([]);
  });
});

/** Registers a passkey for `email` through the API, as the app's account page does. */
async function registerPasskey(email: string, authenticator: SoftAuthenticator): Promise<void> {
  const { accessToken } = await signInForAccount(emulator, { email, password: PASSWORD });
  const started = await idpClient(emulator).send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }));
  const options = started.CredentialCreationOptions as unknown as CreationOptions;
  const Credential = authenticator.register(options, emulator.config.appUrl) as unknown as Record<string, never>;
  await idpClient(emulator).send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential }));
}

async function passkeySignIn(browser: Browser, email: string, authenticator: SoftAuthenticator) {
  const { login, auth } = await atLogin(browser);
  const offered = await browser.post(page(login, '/passwordless/passkey'), { username: email });
  expect(offered.status).toBe(200);
  const html = await offered.text();
  const options = dataOptions<RequestOptions & { allowCredentials: { id: string }[] }>(html);
  expect(options.rpId).toBe('localhost');
  expect(options.allowCredentials.map((credential) => credential.id)).toEqual([authenticator.id]);
  const credential = JSON.stringify(authenticator.assert(options, emulator.config.domain));
  const answer = await browser.post(page(login, '/passwordless/passkey/verify'), { session: field(html, 'session'), credential });
  return { answer, auth };
}

describe('passkey', () => {
  it('signs in with a passkey and no password; amr swk; a replayed counter is refused', async () => {
    const email = await newUser('passkey');
    const authenticator = new SoftAuthenticator();
    await registerPasskey(email, authenticator);

    const { answer, auth } = await passkeySignIn(new Browser(), email, authenticator);
    const tokens = await redeem(auth, await expectRedirect(answer));
    expect(tokens.id.email).toBe(email);
    expect(tokens.id.amr).toEqual(['swk']);

    // A cloned authenticator (its counter behind the one stored) is not accepted.
    authenticator.counter = 0;
    const cloned = await passkeySignIn(new Browser(), email, authenticator);
    expect(cloned.answer.status).toBe(400);
    expect(await cloned.answer.text()).toContain('Your passkey could not be verified');
  });

  it('says so when the account has no passkey', async () => {
    const email = await newUser('nopasskey');
    const browser = new Browser();
    const { login } = await atLogin(browser);
    const answer = await browser.post(page(login, '/passwordless/passkey'), { username: email });
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('There is no passkey for this account.');
  });
});

describe('password sign-in', () => {
  it('puts amr pwd in the tokens and keeps it on refresh', async () => {
    const email = await newUser('pwd');
    const browser = new Browser();
    const { login, auth } = await atLogin(browser);
    const callback = await expectRedirect(await browser.post(login, { username: email, password: PASSWORD }));
    const tokens = await redeem(auth, callback);
    expect(tokens.id.amr).toEqual(['pwd']);
    const refreshed = await client.refreshTokenGrant(config, tokens.refreshToken ?? '');
    expect(decodeJwt(refreshed.id_token ?? '').amr).toEqual(['pwd']);
  });

  it('offers to add a passkey on /passkeys/add when the pool does, and the new passkey signs in', async () => {
    await emulator.hook('POST', '/_local/settings', { offerPasskeyAfterSignIn: true });
    const email = await newUser('offer');
    const browser = new Browser();
    const { login, auth } = await atLogin(browser);
    const offer = await expectRedirect(await browser.post(login, { username: email, password: PASSWORD }));
    expect(`${offer.origin}${offer.pathname}`).toBe(`${emulator.config.domain}/passkeys/add`);
    const addPage = await browser.fetch(offer);
    expect(addPage.status).toBe(200);
    const html = await addPage.text();
    expect(html).toContain('Not now');
    const authenticator = new SoftAuthenticator();
    const credential = JSON.stringify(authenticator.register(dataOptions<CreationOptions>(html), emulator.config.domain));
    const back = await expectRedirect(await browser.post(offer, { credential }));
    expect(back.pathname).toBe('/oauth2/authorize');
    const callback = await expectRedirect(await browser.fetch(back));
    expect((await redeem(auth, callback)).id.amr).toEqual(['pwd']);

    const { answer } = await passkeySignIn(new Browser(), email, authenticator);
    expect(answer.status).toBe(302);
  });

  it('without a managed-login session, /passkeys/add sends the browser to sign in', async () => {
    const browser = new Browser();
    const { login } = await atLogin(browser);
    const answer = await expectRedirect(await browser.fetch(page(login, '/passkeys/add')));
    expect(answer.pathname).toBe('/login');
  });
});
