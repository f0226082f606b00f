import { GetCredentialsForIdentityCommand, GetIdCommand, NotAuthorizedException } from '@aws-sdk/client-cognito-identity';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { credentialsFor, identityClient, loginsFor } from '../helpers/identity-credentials';

const PASSWORD = 'Correct-Horse-9';
let emulator: EmulatorProcess;
let idToken: string;
let accessToken: string;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  await createUser(emulator, { email: 'ada@example.com', password: PASSWORD });
  await createUser(emulator, { email: 'grace@example.com', password: PASSWORD, groups: ['admins'] });
  ({ idToken, accessToken } = await signIn(emulator, { email: 'ada@example.com', password: PASSWORD }));
});
afterAll(async () => emulator?.stop());
afterEach(async () => {
  await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
  await emulator.hook('POST', '/_local/settings', { allowGuests: true });
  await emulator.hook('DELETE', '/_local/faults');
});

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('the call succeeded');
}

describe('Identity Pool through @aws-sdk/client-cognito-identity', () => {
  it('gives a signed-in person a stable identity and one hour of ASIA credentials', async () => {
    const first = await credentialsFor(emulator, idToken);
    const second = await credentialsFor(emulator, idToken);
    expect(first.identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    expect(second.identityId).toBe(first.identityId);
    expect(first.credentials.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(first.credentials.accessKeyId).not.toBe(second.credentials.accessKeyId);
    const lifetime = first.credentials.expiration.getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(3590_000);
    expect(lifetime).toBeLessThanOrEqual(3600_000);
  });

  it('answers with SecretKey and an E-notation Expiration on the wire', async () => {
    const { identityId } = await credentialsFor(emulator, idToken);
    const response = await fetch(emulator.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityService.GetCredentialsForIdentity',
      },
      body: JSON.stringify({ IdentityId: identityId, Logins: loginsFor(emulator, idToken) }),
    });
    const text = await response.text();
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(text).toMatch(/"Expiration":\d\.\d+E9/);
    expect(text).toContain('"SecretKey"');
    expect(text).not.toContain('SecretAccessKey');
  });

  it('gives guests a new unauthenticated identity each time, and refuses them when guests are off', async () => {
    const a = await credentialsFor(emulator);
    const b = await credentialsFor(emulator);
    expect(a.identityId).not.toBe(b.identityId);
    await emulator.hook('POST', '/_local/settings', { allowGuests: false });
    const refused = await rejection(credentialsFor(emulator));
    expect(refused).toEqual({
      name: 'NotAuthorizedException',
      message: 'Unauthenticated access is not supported for this identity pool.',
    });
    const old = await rejection(
      identityClient(emulator).send(new GetCredentialsForIdentityCommand({ IdentityId: a.identityId })),
    );
    expect(old.name).toBe('NotAuthorizedException');
  });

  it("refuses an expired ID token with Cognito's message", async () => {
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 7200 });
    const refused = await rejection(credentialsFor(emulator, idToken));
    expect(refused.name).toBe('NotAuthorizedException');
    expect(refused.message).toMatch(/^Invalid login token\. Token expired: \d+ >= \d+$/);
  });

  it('refuses a tampered or foreign token, an access token and a wrong provider key', async () => {
    const client = identityClient(emulator);
    const IdentityPoolId = emulator.config.identityPoolId;
    const [header, payload, signature] = idToken.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${signature}`;
    const { privateKey } = await generateKeyPair('RS256');
    const foreign = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256', kid: 'x' }).sign(privateKey);
    for (const token of [forged, foreign]) {
      const refused = await rejection(client.send(new GetIdCommand({ IdentityPoolId, Logins: loginsFor(emulator, token) })));
      expect(refused).toEqual({ name: 'NotAuthorizedException', message: "Invalid login token. Couldn't verify signed token." });
    }
    const withAccess = await rejection(
      client.send(new GetIdCommand({ IdentityPoolId, Logins: loginsFor(emulator, accessToken) })),
    );
    expect(withAccess.message).toBe('Invalid login token. Missing a required claim: aud');
    const wrongKey = await rejection(
      client.send(
        new GetIdCommand({ IdentityPoolId, Logins: { 'cognito-idp.us-east-1.amazonaws.com/us-east-1_Other': idToken } }),
      ),
    );
    expect(wrongKey.message).toBe("Invalid login token. Issuer doesn't match providerName");
  });

  it('refuses an authenticated identity without its login, and unknown pools and identities', async () => {
    const client = identityClient(emulator);
    const { identityId } = await credentialsFor(emulator, idToken);
    const noLogins = await rejection(client.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId })));
    expect(noLogins.message).toBe(
      "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    );
    const grace = await signIn(emulator, { email: 'grace@example.com', password: PASSWORD });
    const someoneElse = await rejection(
      client.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: loginsFor(emulator, grace.idToken) })),
    );
    expect(someoneElse.name).toBe('NotAuthorizedException');
    const pool = await rejection(
      client.send(new GetIdCommand({ IdentityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000' })),
    );
    expect(pool.name).toBe('ResourceNotFoundException');
    const malformed = await rejection(client.send(new GetIdCommand({ IdentityPoolId: 'not a pool' })));
    expect(malformed.name).toBe('InvalidParameterException');
    const unknown = await rejection(
      client.send(new GetCredentialsForIdentityCommand({ IdentityId: 'us-east-1:11111111-1111-1111-1111-111111111111' })),
    );
    expect(unknown.name).toBe('ResourceNotFoundException');
  });

  it('maps admins to their group role by Token role mapping and honours CustomRoleArn only from cognito:roles', async () => {
    const grace = await signIn(emulator, { email: 'grace@example.com', password: PASSWORD });
    const claims = JSON.parse(Buffer.from(grace.idToken.split('.')[1] ?? '', 'base64url').toString());
    expect(claims['cognito:preferred_role']).toMatch(/role\/cubby-local-admins$/);
    const client = identityClient(emulator);
    const Logins = loginsFor(emulator, grace.idToken);
    const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: emulator.config.identityPoolId, Logins }));
    const allowed = await client.send(
      new GetCredentialsForIdentityCommand({ IdentityId, Logins, CustomRoleArn: claims['cognito:preferred_role'] }),
    );
    expect(allowed.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    const refused = await rejection(
      client.send(
        new GetCredentialsForIdentityCommand({ IdentityId, Logins, CustomRoleArn: 'arn:aws:iam::000000000000:role/other' }),
      ),
    );
    expect(refused.name).toBe(NotAuthorizedException.name);
  });

  it('fails with the injected fault and recovers', async () => {
    // The SDK retries a 503 twice, so the fault must outlast three attempts.
    await emulator.hook('POST', '/_local/faults', { target: 'identity', status: 503, times: 3 });
    const failed = await rejection(credentialsFor(emulator, idToken));
    expect(failed.name).not.toBe('NotAuthorizedException');
    await expect(credentialsFor(emulator, idToken)).resolves.toMatchObject({ identityId: expect.any(String) });
  });
});
