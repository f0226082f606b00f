import { createHmac } from 'node:crypto';
import {
  AdminInitiateAuthCommand,
  InitiateAuthCommand,
  InvalidParameterException,
  NotAuthorizedException,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authorization, Browser, configFor, createUser, expectRedirect, idpClient } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';

/**
 * Cognito's temporary lockout after failed password sign-ins, over HTTP: the managed-login form and
 * the user-pool API (official SDK) share one count per user. Lockouts are 1, 2, 4… seconds, so the
 * tests never wait: "still locked" is checked with the emulator's clock moved back (as if the next
 * attempt came at once, however slow this machine is), "lock over" with it moved forward.
 */

let emulator: EmulatorProcess;
const PASSWORD = 'Passw0rd!';
const WRONG = 'Wrong-passw0rd';
let offset = 0;

async function moveClock(seconds: number): Promise<void> {
  offset += seconds;
  await emulator.hook('POST', '/_local/clock', { offsetSeconds: offset });
}

/** As if the next attempt came right after the last one: the clock goes back well past any short lockout. */
const instantly = () => moveClock(-30);
/** Past a lockout of `seconds` (and the 30 s `instantly` took back). */
const pastLock = (seconds: number) => moveClock(30 + seconds + 1);

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  await emulator.hook('POST', '/_local/settings', { adminUserPasswordAuth: true });
});
afterAll(async () => {
  await emulator?.stop();
});
beforeEach(async () => {
  offset = 0;
  await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
});

function secretHash(username: string): string {
  const { clientId, clientSecret } = emulator.config;
  return createHmac('sha256', clientSecret)
    .update(username + clientId)
    .digest('base64');
}

/** AdminInitiateAuth with a password; resolves to the error's name and message, or 'ok'. */
async function apiSignIn(email: string, password: string): Promise<string> {
  try {
    const result = await idpClient(emulator).send(
      new AdminInitiateAuthCommand({
        UserPoolId: emulator.config.userPoolId,
        ClientId: emulator.config.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: secretHash(email) },
      }),
    );
    return result.AuthenticationResult?.AccessToken ? 'ok' : 'no tokens';
  } catch (error) {
    if (!(error instanceof NotAuthorizedException)) throw error;
    return `${error.name}: ${error.message}`;
  }
}

/** Posts the managed-login form once; resolves to 'signed in' or the page's alert text. */
async function formSignIn(email: string, password: string): Promise<string> {
  const auth = await authorization(emulator, await configFor(emulator));
  const browser = new Browser();
  const login = await expectRedirect(await browser.fetch(auth.url));
  const response = await browser.post(login, { username: email, password });
  if (response.status === 302) {
    const location = new URL(response.headers.get('location') ?? '', login);
    return location.pathname === '/auth/callback' && location.searchParams.has('code') ? 'signed in' : location.href;
  }
  const alert = /<p class="error" role="alert">([^<]*)<\/p>/.exec(await response.text());
  return `${response.status} ${alert?.[1] ?? 'no alert'}`;
}

const INCORRECT = 'NotAuthorizedException: Incorrect username or password.';
const EXCEEDED = 'NotAuthorizedException: Password attempts exceeded';

