import 'server-only';
import { CognitoIdentityClient, GetIdCommand, NotAuthorizedException } from '@aws-sdk/client-cognito-identity';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { describeError, log } from '@/lib/log';
import { AWS_REQUEST_HANDLER, UPSTREAM_MAX_ATTEMPTS } from '@/lib/upstream';

let client: CognitoIdentityClient | undefined;

/**
 * The Identity Pool client. GetId and GetCredentialsForIdentity are unsigned, so it holds no AWS
 * keys: the server has none of its own. Every call is bounded by lib/upstream.ts. Server only.
 */
export function identityPoolClient(): CognitoIdentityClient {
  if (!client) {
    const env = getEnv();
    client = new CognitoIdentityClient({
      region: env.AWS_REGION,
      endpoint: env.AWS_ENDPOINT_URL_COGNITO_IDENTITY,
      // Bounded: lib/upstream.ts (enforced connect and request timeouts, one retry).
      maxAttempts: UPSTREAM_MAX_ATTEMPTS,
      requestHandler: AWS_REQUEST_HANDLER,
      // Unsigned operations only; an explicit empty provider keeps the SDK from looking for keys.
      credentials: async () => ({ accessKeyId: '', secretAccessKey: '' }),
    });
  }
  return client;
}

/** The Logins key of the user pool: the issuer without its scheme, as Cognito names the provider. */
export function loginsKey(): string {
  return getEnv().COGNITO_ISSUER.replace(/^https?:\/\//, '');
}

/**
 * A new unauthenticated (guest) identity id, or null when the pool does not allow guests.
 * @throws {AppError} `idp_unavailable` when the Identity Pool cannot be reached.
 */
export async function createGuestIdentity(): Promise<string | null> {
  try {
    const { IdentityId } = await identityPoolClient().send(
      new GetIdCommand({ IdentityPoolId: getEnv().COGNITO_IDENTITY_POOL_ID }),
    );
    if (!IdentityId) throw new Error('GetId returned no IdentityId');
    log('info', 'identity.guest_created', { identityId: IdentityId });
    return IdentityId;
  } catch (error) {
    if (error instanceof NotAuthorizedException) return null;
    log('warn', 'identity.guest_failed', { reason: describeError(error) });
    throw new AppError('idp_unavailable', 'guest GetId failed', { cause: error });
  }
}
