import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  GroupExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import * as client from 'openid-client';
import type { EmulatorProcess } from './emulator-process';

/**
 * Test helpers for the emulator's user pool: create users through the official SDK and sign in
 * through the real managed-login flow (authorization code + PKCE with openid-client, the login
 * form posted with fetch). For integration tests only.
 */

/** The official user-pool SDK client, pointed at the emulator (credentials are not checked). */
export function idpClient(emulator: EmulatorProcess): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: emulator.url,
    region: emulator.config.region,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
}

/**
 * Creates a CONFIRMED user with a verified email and a permanent password (AdminCreateUser with
 * MessageAction SUPPRESS, AdminSetUserPassword Permanent), in `groups` (created if missing).
 */
export async function createUser(
  emulator: EmulatorProcess,
  input: { email: string; password: string; groups?: string[] },
): Promise<{ username: string; sub: string }> {
  const idp = idpClient(emulator);
  const UserPoolId = emulator.config.userPoolId;
  const created = await idp.send(
    new AdminCreateUserCommand({
      UserPoolId,
      Username: input.email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: input.email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  const username = created.User?.Username;
  const sub = created.User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  if (!username || !sub) throw new Error('AdminCreateUser returned no username/sub');
  await idp.send(new AdminSetUserPasswordCommand({ UserPoolId, Username: username, Password: input.password, Permanent: true }));
  for (const group of input.groups ?? []) {
    try {
      await idp.send(new CreateGroupCommand({ UserPoolId, GroupName: group }));
    } catch (error) {
      if (!(error instanceof GroupExistsException)) throw error;
    }
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: username, GroupName: group }));
  }
  return { username, sub };
}

/** The openid-client Configuration for the emulator's pool (discovery over loopback http, client_secret_post). */
export async function configFor(
  emulator: EmulatorProcess,
  clientAuthentication: client.ClientAuth = client.ClientSecretPost(emulator.config.clientSecret),
): Promise<client.Configuration> {
  return client.discovery(new URL(emulator.config.issuer), emulator.config.clientId, undefined, clientAuthentication, {
    execute: [client.allowInsecureRequests],
  });
}

/** A minimal cookie-keeping browser over fetch: never follows redirects, so tests see each 302. */
export class Browser {
  readonly cookies = new Map<string, string>();

  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Posts a form (`application/x-www-form-urlencoded`) to `url`. */
  post(url: string | URL, fields: Record<string, string>): Promise<Response> {
    return this.fetch(url, { method: 'POST', body: new URLSearchParams(fields) });
  }
}

/** One authorization request: its URL plus the secrets the callback check needs. */
export interface Authorization {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

/** Builds an authorize URL for the app's callback with PKCE S256, state and nonce. */
export async function authorization(
  emulator: EmulatorProcess,
  config: client.Configuration,
  extra: Record<string, string> = {},
): Promise<Authorization> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = extra.nonce ?? client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: `${emulator.config.appUrl}/auth/callback`,
    scope: 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...extra,
    nonce,
  });
  return { url, verifier, state, nonce };
}

/** The `Location` of a 302, or an error showing what came instead. */
export async function expectRedirect(response: Response): Promise<URL> {
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) {
    throw new Error(`expected a 302, got ${response.status}: ${(await response.text()).slice(0, 500)}`);
  }
  return new URL(location, response.url);
}

/**
 * Runs authorize → login form → callback in `browser` and returns the callback URL (with `code`).
 * Throws if the flow does not end at the app's callback (e.g. a login error page).
 */
export async function loginThroughForm(
  browser: Browser,
  start: URL,
  credentials: { email: string; password: string },
): Promise<URL> {
  const first = await expectRedirect(await browser.fetch(start));
  if (first.pathname !== '/login') return first;
  return expectRedirect(await browser.post(first, { username: credentials.email, password: credentials.password }));
}

export interface SignedIn {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/**
 * Signs in through the real flow: openid-client builds the authorize URL (PKCE S256, state,
 * nonce), the login form is posted with fetch, and `authorizationCodeGrant` redeems the code,
 * validating the ID token (signature, iss, aud, nonce). Users with TOTP MFA are not supported here.
 */
export async function signIn(
  emulator: EmulatorProcess,
  input: { email: string; password: string; nonce?: string },
  browser: Browser = new Browser(),
): Promise<SignedIn> {
  const config = await configFor(emulator);
  const auth = await authorization(emulator, config, input.nonce ? { nonce: input.nonce } : {});
  const callback = await loginThroughForm(browser, auth.url, input);
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: auth.verifier,
    expectedState: auth.state,
    expectedNonce: auth.nonce,
    idTokenExpected: true,
  });
  if (!tokens.id_token || !tokens.refresh_token || tokens.expires_in === undefined) {
    throw new Error('token response lacks id_token, refresh_token or expires_in');
  }
  return {
    idToken: tokens.id_token,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresIn: tokens.expires_in,
  };
}
