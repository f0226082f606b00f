import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Authorization, authorization, Browser, configFor, expectRedirect } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { credentialsFor } from '../helpers/identity-credentials';

/**
 * SAML federation end to end over HTTP: openid-client is the app, a cookie-keeping fetch is the
 * browser, the emulated Globex IdP signs the assertion and the pool verifies it at
 * `/saml2/idpresponse`. Failures must end in Cognito's error redirect to the app, never a crash.
 */

let emulator: EmulatorProcess;
let config: client.Configuration;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  config = await configFor(emulator);
});
afterAll(async () => {
  await emulator?.stop();
});
afterEach(async () => {
  await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
});

const GLOBEX = () => `${emulator.url}/_idp/globex`;
const ACS = () => `${emulator.config.domain}/saml2/idpresponse`;

/** The value of a form field in an HTML page (the emulator escapes attribute values as `&#NN;`). */
function field(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match?.[1]) throw new Error(`no field ${name} in:\n${html.slice(0, 1000)}`);
  return match[1].replace(/&#(\d+);/g, (_all, code: string) => String.fromCharCode(Number(code)));
}

/** What the IdP's HTTP-POST page would submit to the pool. */
interface PostBinding {
  action: string;
  SAMLResponse: string;
  RelayState: string;
}

/** Authorize with `params` → the pool's redirect to Globex's SSO URL. */
async function toIdp(browser: Browser, params: Record<string, string> = { identity_provider: 'Globex' }) {
  const auth = await authorization(emulator, config, params);
  const sso = await expectRedirect(await browser.fetch(auth.url));
  return { auth, sso };
}

/** At Globex: open the sign-in page for `sso`, then Continue (with email and name) or Cancel. */
async function atIdp(
  browser: Browser,
  sso: URL,
  answer: { email?: string; name?: string; cancel?: boolean },
): Promise<PostBinding> {
  const page = await browser.fetch(sso);
  expect(page.status).toBe(200);
  const html = await page.text();
  const posted = await browser.post(`${GLOBEX()}/sso`, {
    SAMLRequest: field(html, 'SAMLRequest'),
    RelayState: field(html, 'RelayState'),
    email: answer.email ?? '',
    name: answer.name ?? '',
    action: answer.cancel ? 'cancel' : 'continue',
  });
  expect(posted.status).toBe(200);
  const form = await posted.text();
  const action = /<form id="saml-post" method="post" action="([^"]+)"/.exec(form)?.[1];
  if (!action) throw new Error(`no auto-post form in:\n${form.slice(0, 1000)}`);
  return { action, SAMLResponse: field(form, 'SAMLResponse'), RelayState: field(form, 'RelayState') };
}

/** Posts the SAMLResponse to the pool and returns where the pool sends the browser. */
async function toPool(browser: Browser, binding: PostBinding): Promise<URL> {
  return expectRedirect(
    await browser.post(binding.action, { SAMLResponse: binding.SAMLResponse, RelayState: binding.RelayState }),
  );
}

async function tokensFrom(auth: Authorization, callback: URL) {
  return client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: auth.verifier,
    expectedState: auth.state,
    expectedNonce: auth.nonce,
    idTokenExpected: true,
  });
}

/** A whole sign-in with Globex; returns the decoded ID token and the tokens. */
async function signInWithGlobex(email: string, name: string, params?: Record<string, string>) {
  const browser = new Browser();
  const { auth, sso } = await toIdp(browser, params);
  const callback = await toPool(browser, await atIdp(browser, sso, { email, name }));
  const tokens = await tokensFrom(auth, callback);
  if (!tokens.id_token) throw new Error('no id_token');
  return { tokens, id: decodeJwt(tokens.id_token), idToken: tokens.id_token };
}

function expectErrorRedirect(location: URL, auth: Authorization, error: string, description: RegExp): void {
  expect(`${location.origin}${location.pathname}`).toBe(`${emulator.config.appUrl}/auth/callback`);
  expect(location.searchParams.get('error')).toBe(error);
  expect(location.searchParams.get('error_description')).toMatch(description);
  expect(location.searchParams.get('state')).toBe(auth.state);
  expect(location.searchParams.get('code')).toBeNull();
}

