import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.ts';
import { redirect } from '../http.ts';
import { type AuthorizeRequest, completeSignIn, errorRedirect } from './authorize.ts';
import { findProviderByName, type IdentityProvider } from './identity-providers.ts';
import { directory, type ProviderIdentity, type StoredUser, touch } from './users.ts';

/**
 * The pool's side of federation, shared by every provider kind (OIDC, Google, SAML): the pending
 * flows between `/oauth2/authorize` and the provider's answer, the federated user
 * (`<ProviderName>_<userId>`, status EXTERNAL_PROVIDER, group `<poolId>_<ProviderName>`), identities
 * linked to native users (AdminLinkProviderForUser), and the error redirect to the app.
 */

/** A provider's verified answer: who signed in, with the pool attributes already mapped. */
export interface FederatedIdentity {
  providerName: string;
  userId: string;
  /** Mapped pool attributes: email, email_verified ('true'/'false'), name, picture, ... */
  attributes: Record<string, string>;
}

/** A pending federation: the app's authorize request waiting for the provider's answer. */
export interface FederationFlow {
  request: AuthorizeRequest;
  providerName: string;
  /** Provider-specific values (OIDC: nonce and PKCE verifier; SAML: the AuthnRequest id). */
  extra: Record<string, string>;
}

interface StoredFlow extends FederationFlow {
  expiresAt: number;
}

/** How long a browser may stay at the provider before the pool forgets the flow. */
const FLOW_LIFETIME_SECONDS = 600;

function flows(ctx: EmulatorContext): Record<string, StoredFlow> {
  return ctx.state.section<{ flows: Record<string, StoredFlow> }>('cognito-federation', () => ({ flows: {} })).flows;
}

/** Remembers a flow for {@link FLOW_LIFETIME_SECONDS}; the id is the `state` (or RelayState) sent to the provider. */
export function startFederationFlow(
  ctx: EmulatorContext,
  request: AuthorizeRequest,
  providerName: string,
  extra: Record<string, string> = {},
): string {
  const store = flows(ctx);
  const now = ctx.clock.nowSeconds();
  for (const [key, flow] of Object.entries(store)) if (flow.expiresAt <= now) delete store[key];
  const id = randomBytes(32).toString('base64url');
  store[id] = { request, providerName, extra, expiresAt: now + FLOW_LIFETIME_SECONDS };
  ctx.state.changed();
  return id;
}

/** Removes and returns a flow: single use; unknown, used or expired ids give undefined. */
export function takeFederationFlow(ctx: EmulatorContext, id: string | null | undefined): FederationFlow | undefined {
  if (!id) return undefined;
  const store = flows(ctx);
  const flow = store[id];
  if (!flow) return undefined;
  delete store[id];
  ctx.state.changed();
  if (flow.expiresAt <= ctx.clock.nowSeconds()) return undefined;
  const { expiresAt: _expiresAt, ...rest } = flow;
  return rest;
}

/** Cognito's error redirect to the app: `redirect_uri?error=…&error_description=…&state=…`. */
export function federationError(
  _ctx: EmulatorContext,
  res: ServerResponse,
  request: AuthorizeRequest,
  error: string,
  description: string,
): void {
  redirect(res, errorRedirect(request.redirectUri, error, request.state, description));
}

/** `<poolId>_<ProviderName>`: the group Cognito puts every user of a provider in. */
export function providerGroupName(ctx: EmulatorContext, providerName: string): string {
  return `${ctx.config.userPoolId}_${providerName}`;
}

/** The user that signs in for this provider identity: its own federated user, or the native user it was linked to. */
export function findUserByIdentity(ctx: EmulatorContext, providerName: string, userId: string): StoredUser | undefined {
  return Object.values(directory(ctx).users).find((user) =>
    user.identities?.some((identity) => identity.providerName === providerName && identity.userId === userId),
  );
}

