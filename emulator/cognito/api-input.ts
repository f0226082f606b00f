import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { EmulatorContext } from '../context.ts';
import { findClient } from './client.ts';
import { CognitoError, MESSAGES } from './errors.ts';
import { checkAccessToken } from './tokens.ts';
import { attributeList, findUser, type StoredUser } from './users.ts';

/** A JSON 1.1 request body. */
export type ApiInput = Record<string, unknown>;

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** A required string member; a missing one gives Cognito's validation message. */
export function required(input: ApiInput, name: string): string {
  const value = input[name];
  if (typeof value === 'string' && value !== '') return value;
  throw new CognitoError(
    'InvalidParameterException',
    `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
  );
}

export function optional(input: ApiInput, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' ? value : undefined;
}

/** `[{Name, Value}]` attribute lists as a record. */
export function attributesOf(input: ApiInput, name: string): Record<string, string> {
  const list = input[name];
  const attributes: Record<string, string> = {};
  if (!Array.isArray(list)) return attributes;
  for (const item of list as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { Name, Value } = item as { Name?: unknown; Value?: unknown };
    if (typeof Name === 'string' && typeof Value === 'string') attributes[Name] = Value;
  }
  return attributes;
}

/** Checks `UserPoolId` against the emulator's one pool. */
export function requirePool(ctx: EmulatorContext, input: ApiInput): void {
  const poolId = required(input, 'UserPoolId');
  if (poolId !== ctx.config.userPoolId)
    throw new CognitoError('ResourceNotFoundException', `User pool ${poolId} does not exist.`);
}

/**
 * Checks `ClientId` and, since the app client has a secret, `SecretHash` =
 * base64(HMAC-SHA256(secret, username + clientId)), with Cognito's messages.
 */
export function requireClientWithSecretHash(ctx: EmulatorContext, input: ApiInput, username: string): void {
  const clientId = required(input, 'ClientId');
  const client = findClient(ctx, clientId);
  if (!client) throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  const given = optional(input, 'SecretHash');
  if (!given) {
    throw new CognitoError(
      'NotAuthorizedException',
      `Client ${clientId} is configured with secret but SECRET_HASH was not received`,
    );
  }
  const expected = createHmac('sha256', client.clientSecret)
    .update(username + clientId)
    .digest();
  const actual = Buffer.from(given, 'base64');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new CognitoError('NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`);
  }
}

/**
 * The user of an `AccessToken` member, checked online as Cognito checks token-authorized
 * operations: signature, issuer and expiry ("Access Token has expired"), the user still present
 * (UserNotFoundException "User does not exist.") and enabled ("User is disabled."), its family
 * not revoked by revocation or a global sign-out ("Access Token has been revoked"), and the scope
 * `aws.cognito.signin.user.admin` ("Access Token does not have required scopes").
 */
export async function userOfAccessToken(ctx: EmulatorContext, input: ApiInput): Promise<StoredUser> {
  const token = required(input, 'AccessToken');
  const check = await checkAccessToken(ctx, token);
  if (!check.ok) {
    if (check.reason === 'expired') throw new CognitoError('NotAuthorizedException', 'Access Token has expired');
    if (check.reason !== 'revoked') throw new CognitoError('NotAuthorizedException', 'Invalid Access Token');
    // The signature was verified before a token is called revoked, so its claims can be read here.
    const { username } = decodeJwt(token);
    const user = typeof username === 'string' ? findUser(ctx, username) : undefined;
    if (!user) throw new CognitoError('UserNotFoundException', MESSAGES.userNotFound);
    if (!user.enabled) throw new CognitoError('NotAuthorizedException', MESSAGES.disabled);
    throw new CognitoError('NotAuthorizedException', 'Access Token has been revoked');
  }
  if (!check.family.scopes.includes('aws.cognito.signin.user.admin')) {
    throw new CognitoError('NotAuthorizedException', 'Access Token does not have required scopes');
  }
  return check.user;
}

/** Cognito's UserType (ListUsers, AdminCreateUser); dates are epoch seconds. */
export function userType(user: StoredUser) {
  return {
    Username: user.username,
    Attributes: attributeList(user),
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.modifiedAt / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

/** `j***@e***` as in CodeDeliveryDetails. */
export function maskedEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.charAt(0)}***@${domain.charAt(0)}***`;
}