describe('SAML federation: the pool sends the browser to the IdP', () => {
  it('redirects identity_provider=Globex and idp_identifier=globex.example to the SSO URL from the metadata', async () => {
    const metadata = await (await fetch(`${GLOBEX()}/metadata`)).text();
    expect(metadata).toContain(`entityID="${GLOBEX()}"`);
    expect(metadata).toMatch(/<ds:X509Certificate>[A-Za-z0-9+/=]{500,}<\/ds:X509Certificate>/);
    const ways: Record<string, string>[] = [{ identity_provider: 'Globex' }, { idp_identifier: 'GLOBEX.example' }];
    for (const params of ways) {
      const { sso } = await toIdp(new Browser(), params);
      expect(`${sso.origin}${sso.pathname}`).toBe(`${GLOBEX()}/sso`);
      expect(sso.searchParams.get('RelayState')).toMatch(/^[\w-]{20,}$/);
      const request = inflateRawSync(Buffer.from(sso.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
      expect(request).toContain(`AssertionConsumerServiceURL="${ACS()}"`);
      expect(request).toContain(`>urn:amazon:cognito:sp:${emulator.config.userPoolId}</saml2:Issuer>`);
    }
  });
});

describe('SAML federation: a successful sign-in', () => {
  it('ends with tokens for the federated user Globex_<NameID>, in the provider group, with identities', async () => {
    const { id, tokens, idToken } = await signInWithGlobex('Wile.Coyote@globex.example', 'Wile E. Coyote');
    const username = id['cognito:username'] as string;
    expect(username).toMatch(/^Globex_[0-9a-f-]{36}$/);
    expect(id).toMatchObject({
      email: 'wile.coyote@globex.example',
      name: 'Wile E. Coyote',
      'cognito:groups': [`${emulator.config.userPoolId}_Globex`],
      iss: emulator.config.issuer,
      aud: emulator.config.clientId,
    });
    expect(id.identities).toEqual([
      {
        userId: username.slice('Globex_'.length),
        providerName: 'Globex',
        providerType: 'SAML',
        issuer: GLOBEX(),
        primary: 'true',
        dateCreated: expect.stringMatching(/^\d{13}$/),
      },
    ]);
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      username,
      'cognito:groups': [`${emulator.config.userPoolId}_Globex`],
    });
    const { identityId, credentials } = await credentialsFor(emulator, idToken);
    expect(identityId).toMatch(/^us-east-1:/);
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
  });

  it('reuses the user on a second sign-in with the same IdP identity', async () => {
    const first = await signInWithGlobex('road.runner@globex.example', 'Road Runner');
    const second = await signInWithGlobex('Road.Runner@globex.example', 'R. Runner');
    expect(second.id['cognito:username']).toBe(first.id['cognito:username']);
    expect(second.id.sub).toBe(first.id.sub);
    expect(second.id.name).toBe('R. Runner');
    const other = await signInWithGlobex('someone.else@globex.example', 'Someone');
    expect(other.id.sub).not.toBe(first.id.sub);
  });
});

