import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { AwsCredentials } from '../../lib/aws/credentials.ts';
import { createUser, signIn } from './cognito-login.ts';
import type { EmulatorProcess } from './emulator-process.ts';
import { credentialsFor, type IdentityCredentials } from './identity-credentials.ts';

/**
 * The official S3 client against the emulator (path-style) with a person's real Identity Pool
 * credentials, checksums only when required, as Cubby's own presigning client is configured.
 */
export function s3ClientFor(
  emulator: EmulatorProcess,
  credentials: AwsCredentials,
  extra: Partial<S3ClientConfig> = {},
): S3Client {
  return new S3Client({
    region: emulator.config.region,
    endpoint: emulator.url,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...extra,
  });
}

export interface S3Person extends IdentityCredentials {
  s3: S3Client;
  /** `private/<identityId>/`: the person's own folder. */
  home: string;
}

/** Creates a user, signs them in through managed login, and returns their identity, credentials and S3 client. */
export async function signedInS3Person(
  emulator: EmulatorProcess,
  email: string,
  extra: Partial<S3ClientConfig> = {},
  password = 'Passw0rd!x',
): Promise<S3Person> {
  await createUser(emulator, { email, password });
  const { idToken } = await signIn(emulator, { email, password });
  const identity = await credentialsFor(emulator, idToken);
  return { ...identity, s3: s3ClientFor(emulator, identity.credentials, extra), home: `private/${identity.identityId}/` };
}