/** The `identities` ID-token claim: Cognito writes `primary` and `dateCreated` as strings there. */
export function identitiesClaim(user: StoredUser): Record<string, string | null>[] | undefined {
  if (!user.identities?.length) return undefined;
  return user.identities.map((identity) => ({
    userId: identity.userId,
    providerName: identity.providerName,
    providerType: identity.providerType,
    issuer: identity.issuer,
    primary: String(identity.primary),
    dateCreated: String(identity.dateCreated),
  }));
}

/** A provider identity as stored in a user's `identities`. */
export function providerIdentity(
  ctx: EmulatorContext,
  provider: IdentityProvider,
  userId: string,
  primary: boolean,
): ProviderIdentity {
  return {
    userId,
    providerName: provider.name,
    providerType: provider.type,
    issuer: provider.identitiesIssuer,
    primary,
    dateCreated: ctx.clock.now(),
  };
}

function ensureProviderGroup(ctx: EmulatorContext, providerName: string): string {
  const name = providerGroupName(ctx, providerName);
  const { groups } = directory(ctx);
  if (!groups[name]) {
    const now = ctx.clock.now();
    groups[name] = {
      name,
      description: `Autogenerated group for users who sign in using ${providerName}`,
      roleArn: null,
      precedence: null,
      createdAt: now,
      modifiedAt: now,
    };
    ctx.state.changed();
  }
  return name;
}

/** Writes mapped attributes onto a federated user (Cognito updates them at every federated sign-in). */
function applyAttributes(user: StoredUser, attributes: Record<string, string>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'email') user.email = value.trim().toLowerCase();
    else if (name === 'email_verified') user.emailVerified = value === 'true';
    else if (name !== 'sub' && name !== 'identities') user.attributes[name] = value;
  }
}

function createFederatedUser(ctx: EmulatorContext, provider: IdentityProvider, identity: FederatedIdentity): StoredUser {
  const now = ctx.clock.now();
  const sub = randomUUID();
  const user: StoredUser = {
    username: `${provider.name}_${identity.userId}`,
    sub,
    email: '',
    emailVerified: false,
    status: 'EXTERNAL_PROVIDER',
    passwordHash: '',
    enabled: true,
    groups: [ensureProviderGroup(ctx, provider.name)],
    attributes: {},
    totp: null,
    signUpCode: null,
    resetCode: null,
    createdAt: now,
    modifiedAt: now,
    identities: [providerIdentity(ctx, provider, identity.userId, true)],
  };
  applyAttributes(user, identity.attributes);
  directory(ctx).users[user.username] = user;
  ctx.state.changed();
  return user;
}

/**
 * Ends a verified federated sign-in as Cognito does: the native user this identity was linked to,
 * else the federated user `<ProviderName>_<userId>` (created on first sign-in, its mapped
 * attributes refreshed on every later one, member of `<poolId>_<ProviderName>`); then a new
 * managed-login session and the code redirect to the app. A disabled user gets an error redirect.
 */
export function completeFederatedSignIn(
  ctx: EmulatorContext,
  res: ServerResponse,
  request: AuthorizeRequest,
  identity: FederatedIdentity,
): void {
  const provider = findProviderByName(ctx, identity.providerName);
  if (!provider) {
    federationError(ctx, res, request, 'invalid_request', 'Login option is not available. Please try another one');
    return;
  }
  let user = findUserByIdentity(ctx, provider.name, identity.userId);
  if (!user) {
    user = createFederatedUser(ctx, provider, identity);
  } else if (user.status === 'EXTERNAL_PROVIDER') {
    applyAttributes(user, identity.attributes);
    if (!user.groups.includes(providerGroupName(ctx, provider.name))) user.groups.push(ensureProviderGroup(ctx, provider.name));
    touch(ctx, user);
  }
  if (user.enabled) completeSignIn(ctx, res, request, user);
  else federationError(ctx, res, request, 'invalid_request', 'User is disabled.');
}
