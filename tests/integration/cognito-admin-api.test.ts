import { createHmac } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  GroupExistsException,
  InvalidParameterException,
  ListUsersCommand,
  NotAuthorizedException,
  ResourceNotFoundException,
  SignUpCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorization, Browser, configFor, createUser, expectRedirect, idpClient, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';

let emulator: EmulatorProcess;
let idp: CognitoIdentityProviderClient;
let UserPoolId: string;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  idp = idpClient(emulator);
  UserPoolId = emulator.config.userPoolId;
});
afterAll(async () => {
  await emulator?.stop();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );

describe('user-pool admin API through the official SDK', () => {
  it('creates a user with an emailed temporary password who must choose a new one at sign-in', async () => {
    const { User } = await idp.send(
      new AdminCreateUserCommand({ UserPoolId, Username: 'temp@example.com', TemporaryPassword: 'Temp0rary!' }),
    );
    expect(User).toMatchObject({
      Username: expect.stringMatching(/^[0-9a-f-]{36}$/),
      UserStatus: 'FORCE_CHANGE_PASSWORD',
      Enabled: true,
    });
    expect(User?.UserCreateDate).toBeInstanceOf(Date);
    const { messages } = (await emulator.hook('GET', '/_local/mailbox?to=temp@example.com')) as { messages: { code: string }[] };
    expect(messages.map((message) => message.code)).toEqual(['Temp0rary!']);

    const config = await configFor(emulator);
    const auth = await authorization(emulator, config);
    const browser = new Browser();
    const login = await expectRedirect(await browser.fetch(auth.url));
    const page = await (await browser.post(login, { username: 'temp@example.com', password: 'Temp0rary!' })).text();
    expect(page).toContain('Change password');
    const session = /name="session" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const newPasswordUrl = new URL(`/newPassword${login.search}`, emulator.url);
    const weak = await browser.post(newPasswordUrl, { session, password: 'weak' });
    expect(await weak.text()).toContain('Password did not conform with policy: Password not long enough');
    const callback = await expectRedirect(await browser.post(newPasswordUrl, { session, password: 'Chosen-Passw0rd' }));
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: auth.verifier,
      expectedState: auth.state,
      expectedNonce: auth.nonce,
    });
    expect(tokens.claims()?.sub).toBe(User?.Username);
    const after = await idp.send(new AdminGetUserCommand({ UserPoolId, Username: 'temp@example.com' }));
    expect(after.UserStatus).toBe('CONFIRMED');
  });

  it('suppresses the invitation with MessageAction SUPPRESS and reads the user back', async () => {
    const { username, sub } = await createUser(emulator, { email: 'Quiet@Example.com', password: 'Passw0rd!' });
    const { messages } = (await emulator.hook('GET', '/_local/mailbox?to=quiet@example.com')) as { messages: unknown[] };
    expect(messages).toEqual([]);
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId, Username: 'QUIET@example.com' }));
    expect(user).toMatchObject({
      Username: username,
      UserStatus: 'CONFIRMED',
      Enabled: true,
      UserAttributes: [
        { Name: 'sub', Value: sub },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'email', Value: 'quiet@example.com' },
      ],
    });
    expect(username).toBe(sub);
  });

  it('answers unknown users and pools with Cognito exceptions', async () => {
    const missing = await failure(idp.send(new AdminGetUserCommand({ UserPoolId, Username: 'nobody@example.com' })));
    expect(missing).toBeInstanceOf(UserNotFoundException);
    expect(missing?.message).toBe('User does not exist.');
    const pool = await failure(idp.send(new AdminGetUserCommand({ UserPoolId: 'us-east-1_Other', Username: 'x@example.com' })));
    expect(pool).toBeInstanceOf(ResourceNotFoundException);
    const notEmail = await failure(idp.send(new AdminCreateUserCommand({ UserPoolId, Username: 'plainname' })));
    expect(notEmail).toBeInstanceOf(InvalidParameterException);
  });

  it('lists users with equality and prefix filters', async () => {
    await createUser(emulator, { email: 'list-a@example.com', password: 'Passw0rd!' });
    await createUser(emulator, { email: 'list-b@example.com', password: 'Passw0rd!' });
    const exact = await idp.send(new ListUsersCommand({ UserPoolId, Filter: 'email = "List-A@example.com"' }));
    expect(exact.Users?.map((user) => user.Attributes?.find((a) => a.Name === 'email')?.Value)).toEqual(['list-a@example.com']);
    const prefix = await idp.send(new ListUsersCommand({ UserPoolId, Filter: 'email ^= "list-"' }));
    expect(prefix.Users).toHaveLength(2);
    const paged = await idp.send(new ListUsersCommand({ UserPoolId, Filter: 'email ^= "list-"', Limit: 1 }));
    expect(paged.Users).toHaveLength(1);
    const rest = await idp.send(
      new ListUsersCommand({ UserPoolId, Filter: 'email ^= "list-"', PaginationToken: paged.PaginationToken }),
    );
    expect(rest.Users).toHaveLength(1);
    expect(rest.PaginationToken).toBeUndefined();
    expect(await failure(idp.send(new ListUsersCommand({ UserPoolId, Filter: 'email == x' })))).toBeInstanceOf(
      InvalidParameterException,
    );
  });

  it('creates groups with roles and precedence that drive cognito:roles and cognito:preferred_role', async () => {
    const { Group } = await idp.send(
      new CreateGroupCommand({
        UserPoolId,
        GroupName: 'editors',
        RoleArn: 'arn:aws:iam::000000000000:role/editors',
        Precedence: 0,
      }),
    );
    expect(Group).toMatchObject({ GroupName: 'editors', RoleArn: 'arn:aws:iam::000000000000:role/editors', Precedence: 0 });
    expect(await failure(idp.send(new CreateGroupCommand({ UserPoolId, GroupName: 'editors' })))).toBeInstanceOf(
      GroupExistsException,
    );
    const { username } = await createUser(emulator, { email: 'ed@example.com', password: 'Passw0rd!', groups: ['admins'] });
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: username, GroupName: 'editors' }));
    const missingGroup = await failure(
      idp.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: username, GroupName: 'nope' })),
    );
    expect(missingGroup).toBeInstanceOf(ResourceNotFoundException);
    const id = decodeJwt((await signIn(emulator, { email: 'ed@example.com', password: 'Passw0rd!' })).idToken);
    expect(id['cognito:groups']).toEqual(['editors', 'admins']);
    expect(id['cognito:roles']).toEqual([
      'arn:aws:iam::000000000000:role/editors',
      'arn:aws:iam::000000000000:role/cubby-local-admins',
    ]);
    expect(id['cognito:preferred_role']).toBe('arn:aws:iam::000000000000:role/editors');
  });

  it('confirms a signed-up user once, and sets passwords permanent or temporary', async () => {
    const { clientId, clientSecret } = emulator.config;
    await idp.send(
      new SignUpCommand({
        ClientId: clientId,
        SecretHash: createHmac('sha256', clientSecret).update(`conf@example.com${clientId}`).digest('base64'),
        Username: 'conf@example.com',
        Password: 'Passw0rd!',
      }),
    );
    await idp.send(new AdminConfirmSignUpCommand({ UserPoolId, Username: 'conf@example.com' }));
    const again = await failure(idp.send(new AdminConfirmSignUpCommand({ UserPoolId, Username: 'conf@example.com' })));
    expect(again).toBeInstanceOf(NotAuthorizedException);
    expect(again?.message).toBe('User cannot be confirmed. Current status is CONFIRMED');
    await idp.send(
      new AdminSetUserPasswordCommand({ UserPoolId, Username: 'conf@example.com', Password: 'An0ther-one', Permanent: false }),
    );
    expect((await idp.send(new AdminGetUserCommand({ UserPoolId, Username: 'conf@example.com' }))).UserStatus).toBe(
      'FORCE_CHANGE_PASSWORD',
    );
  });

  it('deletes a user: gone from the API, and its refresh tokens stop working', async () => {
    await createUser(emulator, { email: 'gone@example.com', password: 'Passw0rd!' });
    const { refreshToken } = await signIn(emulator, { email: 'gone@example.com', password: 'Passw0rd!' });
    await idp.send(new AdminDeleteUserCommand({ UserPoolId, Username: 'gone@example.com' }));
    expect(await failure(idp.send(new AdminGetUserCommand({ UserPoolId, Username: 'gone@example.com' })))).toBeInstanceOf(
      UserNotFoundException,
    );
    const refreshed = await failure(client.refreshTokenGrant(await configFor(emulator), refreshToken));
    expect(refreshed).toMatchObject({ error: 'invalid_grant' });
  });
});
