import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AssociateSoftwareTokenCommand,
  ChangePasswordCommand,
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUser, idpClient, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { mailedCodes, refreshOutcome, signInForAccount, userInfoStatus } from '../helpers/user-tokens';

/**
 * The token-authorized user APIs through the official SDK against the emulator process, with
 * Cognito's exception types and messages.
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
/** A new confirmed user with a verified email, signed in with the account scopes. */
async function newPerson(label: string) {
  counter += 1;
  const email = `${label}-${counter}@example.com`;
  const { username, sub } = await createUser(emulator, { email, password: PASSWORD });
  const tokens = await signInForAccount(emulator, { email, password: PASSWORD });
  return { email, username, sub, ...tokens };
}

/** The error a call ends in, as `{ name, message }` (the SDK's exception class name and Cognito's message). */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught as Error,
  );
  return { name: error.name, message: error.message };
}

const attribute = (attributes: { Name?: string; Value?: string }[] | undefined, name: string) =>
  attributes?.find((entry) => entry.Name === name)?.Value;

describe('access-token authorization', () => {
  it('refuses a token without aws.cognito.signin.user.admin, an expired one and a malformed one', async () => {
    const idp = idpClient(emulator);
    const person = await newPerson('scope');
    const plain = await signInForAccount(emulator, { email: person.email, password: PASSWORD }, 'openid email profile');
    expect(await failure(idp.send(new GetUserCommand({ AccessToken: plain.accessToken })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Access Token does not have required scopes',
    });
    expect(await failure(idp.send(new GetUserCommand({ AccessToken: 'not-a-token' })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    });
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 3601 });
    expect(await failure(idp.send(new GetUserCommand({ AccessToken: person.accessToken })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Access Token has expired',
    });
  });
});

describe('a disabled user', () => {
  it('gets "User is disabled." for its earlier tokens, cannot refresh or sign in, and can again once enabled', async () => {
    const idp = idpClient(emulator);
    const person = await newPerson('disabled');
    const UserPoolId = emulator.config.userPoolId;
    await idp.send(new AdminDisableUserCommand({ UserPoolId, Username: person.username }));
    expect(await failure(idp.send(new GetUserCommand({ AccessToken: person.accessToken })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'User is disabled.',
    });
    expect(await refreshOutcome(emulator, person.refreshToken)).toBe('invalid_grant');
    await expect(signIn(emulator, { email: person.email, password: PASSWORD })).rejects.toThrow();
    await idp.send(new AdminEnableUserCommand({ UserPoolId, Username: person.username }));
    const again = await signInForAccount(emulator, { email: person.email, password: PASSWORD });
    await idp.send(new GetUserCommand({ AccessToken: again.accessToken }));
  });
});

describe('GetUser and UpdateUserAttributes', () => {
  it('answers the user and saves standard attributes', async () => {
    const idp = idpClient(emulator);
    const person = await newPerson('profile');
    const before = await idp.send(new GetUserCommand({ AccessToken: person.accessToken }));
    expect(before.Username).toBe(person.username);
    expect(attribute(before.UserAttributes, 'email')).toBe(person.email);
    expect(attribute(before.UserAttributes, 'email_verified')).toBe('true');
    expect(attribute(before.UserAttributes, 'sub')).toBe(person.sub);

    const answer = await idp.send(
      new UpdateUserAttributesCommand({
        AccessToken: person.accessToken,
        UserAttributes: [
          { Name: 'name', Value: 'Ada Lovelace' },
          { Name: 'locale', Value: 'en-GB' },
        ],
      }),
    );
    expect(answer.CodeDeliveryDetailsList).toBeUndefined();
    const after = await idp.send(new GetUserCommand({ AccessToken: person.accessToken }));
    expect(attribute(after.UserAttributes, 'name')).toBe('Ada Lovelace');
    expect(attribute(after.UserAttributes, 'locale')).toBe('en-GB');
  });

  it('refuses attributes outside the schema and ones an app client may not write', async () => {
    const idp = idpClient(emulator);
    const person = await newPerson('schema');
    const update = (Name: string, Value: string) =>
      idp.send(new UpdateUserAttributesCommand({ AccessToken: person.accessToken, UserAttributes: [{ Name, Value }] }));
    expect(await failure(update('custom:tier', 'gold'))).toEqual({
      name: 'InvalidParameterException',
      message: 'user.custom:tier: Attribute does not exist in the schema.',
    });
    expect(await failure(update('email_verified', 'false'))).toMatchObject({ name: 'NotAuthorizedException' });
    expect(await failure(update('sub', 'x'))).toMatchObject({ name: 'NotAuthorizedException' });
    expect(await failure(update('email', 'not-an-email'))).toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('email change (AttributesRequireVerificationBeforeUpdate)', () => {
  it('keeps the old email until the code mailed to the new one is verified', async () => {
    const idp = idpClient(emulator);
    const person = await newPerson('mover');
    const newEmail = `moved-${counter}@example.org`;
    const answer = await idp.send(
      new UpdateUserAttributesCommand({ AccessToken: person.accessToken, UserAttributes: [{ Name: 'email', Value: newEmail }] }),
    );
    expect(answer.CodeDeliveryDetailsList).toEqual([
      { Destination: 'm***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    ]);
    const [code] = await mailedCodes(emulator, newEmail);
    expect(code).toMatch(/^\d{6}$/);

    // Until verified: the old address is the email and the sign-in name.
    const pending = await idp.send(new GetUserCommand({ AccessToken: person.accessToken }));
    expect(attribute(pending.UserAttributes, 'email')).toBe(person.email);
    expect(attribute(pending.UserAttributes, 'email_verified')).toBe('true');
    await signIn(emulator, { email: person.email, password: PASSWORD });
    await expect(signIn(emulator, { email: newEmail, password: PASSWORD })).rejects.toThrow();

    const wrong = code === '000000' ? '111111' : '000000';
    expect(
      await failure(
        idp.send(new VerifyUserAttributeCommand({ AccessToken: person.accessToken, AttributeName: 'email', Code: wrong })),
      ),
    ).toEqual({ name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' });

    await idp.send(new VerifyUserAttributeCommand({ AccessToken: person.accessToken, AttributeName: 'email', Code: code }));
    const moved = await idp.send(new GetUserCommand({ AccessToken: person.accessToken }));
    expect(attribute(moved.UserAttributes, 'email')).toBe(newEmail);
    expect(attribute(moved.UserAttributes, 'email_verified')).toBe('true');
    await signIn(emulator, { email: newEmail, password: PASSWORD });
    await expect(signIn(emulator, { email: person.email, password: PASSWORD })).rejects.toThrow();
  });

  it('sends a new code on GetUserAttributeVerificationCode, and a code expires after 24 hours', async () => {
    const idp = idpClient(emulator);
    const person = await newPerson('late');
    const newEmail = `late-new-${counter}@example.org`;
    await idp.send(
      new UpdateUserAttributesCommand({ AccessToken: person.accessToken, UserAttributes: [{ Name: 'email', Value: newEmail }] }),
    );
    const resent = await idp.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: person.accessToken, AttributeName: 'email' }),
    );
    expect(resent.CodeDeliveryDetails).toEqual({ Destination: 'l***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const codes = await mailedCodes(emulator, newEmail);
    expect(codes).toHaveLength(2);
    const latest = codes[1] ?? '';

    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 24 * 3600 + 1 });
    // The first access token has expired by now; a fresh sign-in is still the old address.
    const later = await signInForAccount(emulator, { email: person.email, password: PASSWORD });
    expect(
      await failure(
        idp.send(new VerifyUserAttributeCommand({ AccessToken: later.accessToken, AttributeName: 'email', Code: latest })),
      ),
    ).toEqual({ name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' });
  });

  it('refuses with AliasExistsException when another user holds the address by the time it is verified', async () => {
    const idp = idpClient(emulator);
    const person = await newPerson('alias');
    const contested = `contested-${counter}@example.org`;
    await idp.send(
      new UpdateUserAttributesCommand({ AccessToken: person.accessToken, UserAttributes: [{ Name: 'email', Value: contested }] }),
    );
    const [code = ''] = await mailedCodes(emulator, contested);
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: emulator.config.userPoolId,
        Username: contested,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
      }),
    );
    expect(
      await failure(
        idp.send(new VerifyUserAttributeCommand({ AccessToken: person.accessToken, AttributeName: 'email', Code: code })),
      ),
    ).toEqual({ name: 'AliasExistsException', message: 'An account with the given email already exists.' });
    const still = await idp.send(new GetUserCommand({ AccessToken: person.accessToken }));
    expect(attribute(still.UserAttributes, 'email')).toBe(person.email);
  });
});

describe('ChangePassword', () => {
  it('refuses a wrong current password and a weak new one, then changes it', async () => {
    const idp = idpClient(emulator);
    const person = await newPerson('changer');
    const change = (PreviousPassword: string, ProposedPassword: string) =>
      idp.send(new ChangePasswordCommand({ AccessToken: person.accessToken, PreviousPassword, ProposedPassword }));
    expect(await failure(change('Wr0ngPassword', 'N3wPassword'))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    expect(await failure(change(PASSWORD, 'Sh0rt'))).toEqual({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
    expect(await failure(change(PASSWORD, 'nouppercase1'))).toEqual({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password must have uppercase characters',
    });
    await change(PASSWORD, 'N3wPassword');
    await signIn(emulator, { email: person.email, password: 'N3wPassword' });
    await expect(signIn(emulator, { email: person.email, password: PASSWORD })).rejects.toThrow();
    // Existing tokens stay valid after a password change, as on Cognito.
    await idp.send(new GetUserCommand({ AccessToken: person.accessToken }));
  });

  it('answers LimitExceededException after five wrong current passwords, until 15 minutes have passed', async () => {
    const idp = idpClient(emulator);
    const person = await newPerson('guesser');
    const change = (PreviousPassword: string, AccessToken = person.accessToken) =>
      idp.send(new ChangePasswordCommand({ AccessToken, PreviousPassword, ProposedPassword: 'N3wPassword' }));
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect(await failure(change(`Wr0ng${attempt}xx`))).toMatchObject({ name: 'NotAuthorizedException' });
    }
    // Even the right password is refused now.
    expect(await failure(change(PASSWORD))).toEqual({
      name: 'LimitExceededException',
      message: 'Attempt limit exceeded, please try after some time.',
    });
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 15 * 60 });
    const fresh = await signInForAccount(emulator, { email: person.email, password: PASSWORD });
    await change(PASSWORD, fresh.accessToken);
  });
});

describe('GlobalSignOut', () => {
  it('revokes every sign-in of the user: API calls, refresh and userInfo all fail, a new sign-in works', async () => {
    const idp = idpClient(emulator);
    const person = await newPerson('everywhere');
    const otherDevice = await signInForAccount(emulator, { email: person.email, password: PASSWORD });
    expect(await refreshOutcome(emulator, otherDevice.refreshToken)).toBe('ok');
    expect(await userInfoStatus(emulator, otherDevice.accessToken)).toBe(200);

    await idp.send(new GlobalSignOutCommand({ AccessToken: person.accessToken }));

    for (const tokens of [person, otherDevice]) {
      expect(await failure(idp.send(new GetUserCommand({ AccessToken: tokens.accessToken })))).toEqual({
        name: 'NotAuthorizedException',
        message: 'Access Token has been revoked',
      });
      expect(await refreshOutcome(emulator, tokens.refreshToken)).toBe('invalid_grant');
      expect(await userInfoStatus(emulator, tokens.accessToken)).toBe(401);
    }
    // The same check guards the TOTP operations.
    expect(await failure(idp.send(new AssociateSoftwareTokenCommand({ AccessToken: otherDevice.accessToken })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
    expect(await failure(idp.send(new GlobalSignOutCommand({ AccessToken: person.accessToken })))).toMatchObject({
      name: 'NotAuthorizedException',
    });

    const again = await signInForAccount(emulator, { email: person.email, password: PASSWORD });
    await idp.send(new GetUserCommand({ AccessToken: again.accessToken }));
    expect(await refreshOutcome(emulator, again.refreshToken)).toBe('ok');
  });
});

describe('DeleteUser', () => {
  it('removes the user; its tokens fail and the email can sign up again', async () => {
    const idp = idpClient(emulator);
    const person = await newPerson('leaver');
    await idp.send(new DeleteUserCommand({ AccessToken: person.accessToken }));
    expect(await failure(idp.send(new GetUserCommand({ AccessToken: person.accessToken })))).toEqual({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    expect(await refreshOutcome(emulator, person.refreshToken)).toBe('invalid_grant');
    expect(await userInfoStatus(emulator, person.accessToken)).toBe(401);
    await expect(signIn(emulator, { email: person.email, password: PASSWORD })).rejects.toThrow();

    const reborn = await createUser(emulator, { email: person.email, password: PASSWORD });
    expect(reborn.sub).not.toBe(person.sub);
    const tokens = await signInForAccount(emulator, { email: person.email, password: PASSWORD });
    const user = await idp.send(new GetUserCommand({ AccessToken: tokens.accessToken }));
    expect(attribute(user.UserAttributes, 'sub')).toBe(reborn.sub);
  });
});
