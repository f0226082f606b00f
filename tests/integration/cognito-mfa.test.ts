import {
  AssociateSoftwareTokenCommand,
  EnableSoftwareTokenMFAException,
  NotAuthorizedException,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import * as client from 'openid-client';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorization, Browser, configFor, createUser, expectRedirect, idpClient, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';

let emulator: EmulatorProcess;
let config: client.Configuration;
const EMAIL = 'totp@example.com';
const PASSWORD = 'Passw0rd!';

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  config = await configFor(emulator);
  await createUser(emulator, { email: EMAIL, password: PASSWORD });
});
afterAll(async () => {
  await emulator?.stop();
});

/** An access token carrying aws.cognito.signin.user.admin, which the self-service MFA calls need. */
async function adminScopedAccessToken(): Promise<string> {
  const auth = await authorization(emulator, config, { scope: 'openid aws.cognito.signin.user.admin' });
  const browser = new Browser();
  const login = await expectRedirect(await browser.fetch(auth.url));
  const callback = await expectRedirect(await browser.post(login, { username: EMAIL, password: PASSWORD }));
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: auth.verifier,
    expectedState: auth.state,
    expectedNonce: auth.nonce,
  });
  return tokens.access_token;
}

const totp = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret) }).generate();

describe('TOTP MFA', () => {
  it('refuses the self-service calls without the aws.cognito.signin.user.admin scope', async () => {
    const { accessToken } = await signIn(emulator, { email: EMAIL, password: PASSWORD });
    const error = await idpClient(emulator)
      .send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotAuthorizedException);
    expect((error as Error).message).toBe('Access Token does not have required scopes');
  });

  it('is enabled through AssociateSoftwareToken, VerifySoftwareToken and SetUserMFAPreference, then asked at sign-in', async () => {
    const idp = idpClient(emulator);
    const AccessToken = await adminScopedAccessToken();
    const { SecretCode } = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    expect(SecretCode).toMatch(/^[A-Z2-7]{32}$/);
    const secret = SecretCode ?? '';
    const wrongCode = (Number(totp(secret)) + 1).toString().padStart(6, '0').slice(-6);
    await expect(idp.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: wrongCode }))).rejects.toBeInstanceOf(
      EnableSoftwareTokenMFAException,
    );
    expect(await idp.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totp(secret) }))).toMatchObject({
      Status: 'SUCCESS',
    });
    await idp.send(
      new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );

    const auth = await authorization(emulator, config);
    const browser = new Browser();
    const login = await expectRedirect(await browser.fetch(auth.url));
    const mfaPage = await browser.post(login, { username: EMAIL, password: PASSWORD });
    expect(mfaPage.status).toBe(200);
    const html = await mfaPage.text();
    expect(html).toContain('authenticator app');
    const session = /name="session" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const mfaUrl = new URL(`/mfa${login.search}`, emulator.url);
    const wrong = await browser.post(mfaUrl, { session, code: wrongCode });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('Invalid code received for user');
    const callback = await expectRedirect(await browser.post(mfaUrl, { session, code: totp(secret) }));
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: auth.verifier,
      expectedState: auth.state,
      expectedNonce: auth.nonce,
    });
    expect(tokens.claims()?.email).toBe(EMAIL);
  });
});
