import * as client from 'openid-client';
import { type Authorization, authorization, type Browser, configFor, expectRedirect } from './cognito-login';
import type { EmulatorProcess } from './emulator-process';

/**
 * Federated sign-in through the emulator over HTTP, as a browser does it: the app's authorize
 * request with `identity_provider` or `idp_identifier`, the emulated provider's sign-in page (its
 * form read from the HTML and posted), the pool's `/oauth2/idpresponse`, then the app's callback.
 * For integration tests only.
 */

/** The hidden inputs of an HTML form, by name. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[match[1] ?? ''] = decodeEntities(match[2] ?? '');
  }
  return fields;
}

function decodeEntities(value: string): string {
  return value.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

export interface FederatedAttempt {
  auth: Authorization;
  /** Where the pool sent the browser first (the provider's authorize URL). */
  providerAuthorize: URL;
  /** The app's callback URL the flow ended on (with `code`, or `error`). */
  callback: URL;
}

/**
 * Runs the whole federated flow in `browser` and returns the app's callback URL. `action` is the
 * button pressed on the provider's page.
 */
export async function federatedAttempt(
  emulator: EmulatorProcess,
  browser: Browser,
  input: { by: Record<string, string>; email: string; name?: string; action?: 'continue' | 'cancel' },
): Promise<FederatedAttempt> {
  const config = await configFor(emulator);
  const auth = await authorization(emulator, config, input.by);
  const providerAuthorize = await expectRedirect(await browser.fetch(auth.url));
  const page = await browser.fetch(providerAuthorize);
  if (page.status !== 200) throw new Error(`provider page answered ${page.status}: ${(await page.text()).slice(0, 300)}`);
  const html = await page.text();
  const action = new URL(/<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '', providerAuthorize);
  const idpResponse = await expectRedirect(
    await browser.post(action, {
      ...hiddenFields(html),
      email: input.email,
      name: input.name ?? '',
      action: input.action ?? 'continue',
    }),
  );
  const callback = await expectRedirect(await browser.fetch(idpResponse));
  return { auth, providerAuthorize, callback };
}

/** A federated sign-in redeemed by openid-client (state, PKCE and nonce checked); returns the tokens. */
export async function federatedSignIn(
  emulator: EmulatorProcess,
  browser: Browser,
  input: { by: Record<string, string>; email: string; name?: string },
): Promise<{ idToken: string; accessToken: string; refreshToken: string }> {
  const { auth, callback } = await federatedAttempt(emulator, browser, input);
  const tokens = await client.authorizationCodeGrant(await configFor(emulator), callback, {
    pkceCodeVerifier: auth.verifier,
    expectedState: auth.state,
    expectedNonce: auth.nonce,
    idTokenExpected: true,
  });
  if (!tokens.id_token || !tokens.refresh_token) throw new Error('token response lacks id_token or refresh_token');
  return { idToken: tokens.id_token, accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
}
