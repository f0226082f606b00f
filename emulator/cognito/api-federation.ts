import type { EmulatorContext } from '../context.ts';
import { type ApiInput, requirePool } from './api-input.ts';
import { CognitoError, MESSAGES } from './errors.ts';
import { findUserByIdentity, providerIdentity } from './federation.ts';
import { findProviderByName, type IdentityProvider } from './identity-providers.ts';
import { requireUser, type StoredUser, touch } from './users.ts';

/**
 * AdminLinkProviderForUser and AdminDisableProviderForUser: a provider identity that has not signed
 * in yet is linked to an existing native user, so its later federated sign-ins sign in as that user
 * (email matches are never linked automatically, as on Cognito).
 */

/** Cognito links at most five provider identities to one user. */
const MAX_LINKED_IDENTITIES = 5;

/** A ProviderUserIdentifierType member (`SourceUser`, `DestinationUser`, `User`). */
function identifier(
  input: ApiInput,
  name: string,
): { providerName: string; attributeName: string | null; attributeValue: string } {
  const value = input[name];
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const providerName = record.ProviderName;
  const attributeValue = record.ProviderAttributeValue;
  if (typeof providerName !== 'string' || providerName === '' || typeof attributeValue !== 'string' || attributeValue === '') {
    throw new CognitoError('InvalidParameterException', `${name} must have a ProviderName and a ProviderAttributeValue.`);
  }
  const attributeName = typeof record.ProviderAttributeName === 'string' ? record.ProviderAttributeName : null;
  return { providerName, attributeName, attributeValue };
}

/** The configured provider a SourceUser/User names, linked by its subject (`Cognito_Subject`). */
function externalProvider(ctx: EmulatorContext, providerName: string, attributeName: string | null): IdentityProvider {
  const provider = findProviderByName(ctx, providerName);
  if (!provider)
    throw new CognitoError('InvalidParameterException', `Provider ${providerName} does not exist for this user pool.`);
  if (attributeName !== 'Cognito_Subject') {
    throw new CognitoError('InvalidParameterException', 'The emulator links provider identities by Cognito_Subject only.');
  }
  return provider;
}

function adminLinkProviderForUser(ctx: EmulatorContext, input: ApiInput) {
  requirePool(ctx, input);
  const destination = identifier(input, 'DestinationUser');
  const source = identifier(input, 'SourceUser');
  if (destination.providerName !== 'Cognito') {
    throw new CognitoError(
      'InvalidParameterException',
      'The emulator links to native users only (DestinationUser ProviderName Cognito).',
    );
  }
  const provider = externalProvider(ctx, source.providerName, source.attributeName);
  const user: StoredUser = requireUser(ctx, destination.attributeValue);
  const existing = findUserByIdentity(ctx, provider.name, source.attributeValue);
  if (existing?.status === 'EXTERNAL_PROVIDER') {
    throw new CognitoError(
      'InvalidParameterException',
      'Merging is not currently supported, provide a SourceUser that has not been signed up in order to link',
    );
  }
  if (existing) throw new CognitoError('AliasExistsException', 'This provider identity is already linked to a user.');
  const identities = user.identities ?? [];
  if (identities.length >= MAX_LINKED_IDENTITIES) {
    throw new CognitoError('LimitExceededException', 'The maximum number of linked identities for this user has been reached.');
  }
  user.identities = [...identities, providerIdentity(ctx, provider, source.attributeValue, false)];
  touch(ctx, user);
  return {};
}

/**
 * Unlinks a provider identity from the native user it was linked to; the provider's own federated
 * user of that identity is disabled instead (so it can no longer sign in).
 */
function adminDisableProviderForUser(ctx: EmulatorContext, input: ApiInput) {
  requirePool(ctx, input);
  const target = identifier(input, 'User');
  const provider = externalProvider(ctx, target.providerName, target.attributeName);
  const user = findUserByIdentity(ctx, provider.name, target.attributeValue);
  if (!user) throw new CognitoError('UserNotFoundException', MESSAGES.userNotFound);
  if (user.status === 'EXTERNAL_PROVIDER') {
    user.enabled = false;
  } else {
    user.identities = (user.identities ?? []).filter(
      (identity) => !(identity.providerName === provider.name && identity.userId === target.attributeValue),
    );
  }
  touch(ctx, user);
  return {};
}

/** The federation admin operations, merged into the admin API. */
export const FEDERATION_ADMIN_OPERATIONS: Record<string, (ctx: EmulatorContext, input: ApiInput) => unknown> = {
  AdminLinkProviderForUser: adminLinkProviderForUser,
  AdminDisableProviderForUser: adminDisableProviderForUser,
};
