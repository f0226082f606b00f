import { createHmac } from 'node:crypto';
import {
  CodeMismatchException,
  ConfirmSignUpCommand,
  InvalidPasswordException,
  NotAuthorizedException,
  SignUpCommand,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorization, Browser, configFor, createUser, expectRedirect, idpClient, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';

let emulator: EmulatorProcess;
let config: client.Configuration;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  config = await configFor(emulator);
});
afterAll(async () => {
  await emulator?.stop();
});

function secretHash(username: string): string {
  const { clientId, clientSecret } = emulator.config;
  return createHmac('sha256', clientSecret)
    .update(username + clientId)
    .digest('base64');
}

async function lastCode(email: string): Promise<string> {
  const { messages } = (await emulator.hook('GET', `/_local/mailbox?to=${encodeURIComponent(email)}`)) as {
    messages: { code: string | null }[];
  };
  const code = messages.at(-1)?.code;
  if (!code) throw new Error(`no mail for ${email}`);
  return code;
}

describe('SignUp / ConfirmSignUp through the SDK', () => {
  const idp = () => idpClient(emulator);
  const signUp = (email: string, password: string, hash: string | undefined = secretHash(email)) =>
    idp().send(
      new SignUpCommand({
        ClientId: emulator.config.clientId,
        SecretHash: hash,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );

  it('signs up, mails a 6-digit code, confirms with it, then signs in', async () => {
    const result = await signUp('kim@example.com', 'Passw0rd!');
    expect(result).toMatchObject({
      UserConfirmed: false,
      UserSub: expect.stringMatching(/^[0-9a-f-]{36}$/),
      CodeDeliveryDetails: { Destination: 'k***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    });
    const code = await lastCode('kim@example.com');
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === '000000' ? '111111' : '000000';
    const confirm = (value: string) =>
      idp().send(
        new ConfirmSignUpCommand({
          ClientId: emulator.config.clientId,
          SecretHash: secretHash('kim@example.com'),
          Username: 'kim@example.com',
          ConfirmationCode: value,
        }),
      );
    const mismatch = await confirm(wrong).catch((caught: unknown) => caught);
    expect(mismatch).toBeInstanceOf(CodeMismatchException);
    expect((mismatch as Error).message).toBe('Invalid verification code provided, please try again.');
    await confirm(code);
    const tokens = await signIn(emulator, { email: 'kim@example.com', password: 'Passw0rd!' });
    expect(decodeJwt(tokens.idToken)).toMatchObject({
      email: 'kim@example.com',
      email_verified: true,
      sub: result.UserSub,
    });
  });

  it('enforces the password policy with Cognito messages', async () => {
    const cases: [string, string][] = [
      ['Sh0rt', 'Password did not conform with policy: Password not long enough'],
      ['NOLOWER123', 'Password did not conform with policy: Password must have lowercase characters'],
      ['noupper123', 'Password did not conform with policy: Password must have uppercase characters'],
      ['NoDigitsHere', 'Password did not conform with policy: Password must have numeric characters'],
    ];
    for (const [password, message] of cases) {
      const error = await signUp('policy@example.com', password).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidPasswordException);
      expect((error as Error).message).toBe(message);
    }
  });

  it('refuses a taken email (any case) and a missing or wrong SecretHash', async () => {
    await signUp('dup@example.com', 'Passw0rd!');
    const taken = await signUp('DUP@example.com', 'Passw0rd!').catch((caught: unknown) => caught);
    expect(taken).toBeInstanceOf(UsernameExistsException);
    expect((taken as Error).message).toBe('An account with the given email already exists.');
    const missing = await signUp('new@example.com', 'Passw0rd!', '').catch((caught: unknown) => caught);
    expect(missing).toBeInstanceOf(NotAuthorizedException);
    expect((missing as Error).message).toBe(
      `Client ${emulator.config.clientId} is configured with secret but SECRET_HASH was not received`,
    );
    const wrong = await signUp('new@example.com', 'Passw0rd!', secretHash('other@example.com')).catch(
      (caught: unknown) => caught,
    );
    expect((wrong as Error).message).toBe(`Unable to verify secret hash for client ${emulator.config.clientId}`);
  });
});

describe('managed-login pages', () => {
  it('signs up, confirms with the mailed code and lands on the callback signed in', async () => {
    const browser = new Browser();
    const auth = await authorization(emulator, config);
    const login = await expectRedirect(await browser.fetch(auth.url));
    const signupUrl = new URL(`/signup${login.search}`, emulator.url);
    expect(await (await browser.fetch(signupUrl)).text()).toContain('<label for="email">');
    const confirmPage = await browser.post(signupUrl, { email: 'page@example.com', password: 'Passw0rd!' });
    expect(confirmPage.status).toBe(200);
    const html = await confirmPage.text();
    const session = /name="session" value="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(html).toContain('name="code"');
    const confirmUrl = new URL(`/confirm${login.search}`, emulator.url);
    const callback = await expectRedirect(
      await browser.post(confirmUrl, { username: 'page@example.com', session, code: await lastCode('page@example.com') }),
    );
    expect(callback.origin + callback.pathname).toBe(`${emulator.config.appUrl}/auth/callback`);
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: auth.verifier,
      expectedState: auth.state,
      expectedNonce: auth.nonce,
    });
    expect(tokens.claims()?.email).toBe('page@example.com');
  });

  it('words sign-in errors as Cognito does, without revealing whether the user exists', async () => {
    await createUser(emulator, { email: 'known@example.com', password: 'Passw0rd!' });
    const browser = new Browser();
    const login = await expectRedirect(await browser.fetch((await authorization(emulator, config)).url));
    for (const username of ['known@example.com', 'nobody@example.com']) {
      const response = await browser.post(login, { username, password: 'Wrong-Passw0rd' });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Incorrect username or password.');
    }
  });

  it('routes an unconfirmed user with the right password to the confirm page', async () => {
    await idpClient(emulator).send(
      new SignUpCommand({
        ClientId: emulator.config.clientId,
        SecretHash: secretHash('later@example.com'),
        Username: 'later@example.com',
        Password: 'Passw0rd!',
      }),
    );
    const browser = new Browser();
    const login = await expectRedirect(await browser.fetch((await authorization(emulator, config)).url));
    const response = await browser.post(login, { username: 'later@example.com', password: 'Passw0rd!' });
    const html = await response.text();
    expect(html).toContain('User is not confirmed.');
    expect(html).toContain('Resend code');
    const resendUrl = new URL(`/resendcode${login.search}`, emulator.url);
    const resent = await browser.post(resendUrl, { username: 'later@example.com' });
    expect(await resent.text()).toContain('A new code has been sent.');
    const { messages } = (await emulator.hook('GET', '/_local/mailbox?to=later@example.com')) as { messages: unknown[] };
    expect(messages).toHaveLength(2);
  });

  it('escapes everything it reflects', async () => {
    const browser = new Browser();
    const login = await expectRedirect(await browser.fetch((await authorization(emulator, config)).url));
    const evil = '"><script>alert(1)</script>';
    const html = await (await browser.post(login, { username: evil, password: 'x' })).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&#34;&#62;&#60;script&#62;');
  });

  it('resets a forgotten password with the mailed code', async () => {
    await createUser(emulator, { email: 'forgot@example.com', password: 'Passw0rd!' });
    const browser = new Browser();
    const login = await expectRedirect(await browser.fetch((await authorization(emulator, config)).url));
    const forgotUrl = new URL(`/forgotPassword${login.search}`, emulator.url);
    const codePage = await expectRedirect(await browser.post(forgotUrl, { username: 'forgot@example.com' }));
    expect(codePage.pathname).toBe('/confirmforgotPassword');
    const code = await lastCode('forgot@example.com');
    const wrong = await browser.post(codePage, {
      username: 'forgot@example.com',
      code: code === '000000' ? '111111' : '000000',
      password: 'N3wPassword',
    });
    expect(await wrong.text()).toContain('Invalid verification code provided, please try again.');
    const done = await expectRedirect(
      await browser.post(codePage, { username: 'forgot@example.com', code, password: 'N3wPassword' }),
    );
    expect(done.pathname).toBe('/login');
    expect(await (await browser.fetch(done)).text()).toContain('Your password has been reset.');
    await expect(signIn(emulator, { email: 'forgot@example.com', password: 'Passw0rd!' })).rejects.toThrow(/400/);
    expect((await signIn(emulator, { email: 'forgot@example.com', password: 'N3wPassword' })).idToken).toBeTruthy();
  });

  it('sends a reset request for an unknown email to the same code page, mailing nothing', async () => {
    const browser = new Browser();
    const login = await expectRedirect(await browser.fetch((await authorization(emulator, config)).url));
    const forgotUrl = new URL(`/forgotPassword${login.search}`, emulator.url);
    const codePage = await expectRedirect(await browser.post(forgotUrl, { username: 'ghost@example.com' }));
    expect(codePage.pathname).toBe('/confirmforgotPassword');
    const { messages } = (await emulator.hook('GET', '/_local/mailbox?to=ghost@example.com')) as { messages: unknown[] };
    expect(messages).toHaveLength(0);
  });
});
