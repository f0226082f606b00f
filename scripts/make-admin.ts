/**
 * `npm run make-admin -- you@example.com`: puts a user of the local emulator's pool in the
 * `admins` group (the group whose Identity Pool role may remove anyone's gallery files), through
 * the same AdminAddUserToGroup call an operator makes on AWS. The emulator must be running
 * (`npm run dev` or `npm run emulator`); EMULATOR_PORT picks it. The person signs out and in again
 * to get a token that carries the group.
 *
 * On AWS the same is `aws cognito-idp admin-add-user-to-group` (docs/deploy.md).
 */
import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  type ListUsersCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { LOCAL_EMULATOR_PORT, LOCAL_REGION, LOCAL_USER_POOL_ID } from '../lib/local-defaults.ts';

const GROUP = 'admins';

async function main(): Promise<number> {
  const email = process.argv[2]?.trim();
  if (!email) {
    console.error('usage: npm run make-admin -- <email of a user who signed up>');
    return 2;
  }
  const origin = `http://127.0.0.1:${process.env.EMULATOR_PORT || LOCAL_EMULATOR_PORT}`;
  const idp = new CognitoIdentityProviderClient({
    endpoint: origin,
    region: LOCAL_REGION,
    // The emulator checks no credentials on the user-pool API; these are placeholders.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  let listed: ListUsersCommandOutput;
  try {
    listed = await idp.send(
      new ListUsersCommand({ UserPoolId: LOCAL_USER_POOL_ID, Filter: `email = "${email.replaceAll('"', '')}"`, Limit: 2 }),
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`make-admin: the emulator at ${origin} did not answer (${reason}). Start it with npm run dev first.`);
    return 1;
  }
  const username = listed.Users?.[0]?.Username;
  if (!username) {
    console.error(`make-admin: no user with the email ${email} in the local pool. Sign up at http://localhost:3000 first.`);
    return 1;
  }
  await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: LOCAL_USER_POOL_ID, Username: username, GroupName: GROUP }));
  console.log(`${email} is now in the ${GROUP} group. Sign out of Cubby and in again for it to take effect.`);
  return 0;
}

process.exitCode = await main();
