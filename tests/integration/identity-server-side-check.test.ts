import { GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { AdminDisableUserCommand, DeleteUserCommand, GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import * as client from 'openid-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configFor, createUser, idpClient } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { credentialsFor, identityClient, loginsFor } from '../helpers/identity-credentials';
import { signInForAccount } from '../helpers/user-tokens';

/**
 * The Identity Pool's ServerSideTokenCheck (on for the user-pool provider, as the deployment
 * stack configures it): an ID token whose user signed out globally, was deleted, or whose sign-in
 * was revoked no longer gets an identity or credentials; everyone else's does, as before.
 */

let emulator: EmulatorProcess;
const PASSWORD = 'Passw0rd!';
const REFUSED = 'Invalid login token. Token has been revoked or its user no longer exists.';

beforeAll(async () => {
  emulator = await startEmulatorProcess();
});
afterEach(async () => {
  await emulator.hook('POST', '/_local/settings', { serverSideTokenCheck: true });
});
afterAll(async () => {
  await emulator?.stop();
});

let counter = 0;
async function newPerson(label: string) {
  counter += 1;
  const email = `${label}-${counter}@example.com`;
  const { username } = await createUser(emulator, { email, password: PASSWORD });
  return { email, username, ...(await signInForAccount(emulator, { email, password: PASSWORD })) };
}

/** GetId and GetCredentialsForIdentity for `identityId` with `idToken`, each as its outcome. */
async function identityOutcomes(identityId: string, idToken: string) {
  const identity = identityClient(emulator);
  const Logins = loginsFor(emulator, idToken);
  const getId = await identity.send(new GetIdCommand({ IdentityPoolId: emulator.config.identityPoolId, Logins })).then(
    (answer) => answer.IdentityId,
    (error: Error) => `${error.name}: ${error.message}`,
  );
  const credentials = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins })).then(
    (answer) => answer.Credentials?.AccessKeyId?.slice(0, 4),
    (error: Error) => `${error.name}: ${error.message}`,
  );
  return { getId, credentials };
}

describe('ServerSideTokenCheck', () => {
  it('gives a signed-in person the same identity and credentials again, also with a refreshed ID token', async () => {
    const person = await newPerson('steady');
    const first = await credentialsFor(emulator, person.idToken);
    expect(await identityOutcomes(first.identityId, person.idToken)).toEqual({
      getId: first.identityId,
      credentials: 'ASIA',
    });
    const refreshed = await client.refreshTokenGrant(await configFor(emulator), person.refreshToken);
    const idToken = refreshed.id_token ?? '';
    expect(await identityOutcomes(first.identityId, idToken)).toEqual({ getId: first.identityId, credentials: 'ASIA' });
  });

  it('refuses the ID tokens of a person who signed out globally, from every device; a new sign-in works', async () => {
    const person = await newPerson('signed-out');
    const otherDevice = await signInForAccount(emulator, { email: person.email, password: PASSWORD });
    const { identityId } = await credentialsFor(emulator, person.idToken);
    await idpClient(emulator).send(new GlobalSignOutCommand({ AccessToken: person.accessToken }));

    for (const tokens of [person, otherDevice]) {
      expect(await identityOutcomes(identityId, tokens.idToken)).toEqual({
        getId: `NotAuthorizedException: ${REFUSED}`,
        credentials: `NotAuthorizedException: ${REFUSED}`,
      });
    }
    const again = await signInForAccount(emulator, { email: person.email, password: PASSWORD });
    expect(await identityOutcomes(identityId, again.idToken)).toEqual({ getId: identityId, credentials: 'ASIA' });
  });

  it('refuses the ID token of a deleted user', async () => {
    const person = await newPerson('deleted');
    const { identityId } = await credentialsFor(emulator, person.idToken);
    await idpClient(emulator).send(new DeleteUserCommand({ AccessToken: person.accessToken }));
    expect(await identityOutcomes(identityId, person.idToken)).toEqual({
      getId: `NotAuthorizedException: ${REFUSED}`,
      credentials: `NotAuthorizedException: ${REFUSED}`,
    });
  });

  it('refuses the ID token of a disabled user', async () => {
    const person = await newPerson('disabled');
    const { identityId } = await credentialsFor(emulator, person.idToken);
    const UserPoolId = emulator.config.userPoolId;
    await idpClient(emulator).send(new AdminDisableUserCommand({ UserPoolId, Username: person.username }));
    expect(await identityOutcomes(identityId, person.idToken)).toEqual({
      getId: `NotAuthorizedException: ${REFUSED}`,
      credentials: `NotAuthorizedException: ${REFUSED}`,
    });
  });

  it('refuses the ID token of a revoked sign-in but not those of the person’s other sign-ins', async () => {
    const person = await newPerson('revoked');
    const otherDevice = await signInForAccount(emulator, { email: person.email, password: PASSWORD });
    const { identityId } = await credentialsFor(emulator, person.idToken);
    await client.tokenRevocation(await configFor(emulator), person.refreshToken);
    expect(await identityOutcomes(identityId, person.idToken)).toMatchObject({ getId: `NotAuthorizedException: ${REFUSED}` });
    expect(await identityOutcomes(identityId, otherDevice.idToken)).toEqual({ getId: identityId, credentials: 'ASIA' });
  });

  it('is what refuses them: with the check off, a signed-out person’s unexpired ID token still gets credentials', async () => {
    await emulator.hook('POST', '/_local/settings', { serverSideTokenCheck: false });
    const person = await newPerson('unchecked');
    const { identityId } = await credentialsFor(emulator, person.idToken);
    await idpClient(emulator).send(new GlobalSignOutCommand({ AccessToken: person.accessToken }));
    expect(await identityOutcomes(identityId, person.idToken)).toEqual({ getId: identityId, credentials: 'ASIA' });
  });
});