describe('SAML federation: what the pool refuses, with an error redirect to the app', () => {
  it('refuses an assertion changed after signing', async () => {
    const browser = new Browser();
    const { auth, sso } = await toIdp(browser);
    const binding = await atIdp(browser, sso, { email: 'mallory@globex.example', name: 'Mallory' });
    const xml = Buffer.from(binding.SAMLResponse, 'base64').toString('utf8');
    expect(xml).toContain('mallory@globex.example');
    const tampered = Buffer.from(xml.replace('mallory@globex.example', 'ceo@globex.example'), 'utf8').toString('base64');
    const location = await toPool(browser, { ...binding, SAMLResponse: tampered });
    expectErrorRedirect(location, auth, 'server_error', /^Invalid SAML response received: SAML Assertion signature is invalid/);
  });

  it('refuses a SAMLResponse posted a second time', async () => {
    const browser = new Browser();
    const { auth, sso } = await toIdp(browser);
    const binding = await atIdp(browser, sso, { email: 'replay@globex.example', name: 'Replay' });
    const first = await toPool(browser, binding);
    expect(first.searchParams.get('code')).toMatch(/^[0-9a-f-]{36}$/);
    const again = await toPool(new Browser(), binding);
    expectErrorRedirect(again, auth, 'invalid_request', /already used/);
  });

  it('refuses a SAMLResponse answering another AuthnRequest', async () => {
    const browser = new Browser();
    const { sso } = await toIdp(browser);
    const binding = await atIdp(browser, sso, { email: 'swap@globex.example' });
    const { auth: second, sso: secondSso } = await toIdp(browser);
    const location = await toPool(browser, { ...binding, RelayState: secondSso.searchParams.get('RelayState') ?? '' });
    expectErrorRedirect(location, second, 'invalid_request', /InResponseTo/);
  });

  it('refuses an expired assertion (emulator clock moved past NotOnOrAfter and the skew)', async () => {
    const browser = new Browser();
    const { auth, sso } = await toIdp(browser);
    const binding = await atIdp(browser, sso, { email: 'late@globex.example' });
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 7 * 60 });
    const location = await toPool(browser, binding);
    expectErrorRedirect(location, auth, 'server_error', /expired/);
  });

  it('refuses an assertion for another audience', async () => {
    const browser = new Browser();
    const { auth, sso } = await toIdp(browser);
    const request = inflateRawSync(Buffer.from(sso.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
    const otherPool = request.replace(
      `urn:amazon:cognito:sp:${emulator.config.userPoolId}`,
      'urn:amazon:cognito:sp:us-east-1_OtherPool',
    );
    expect(otherPool).not.toBe(request);
    const misaddressed = new URL(sso);
    misaddressed.searchParams.set('SAMLRequest', deflateRawSync(Buffer.from(otherPool, 'utf8')).toString('base64'));
    const location = await toPool(browser, await atIdp(browser, misaddressed, { email: 'aud@globex.example' }));
    expectErrorRedirect(location, auth, 'server_error', /audience/);
  });

  it('sends the person back to the app with access_denied when they cancel at the IdP', async () => {
    const browser = new Browser();
    const { auth, sso } = await toIdp(browser);
    const binding = await atIdp(browser, sso, { cancel: true });
    const xml = Buffer.from(binding.SAMLResponse, 'base64').toString('utf8');
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:status:AuthnFailed');
    const location = await toPool(browser, binding);
    expectErrorRedirect(location, auth, 'access_denied', /status urn:oasis:names:tc:SAML:2\.0:status:Responder/);
  });

  it('refuses a RelayState that names an OIDC provider’s pending sign-in', async () => {
    const browser = new Browser();
    const auth = await authorization(emulator, config, { identity_provider: 'Google' });
    const google = await expectRedirect(await browser.fetch(auth.url));
    const state = google.searchParams.get('state');
    expect(state).toBeTruthy();
    const location = await toPool(browser, { action: ACS(), SAMLResponse: 'PHg+', RelayState: state ?? '' });
    expectErrorRedirect(location, auth, 'invalid_request', /^Invalid samlResponse or relayState from identity provider$/);
  });

  it('answers an unknown RelayState with the error page (no app to redirect to)', async () => {
    const location = await toPool(new Browser(), { action: ACS(), SAMLResponse: 'PHg+', RelayState: 'unknown' });
    expect(location.pathname).toBe('/error');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    const page = await fetch(location);
    expect(page.status).toBe(400);
  });

  it('keeps the person at the IdP when the email is missing, and refuses requests from unregistered applications', async () => {
    const browser = new Browser();
    const { sso } = await toIdp(browser);
    const html = await (await browser.fetch(sso)).text();
    const missing = await browser.post(`${GLOBEX()}/sso`, {
      SAMLRequest: field(html, 'SAMLRequest'),
      RelayState: field(html, 'RelayState'),
      email: 'not-an-email',
      action: 'continue',
    });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Enter your email address.');
    const request = inflateRawSync(Buffer.from(sso.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
    const foreign = new URL(sso);
    foreign.searchParams.set(
      'SAMLRequest',
      deflateRawSync(Buffer.from(request.replace(ACS(), 'https://evil.example/acs'), 'utf8')).toString('base64'),
    );
    const refused = await browser.fetch(foreign);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('not registered with Globex');
  });
});
