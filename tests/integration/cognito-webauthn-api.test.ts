import {
  CompleteWebAuthnRegistrationCommand,
  DeleteWebAuthnCredentialCommand,
  ListWebAuthnCredentialsCommand,
  StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUser, idpClient } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { type CreationOptions, SoftAuthenticator } from '../helpers/soft-authenticator';
import { signInForAccount } from '../helpers/user-tokens';

/**
 * Cognito's passkey APIs through the official SDK against the emulator process, with a software
 * authenticator (EC P-256, 'none' attestation built by hand) standing in for the browser.
 */

let emulator: EmulatorProcess;
const PASSWORD = 'Passw0rd!';

beforeAll(async () => {
  emulator = await startEmulatorProcess();
});
afterEach(async () => {
  await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
});
afterAll(async () => {
  await emulator?.stop();
});

let counter = 0;
async function newPerson(label: string, scope?: string) {
  counter += 1;
  const email = `${label}-${counter}@example.com`;
  const { sub } = await createUser(emulator, { email, password: PASSWORD });
  const tokens = await signInForAccount(emulator, { email, password: PASSWORD }, scope);
  return { email, sub, accessToken: tokens.accessToken };
}

async function start(AccessToken: string): Promise<CreationOptions & Record<string, unknown>> {
  const answer = await idpClient(emulator).send(new StartWebAuthnRegistrationCommand({ AccessToken }));
  return answer.CredentialCreationOptions as CreationOptions & Record<string, unknown>;
}

function complete(AccessToken: string, Credential: unknown) {
  return idpClient(emulator).send(
    new CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: Credential as Record<string, never> }),
  );
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught as Error,
  );
  return error.name;
}

describe('StartWebAuthnRegistration', () => {
  it('returns creation options for the signed-in user: RP localhost, user id = sub bytes, resident key required', async () => {
    const person = await newPerson('start');
    const options = await start(person.accessToken);
    expect(options.rp).toMatchObject({ id: 'localhost' });
    expect(options.user).toMatchObject({ id: Buffer.from(person.sub).toString('base64url'), name: person.email });
    expect(options.challenge).toMatch(/^[\w-]{20,}$/);
    expect(options.pubKeyCredParams).toEqual(expect.arrayContaining([{ type: 'public-key', alg: -7 }]));
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'preferred' });
    expect(options.excludeCredentials).toEqual([]);
  });

  it('needs an access token with aws.cognito.signin.user.admin', async () => {
    const person = await newPerson('scope', 'openid email');
    expect(await failure(start(person.accessToken))).toBe('NotAuthorizedException');
  });
});

describe('CompleteWebAuthnRegistration, List and Delete', () => {
  it('registers a passkey made on the app origin, lists it, excludes it next time and deletes it', async () => {
    const person = await newPerson('register');
    const authenticator = new SoftAuthenticator();
    const options = await start(person.accessToken);
    await complete(person.accessToken, authenticator.register(options, emulator.config.appUrl));

    const listed = await idpClient(emulator).send(new ListWebAuthnCredentialsCommand({ AccessToken: person.accessToken }));
    expect(listed.Credentials).toHaveLength(1);
    const [credential] = listed.Credentials ?? [];
    expect(credential).toMatchObject({
      CredentialId: authenticator.id,
      RelyingPartyId: 'localhost',
      AuthenticatorAttachment: 'platform',
      AuthenticatorTransports: ['internal'],
    });
    expect(credential?.FriendlyCredentialName).toBeTruthy();
    expect(credential?.CreatedAt).toBeInstanceOf(Date);

    const again = await start(person.accessToken);
    expect(again.excludeCredentials).toEqual([expect.objectContaining({ id: authenticator.id, type: 'public-key' })]);

    await idpClient(emulator).send(
      new DeleteWebAuthnCredentialCommand({ AccessToken: person.accessToken, CredentialId: authenticator.id }),
    );
    const after = await idpClient(emulator).send(new ListWebAuthnCredentialsCommand({ AccessToken: person.accessToken }));
    expect(after.Credentials).toEqual([]);
    expect(
      await failure(
        idpClient(emulator).send(
          new DeleteWebAuthnCredentialCommand({ AccessToken: person.accessToken, CredentialId: authenticator.id }),
        ),
      ),
    ).toBe('ResourceNotFoundException');
  });

  it('accepts a passkey made on the managed-login origin too', async () => {
    const person = await newPerson('domain');
    const options = await start(person.accessToken);
    await complete(person.accessToken, new SoftAuthenticator('cross-platform').register(options, emulator.config.domain));
    const listed = await idpClient(emulator).send(new ListWebAuthnCredentialsCommand({ AccessToken: person.accessToken }));
    expect(listed.Credentials?.[0]).toMatchObject({
      AuthenticatorAttachment: 'cross-platform',
      AuthenticatorTransports: ['usb'],
    });
  });

  it('refuses a response without a started registration, or once its challenge was used or expired', async () => {
    const person = await newPerson('challenge');
    const authenticator = new SoftAuthenticator();
    const forged = authenticator.register(
      { challenge: 'bm90LWlzc3VlZC1ieS10aGUtcG9vbA', rp: { id: 'localhost', name: 'x' }, user: { id: 'x', name: 'x' } },
      emulator.config.appUrl,
    );
    expect(await failure(complete(person.accessToken, forged))).toBe('WebAuthnChallengeNotFoundException');

    const options = await start(person.accessToken);
    await complete(person.accessToken, authenticator.register(options, emulator.config.appUrl));
    const replay = new SoftAuthenticator().register(options, emulator.config.appUrl);
    expect(await failure(complete(person.accessToken, replay))).toBe('WebAuthnChallengeNotFoundException');

    const late = await start(person.accessToken);
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 301 });
    const expired = new SoftAuthenticator().register(late, emulator.config.appUrl);
    expect(await failure(complete(person.accessToken, expired))).toBe('WebAuthnChallengeNotFoundException');
  });

  it('refuses a passkey made on another origin or for another relying party', async () => {
    const person = await newPerson('mismatch');
    const elsewhere = await start(person.accessToken);
    const evil = new SoftAuthenticator().register(elsewhere, 'https://evil.example');
    expect(await failure(complete(person.accessToken, evil))).toBe('WebAuthnOriginNotAllowedException');

    const otherRp = await start(person.accessToken);
    const wrongRp = new SoftAuthenticator().register(otherRp, emulator.config.appUrl, 'example.com');
    expect(await failure(complete(person.accessToken, wrongRp))).toBe('WebAuthnRelyingPartyMismatchException');

    const listed = await idpClient(emulator).send(new ListWebAuthnCredentialsCommand({ AccessToken: person.accessToken }));
    expect(listed.Credentials).toEqual([]);
  });
});