describe('password lockout through the user-pool API (AdminInitiateAuth)', () => {
  it('answers "Password attempts exceeded" after 5 failures, even to the right password, until the lock ends', async () => {
    const email = 'api-lock@example.com';
    await createUser(emulator, { email, password: PASSWORD });
    for (let attempt = 1; attempt <= 5; attempt += 1) expect(await apiSignIn(email, WRONG)).toBe(INCORRECT);
    await instantly();
    expect(await apiSignIn(email, PASSWORD)).toBe(EXCEEDED);
    expect(await apiSignIn(email, WRONG)).toBe(EXCEEDED);
    await pastLock(1);
    expect(await apiSignIn(email, PASSWORD)).toBe('ok');
  });

  it('locks again after each further failure and starts counting again after a success', async () => {
    // The lengths themselves (1, 2, 4 … s, at most 15 min) are checked exactly in tests/unit/emulator-cognito-lockout.test.ts.
    const email = 'api-again@example.com';
    await createUser(emulator, { email, password: PASSWORD });
    for (let attempt = 1; attempt <= 5; attempt += 1) expect(await apiSignIn(email, WRONG)).toBe(INCORRECT);
    await pastLock(1);
    expect(await apiSignIn(email, WRONG)).toBe(INCORRECT);
    await instantly();
    expect(await apiSignIn(email, PASSWORD)).toBe(EXCEEDED);
    await pastLock(2);
    expect(await apiSignIn(email, PASSWORD)).toBe('ok');
    // Counting starts again: four failures are free once more.
    for (let attempt = 1; attempt <= 4; attempt += 1) expect(await apiSignIn(email, WRONG)).toBe(INCORRECT);
    await instantly();
    expect(await apiSignIn(email, PASSWORD)).toBe('ok');
  });

  it('forgets the failures after 15 quiet minutes', async () => {
    const email = 'api-quiet@example.com';
    await createUser(emulator, { email, password: PASSWORD });
    for (let attempt = 1; attempt <= 5; attempt += 1) expect(await apiSignIn(email, WRONG)).toBe(INCORRECT);
    await moveClock(15 * 60 + 1);
    // Had the count gone on, this 6th failure would lock the user out for 2 s.
    expect(await apiSignIn(email, WRONG)).toBe(INCORRECT);
    await instantly();
    expect(await apiSignIn(email, PASSWORD)).toBe('ok');
  });

  it('locks out names that have no account the same way, so a lockout reveals nothing', async () => {
    const email = 'nobody-here@example.com';
    for (let attempt = 1; attempt <= 5; attempt += 1) expect(await apiSignIn(email, WRONG)).toBe(INCORRECT);
    await instantly();
    expect(await apiSignIn(email, WRONG)).toBe(EXCEEDED);
  });

  it('signs in with tokens for the API scope, and refuses the password flow the client has not enabled', async () => {
    const email = 'api-tokens@example.com';
    const { sub } = await createUser(emulator, { email, password: PASSWORD });
    const { AuthenticationResult } = await idpClient(emulator).send(
      new AdminInitiateAuthCommand({
        UserPoolId: emulator.config.userPoolId,
        ClientId: emulator.config.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD, SECRET_HASH: secretHash(email) },
      }),
    );
    expect(AuthenticationResult).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
    expect(decodeJwt(AuthenticationResult?.AccessToken ?? '')).toMatchObject({ sub, scope: 'aws.cognito.signin.user.admin' });
    expect(decodeJwt(AuthenticationResult?.IdToken ?? '')).toMatchObject({ sub, email, token_use: 'id' });
    const refused = await idpClient(emulator)
      .send(
        new InitiateAuthCommand({
          ClientId: emulator.config.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD, SECRET_HASH: secretHash(email) },
        }),
      )
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidParameterException);
    expect((refused as Error).message).toBe('USER_PASSWORD_AUTH flow not enabled for this client');
  });
});

describe('password lockout on the managed-login page', () => {
  it('shows a kind message with the wait on the 6th attempt, then lets the person in', async () => {
    const email = 'page-lock@example.com';
    await createUser(emulator, { email, password: PASSWORD });
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect(await formSignIn(email, WRONG)).toBe('400 Incorrect username or password.');
    }
    await instantly();
    expect(await formSignIn(email, PASSWORD)).toMatch(/^400 Too many failed attempts\. Wait \d+ seconds and try again\.$/);
    await pastLock(1);
    expect(await formSignIn(email, PASSWORD)).toBe('signed in');
  });

  it('counts failures on the page and through the API together', async () => {
    const email = 'shared-lock@example.com';
    await createUser(emulator, { email, password: PASSWORD });
    for (let attempt = 1; attempt <= 3; attempt += 1) expect(await formSignIn(email, WRONG)).toMatch(/^400 Incorrect/);
    for (let attempt = 1; attempt <= 2; attempt += 1) expect(await apiSignIn(email, WRONG)).toBe(INCORRECT);
    await instantly();
    expect(await formSignIn(email, PASSWORD)).toMatch(/^400 Too many failed attempts/);
    expect(await apiSignIn(email, PASSWORD)).toBe(EXCEEDED);
  });
});
