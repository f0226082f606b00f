import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.ts';
import { redirect } from '../http.ts';
import { certificateFromBody } from '../idp/saml-certificate.ts';
import {
  cognitoSpEntityId,
  encodeRedirectMessage,
  SAML,
  samlId,
  samlInstant,
  samlReader,
  textOf,
  escapeXml as x,
} from '../idp/saml-protocol.ts';
import type { AuthorizeRequest } from './authorize.ts';
import { federationError, startFederationFlow } from './federation.ts';
import type { IdentityProvider } from './identity-providers.ts';

/**
 * The user pool as SAML service provider, first half: on `/oauth2/authorize` for a SAML provider
 * the pool reads the IdP's metadata (as Cognito does from a provider's MetadataURL), remembers the
 * app's request as a federation flow (its id is the RelayState, the AuthnRequest's ID is kept with
 * it for InResponseTo), and redirects the browser to the IdP's SSO URL with an unsigned
 * AuthnRequest (HTTP-Redirect binding).
 */

/** What the pool takes from an IdP's metadata. */
export interface SamlIdpMetadata {
  entityId: string;
  /** The HTTP-Redirect SingleSignOnService location. */
  ssoUrl: string;
  /** PEM signing certificates (`KeyDescriptor` with `use="signing"` or no `use`). */
  certificates: string[];
}

/** How long the pool waits for an IdP's metadata document. */
const METADATA_TIMEOUT_MS = 5000;

/** `<managed-login domain>/saml2/idpresponse`: the pool's assertion consumer service (ACS) URL. */
export function samlAcsUrl(ctx: EmulatorContext): string {
  return `${ctx.config.domain}/saml2/idpresponse`;
}

/** The pool's SP entity id and the audience its assertions must name. */
export function samlAudience(ctx: EmulatorContext): string {
  return cognitoSpEntityId(ctx.config.userPoolId);
}

function asArray(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((item): item is Record<string, unknown> => typeof item === 'object');
}

/** Reads an IdP's metadata document; undefined when it lacks an entity id, a redirect SSO URL or a signing certificate. */
export function parseIdpMetadata(xml: string): SamlIdpMetadata | undefined {
  let entity: Record<string, unknown>;
  try {
    entity = ((samlReader.parse(xml) as Record<string, unknown>).EntityDescriptor ?? {}) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const descriptor = asArray(entity.IDPSSODescriptor)[0];
  const entityId = entity['@_entityID'];
  const sso = asArray(descriptor?.SingleSignOnService).find((service) => service['@_Binding'] === SAML.redirectBinding);
  const certificates = asArray(descriptor?.KeyDescriptor)
    .filter((key) => key['@_use'] === undefined || key['@_use'] === 'signing')
    .flatMap((key) => asArray((key.KeyInfo as Record<string, unknown> | undefined)?.X509Data))
    .flatMap((data) => (Array.isArray(data.X509Certificate) ? data.X509Certificate : [data.X509Certificate]))
    .map(textOf)
    .filter((body): body is string => typeof body === 'string' && body.length > 0)
    .map(certificateFromBody);
  const ssoUrl = sso?.['@_Location'];
  if (typeof entityId !== 'string' || typeof ssoUrl !== 'string' || certificates.length === 0) return undefined;
  return { entityId, ssoUrl, certificates };
}

/**
 * Fetches and reads a SAML provider's metadata (bounded by {@link METADATA_TIMEOUT_MS}); undefined
 * when it cannot be had. Read at every use, so a new IdP certificate is picked up at once.
 */
export async function loadIdpMetadata(provider: IdentityProvider): Promise<SamlIdpMetadata | undefined> {
  if (!provider.saml) return undefined;
  try {
    const response = await fetch(provider.saml.metadataUrl, { signal: AbortSignal.timeout(METADATA_TIMEOUT_MS) });
    return response.ok ? parseIdpMetadata(await response.text()) : undefined;
  } catch {
    return undefined;
  }
}

/** An AuthnRequest as Cognito sends one: unsigned, HTTP-POST binding asked for the answer. */
export function authnRequestXml(input: {
  id: string;
  nowMs: number;
  ssoUrl: string;
  acsUrl: string;
  spEntityId: string;
}): string {
  return (
    `<saml2p:AuthnRequest xmlns:saml2p="${SAML.protocol}" AssertionConsumerServiceURL="${x(input.acsUrl)}" Destination="${x(input.ssoUrl)}" ForceAuthn="false" ID="${x(input.id)}" IsPassive="false" IssueInstant="${samlInstant(input.nowMs)}" ProtocolBinding="${SAML.postBinding}" Version="2.0">` +
    `<saml2:Issuer xmlns:saml2="${SAML.assertion}">${x(input.spEntityId)}</saml2:Issuer>` +
    `<saml2p:NameIDPolicy AllowCreate="true" Format="${SAML.persistentNameId}"/>` +
    `</saml2p:AuthnRequest>`
  );
}

/**
 * Sends the browser to a SAML provider for `request`: `302 <SSO URL>?SAMLRequest=…&RelayState=<flow id>`.
 * Metadata that cannot be read ends in Cognito's error redirect to the app.
 */
export async function startSamlSignIn(
  ctx: EmulatorContext,
  res: ServerResponse,
  request: AuthorizeRequest,
  provider: IdentityProvider,
): Promise<void> {
  const metadata = await loadIdpMetadata(provider);
  if (!metadata) {
    federationError(ctx, res, request, 'server_error', `Unable to read the SAML metadata of ${provider.name}`);
    return;
  }
  const requestId = samlId();
  const relayState = startFederationFlow(ctx, request, provider.name, { samlRequestId: requestId });
  const xml = authnRequestXml({
    id: requestId,
    nowMs: ctx.clock.now(),
    ssoUrl: metadata.ssoUrl,
    acsUrl: samlAcsUrl(ctx),
    spEntityId: samlAudience(ctx),
  });
  const location = new URL(metadata.ssoUrl);
  location.searchParams.set('SAMLRequest', encodeRedirectMessage(xml));
  location.searchParams.set('RelayState', relayState);
  redirect(res, location.href);
}
