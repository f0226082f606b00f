import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import type { AwsCredentials } from '../../lib/aws/credentials.ts';
import type { EmulatorProcess } from './emulator-process';

/** An Identity Pool identity and the temporary credentials it was given (the app's own credentials type). */
export interface IdentityCredentials {
  identityId: string;
  credentials: AwsCredentials;
}

/** The official Identity Pool client, pointed at the emulator (its calls are unsigned). */
export function identityClient(emulator: EmulatorProcess): CognitoIdentityClient {
  return new CognitoIdentityClient({ region: emulator.config.region, endpoint: emulator.url });
}

/** The Logins map for a user-pool ID token: the issuer without its scheme, as on AWS. */
export function loginsFor(emulator: EmulatorProcess, idToken: string): Record<string, string> {
  return { [emulator.config.issuer.replace(/^https?:\/\//, '')]: idToken };
}

/**
 * Real temporary credentials from the emulator's Identity Pool (GetId, then
 * GetCredentialsForIdentity) for a signed-in person's ID token, or for a guest without one.
 */
export async function credentialsFor(emulator: EmulatorProcess, idToken?: string): Promise<IdentityCredentials> {
  const client = identityClient(emulator);
  const Logins = idToken ? loginsFor(emulator, idToken) : undefined;
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: emulator.config.identityPoolId, Logins }));
  if (!IdentityId) throw new Error('GetId returned no IdentityId');
  const { Credentials } = await client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
  if (!Credentials?.AccessKeyId || !Credentials.SecretKey || !Credentials.SessionToken || !Credentials.Expiration) {
    throw new Error('GetCredentialsForIdentity returned incomplete credentials');
  }
  return {
    identityId: IdentityId,
    credentials: {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretKey,
      sessionToken: Credentials.SessionToken,
      expiration: Credentials.Expiration,
    },
  };
}
