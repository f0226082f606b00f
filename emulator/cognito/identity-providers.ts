import type { EmulatorContext } from '../context.ts';
import type { AppClient } from './client.ts';

/**
 * The pool's external identity providers, as `CreateIdentityProvider` would configure them on
 * Cognito: a provider name, a type, IdP identifiers (the `idp_identifier` values, e.g. an email
 * domain) and an attribute mapping (pool attribute → the provider's claim or SAML attribute). The
 * providers themselves are emulated on the emulator's origin under `/_idp/<slug>/`.
 */

/** Cognito's ProviderType values the emulator supports. */
export type IdentityProviderType = 'Google' | 'OIDC' | 'SAML';

/** Where the pool reaches an OIDC (or Google) provider, and the client the pool is registered as there. */
export interface OidcProviderDetails {
  /** The provider's issuer (`iss` of its ID tokens). */
  issuer: string;
  authorizeUrl: string;
  tokenUrl: string;
  jwksUri: string;
  /** The pool's client at the provider (Cognito's `client_id` / `client_secret` provider details). */
  clientId: string;
  clientSecret: string;
  /** Cognito's `authorize_scopes`. */
  scopes: string[];
}

export interface IdentityProvider {
  /** ProviderName: the `identity_provider` value, the username prefix and the group suffix. */
  name: string;
  type: IdentityProviderType;
  /** The managed-login button's label: "Continue with <displayName>". */
  displayName: string;
  /** IdpIdentifiers, matched case-insensitively against `idp_identifier`. */
  identifiers: string[];
  /** Pool attribute → provider claim. `username` names the claim that becomes the user id. */
  attributeMapping: Record<string, string>;
  /** The `issuer` Cognito puts in the `identities` entries of this provider (null for Google and OIDC). */
  identitiesIssuer: string | null;
  /** Set for Google and OIDC providers. */
  oidc?: OidcProviderDetails;
  /** Set for SAML providers. */
  saml?: SamlProviderDetails;
}

/** Cognito's SAML provider details: where the pool reads the IdP's metadata (entity id, SSO URL, signing certificates). */
export interface SamlProviderDetails {
  /** Cognito's `MetadataURL`. */
  metadataUrl: string;
}

/** The emulated OIDC providers' path segments: `<origin>/_idp/<slug>`. */
export const OIDC_PROVIDER_SLUGS = { Google: 'google', Acme: 'acme' } as const;

/** The pool's client ids and secrets at the emulated OIDC providers (the providers register the same). */
export const OIDC_CLIENTS = {
  google: { clientId: '000000000000-cubbylocal.apps.googleusercontent.com', clientSecret: 'GOCSPX-cubby-local-secret' },
  acme: { clientId: 'cubby-local', clientSecret: 'acme-cubby-local-secret' },
} as const;

/** `<origin>/_idp/<slug>`: an emulated provider's issuer. */
export function emulatedIssuer(ctx: EmulatorContext, slug: string): string {
  return `${ctx.config.origin}/_idp/${slug}`;
}

function oidcDetails(ctx: EmulatorContext, slug: keyof typeof OIDC_CLIENTS, scopes: string[]): OidcProviderDetails {
  const issuer = emulatedIssuer(ctx, slug);
  return {
    issuer,
    authorizeUrl: `${issuer}/authorize`,
    tokenUrl: `${issuer}/token`,
    jwksUri: `${issuer}/jwks`,
    ...OIDC_CLIENTS[slug],
    scopes,
  };
}

const OIDC_MAPPING = {
  username: 'sub',
  email: 'email',
  email_verified: 'email_verified',
  name: 'name',
  picture: 'picture',
};

/** What the managed-login page shows of a provider: its name, button label and IdP identifiers. */
export interface ProviderChoice {
  name: string;
  type: IdentityProviderType;
  displayName: string;
  identifiers: string[];
}

/** The pool's providers in the order the managed-login page lists them (the same for every origin). */
export const PROVIDER_CHOICES: readonly ProviderChoice[] = [
  { name: 'Google', type: 'Google', displayName: 'Google', identifiers: [] },
  { name: 'Acme', type: 'OIDC', displayName: 'Acme', identifiers: ['acme.example'] },
  { name: 'Globex', type: 'SAML', displayName: 'Globex', identifiers: ['globex.example'] },
];

function choice(name: string): ProviderChoice {
  const found = PROVIDER_CHOICES.find((provider) => provider.name === name);
  if (!found) throw new Error(`no provider choice ${name}`);
  return { ...found, identifiers: [...found.identifiers] };
}

/** Every identity provider configured on the pool, with its endpoints on this emulator's origin. */
export function identityProviders(ctx: EmulatorContext): IdentityProvider[] {
  return [
    {
      ...choice('Google'),
      attributeMapping: OIDC_MAPPING,
      identitiesIssuer: null,
      oidc: oidcDetails(ctx, 'google', ['openid', 'email', 'profile']),
    },
    {
      ...choice('Acme'),
      attributeMapping: OIDC_MAPPING,
      identitiesIssuer: null,
      oidc: oidcDetails(ctx, 'acme', ['openid', 'email', 'profile']),
    },
    {
      ...choice('Globex'),
      attributeMapping: {
        email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
        name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
      },
      identitiesIssuer: emulatedIssuer(ctx, 'globex'),
      saml: { metadataUrl: `${emulatedIssuer(ctx, 'globex')}/metadata` },
    },
  ];
}

/** The app client's SupportedIdentityProviders (locally: COGNITO and every configured provider). */
export function supportedIdentityProviders(_client: AppClient | undefined): string[] {
  return ['COGNITO', ...PROVIDER_CHOICES.map((provider) => provider.name)];
}

/** The provider named exactly `name` (Cognito's provider names are case-sensitive), or undefined. */
export function findProviderByName(ctx: EmulatorContext, name: string): IdentityProvider | undefined {
  return identityProviders(ctx).find((provider) => provider.name === name);
}

/** The provider one of whose IdP identifiers equals `identifier` case-insensitively, or undefined. */
export function findProviderByIdentifier(ctx: EmulatorContext, identifier: string): IdentityProvider | undefined {
  const wanted = identifier.trim().toLowerCase();
  return identityProviders(ctx).find((provider) => provider.identifiers.some((id) => id.toLowerCase() === wanted));
}

/**
 * The provider an authorize request names through `identity_provider` or `idp_identifier`, if the
 * app client supports it; undefined means Cognito's invalid_request.
 */
export function providerForClient(
  ctx: EmulatorContext,
  client: AppClient,
  by: { identityProvider: string | null; idpIdentifier: string | null },
): IdentityProvider | undefined {
  const provider =
    by.identityProvider !== null
      ? findProviderByName(ctx, by.identityProvider)
      : by.idpIdentifier !== null
        ? findProviderByIdentifier(ctx, by.idpIdentifier)
        : undefined;
  return provider && supportedIdentityProviders(client).includes(provider.name) ? provider : undefined;
}
