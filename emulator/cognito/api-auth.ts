import { randomBytes } from 'node:crypto';
import type { EmulatorContext } from '../context.ts';
import { authenticate, needsTotp } from './account.ts';
import { type ApiInput, requireClientWithSecretHash, requirePool } from './api-input.ts';
import { findClient } from './client.ts';
import { CognitoError } from './errors.ts';
import { issueRefreshToken, openFamily } from './refresh-tokens.ts';
import { mintTokens } from './tokens.ts';
import type { StoredUser } from './users.ts';

/**
 * Sign-in through the user-pool API with a password: `InitiateAuth` with `USER_PASSWORD_AUTH` and
 * `AdminInitiateAuth` with `ADMIN_USER_PASSWORD_AUTH`. Cubby's app client does not allow either
 * (it signs in through managed login, like the deployed client); tests switch them on through
 * `/_local/settings` (`userPasswordAuth`, `adminUserPasswordAuth`), as a client with those flows
 * would be configured. The password check is the managed login's, lockout included.
 */

type PasswordFlow = 'USER_PASSWORD_AUTH' | 'ADMIN_USER_PASSWORD_AUTH';

const ENABLED_BY: Record<PasswordFlow, 'userPasswordAuth' | 'adminUserPasswordAuth'> = {
  USER_PASSWORD_AUTH: 'userPasswordAuth',
  ADMIN_USER_PASSWORD_AUTH: 'adminUserPasswordAuth',
};

/** Flows Cognito knows for each operation; the emulator runs only the password one. */
const KNOWN_FLOWS: Record<'InitiateAuth' | 'AdminInitiateAuth', string[]> = {
  InitiateAuth: ['USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'CUSTOM_AUTH', 'USER_PASSWORD_AUTH', 'USER_AUTH'],
  AdminInitiateAuth: [
    'USER_SRP_AUTH',
    'REFRESH_TOKEN_AUTH',
    'REFRESH_TOKEN',
    'CUSTOM_AUTH',
    'ADMIN_NO_SRP_AUTH',
    'ADMIN_USER_PASSWORD_AUTH',
    'USER_AUTH',
  ],
};

function authParameters(input: ApiInput): Record<string, string> {
  const raw = input.AuthParameters;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** The AuthFlow of a request, checked against the operation; only the password flow runs. */
function passwordFlow(operation: 'InitiateAuth' | 'AdminInitiateAuth', input: ApiInput): PasswordFlow {
  const flow = typeof input.AuthFlow === 'string' ? input.AuthFlow : '';
  const password: PasswordFlow = operation === 'InitiateAuth' ? 'USER_PASSWORD_AUTH' : 'ADMIN_USER_PASSWORD_AUTH';
  if (flow === password) return password;
  if (!KNOWN_FLOWS[operation].includes(flow)) {
    throw new CognitoError('InvalidParameterException', 'Initiate Auth method not supported.');
  }
  throw new CognitoError('InvalidParameterException', `${flow} is not supported by the emulator.`);
}

/** A challenge's opaque Session (RespondToAuthChallenge is not emulated). */
function challengeSession(): string {
  return randomBytes(96).toString('base64url');
}

async function result(ctx: EmulatorContext, clientId: string, user: StoredUser) {
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    return {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: challengeSession(),
      ChallengeParameters: {
        USER_ID_FOR_SRP: user.username,
        requiredAttributes: '[]',
        userAttributes: JSON.stringify({ email: user.email }),
      },
    };
  }
  if (needsTotp(user)) {
    return {
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: challengeSession(),
      ChallengeParameters: { USER_ID_FOR_SRP: user.username },
    };
  }
  const family = openFamily(ctx, {
    username: user.username,
    clientId,
    scopes: ['aws.cognito.signin.user.admin'],
    authTime: ctx.clock.nowSeconds(),
  });
  const { accessToken, idToken, expiresIn } = await mintTokens(ctx, family, user, { idToken: true });
  return {
    ChallengeParameters: {},
    AuthenticationResult: {
      AccessToken: accessToken,
      ExpiresIn: expiresIn,
      TokenType: 'Bearer',
      RefreshToken: issueRefreshToken(ctx, family),
      IdToken: idToken,
    },
  };
}

async function signInWithPassword(ctx: EmulatorContext, input: ApiInput, operation: 'InitiateAuth' | 'AdminInitiateAuth') {
  const flow = passwordFlow(operation, input);
  const clientId = typeof input.ClientId === 'string' ? input.ClientId : '';
  if (!findClient(ctx, clientId))
    throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  if (!ctx.settings[ENABLED_BY[flow]]) {
    throw new CognitoError('InvalidParameterException', `${flow} flow not enabled for this client`);
  }
  const parameters = authParameters(input);
  const username = parameters.USERNAME;
  const password = parameters.PASSWORD;
  if (!username) throw new CognitoError('InvalidParameterException', 'Missing required parameter USERNAME');
  if (!password) throw new CognitoError('InvalidParameterException', 'Missing required parameter PASSWORD');
  requireClientWithSecretHash(ctx, { ClientId: clientId, SecretHash: parameters.SECRET_HASH }, username);
  const user = await authenticate(ctx, username, password);
  return result(ctx, clientId, user);
}

/** `InitiateAuth` (app client operation): `USER_PASSWORD_AUTH` only. */
export function initiateAuth(ctx: EmulatorContext, input: ApiInput) {
  return signInWithPassword(ctx, input, 'InitiateAuth');
}

/** `AdminInitiateAuth` (IAM-authorised on AWS, unchecked here): `ADMIN_USER_PASSWORD_AUTH` only. */
export function adminInitiateAuth(ctx: EmulatorContext, input: ApiInput) {
  requirePool(ctx, input);
  return signInWithPassword(ctx, input, 'AdminInitiateAuth');
}
