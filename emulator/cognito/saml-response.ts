import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.ts';
import { readForm, redirect } from '../http.ts';
import { type AuthorizeRequest, errorPageLocation } from './authorize.ts';
import { completeFederatedSignIn, federationError, takeFederationFlow } from './federation.ts';
import { findProviderByName } from './identity-providers.ts';
import { loadIdpMetadata, samlAcsUrl, samlAudience } from './saml-request.ts';
import { type SamlFailure, validateSamlResponse } from './saml-validate.ts';

/**
 * The user pool as SAML service provider, second half: `POST /saml2/idpresponse` (the ACS). The
 * RelayState names the pending federation flow, which is taken (single use); the SAMLResponse must
 * answer that flow's AuthnRequest and pass every check of {@link validateSamlResponse}. Then the
 * mapped attributes and the NameID become the federated user `<ProviderName>_<NameID>`. Every
 * failure ends in Cognito's error redirect to the app (`error`, `error_description`, `state`), or,
 * when the RelayState names no flow this pool started, in the `/error` page.
 */

/** A flow already answered, kept for the rest of its life so a replayed response gets an error redirect. */
interface AnsweredFlow {
  request: AuthorizeRequest;
  expiresAt: number;
}

/** Cognito's description for a RelayState it did not issue for a SAML sign-in. */
const UNKNOWN_RELAY_STATE = 'Invalid samlResponse or relayState from identity provider';

/** How long an answered RelayState is remembered (the federation flow's own life). */
const ANSWERED_LIFETIME_SECONDS = 600;

function answeredFlows(ctx: EmulatorContext): Record<string, AnsweredFlow> {
  return ctx.state.section<{ answered: Record<string, AnsweredFlow> }>('cognito-saml', () => ({ answered: {} })).answered;
}

function rememberAnswered(ctx: EmulatorContext, relayState: string, request: AuthorizeRequest): void {
  const answered = answeredFlows(ctx);
  const now = ctx.clock.nowSeconds();
  for (const [key, flow] of Object.entries(answered)) if (flow.expiresAt <= now) delete answered[key];
  answered[relayState] = { request, expiresAt: now + ANSWERED_LIFETIME_SECONDS };
  ctx.state.changed();
}

/** The OAuth error each failure is redirected with (Cognito words them `Invalid SAML response received: …`). */
const FAILURE_ERRORS: Record<SamlFailure, string> = {
  malformed: 'server_error',
  signature: 'server_error',
  status: 'access_denied',
  issuer: 'server_error',
  audience: 'server_error',
  recipient: 'server_error',
  in_response_to: 'invalid_request',
  not_yet_valid: 'server_error',
  expired: 'server_error',
};

/** Pool attributes from the IdP's attributes through the provider's attribute mapping (`username` is the NameID). */
export function mapSamlAttributes(mapping: Record<string, string>, attributes: Record<string, string>): Record<string, string> {
  const mapped: Record<string, string> = {};
  for (const [poolAttribute, samlAttribute] of Object.entries(mapping)) {
    const value = attributes[samlAttribute];
    if (poolAttribute !== 'username' && value !== undefined) mapped[poolAttribute] = value;
  }
  return mapped;
}

/** `POST /saml2/idpresponse`. */
export async function handleSamlResponse(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext): Promise<void> {
  const form = await readForm(req);
  const relayState = form.get('RelayState');
  const flow = takeFederationFlow(ctx, relayState);
  if (!flow || !relayState) {
    const answered = relayState ? answeredFlows(ctx)[relayState] : undefined;
    if (answered && answered.expiresAt > ctx.clock.nowSeconds()) {
      federationError(
        ctx,
        res,
        answered.request,
        'invalid_request',
        'Invalid SAML response received: the SAML response was already used',
      );
      return;
    }
    const location = new URL(errorPageLocation(ctx, 'invalid_request', null));
    location.searchParams.set('error_description', UNKNOWN_RELAY_STATE);
    redirect(res, location.href);
    return;
  }
  rememberAnswered(ctx, relayState, flow.request);
  const requestId = flow.extra.samlRequestId;
  if (requestId === undefined) {
    federationError(ctx, res, flow.request, 'invalid_request', UNKNOWN_RELAY_STATE);
    return;
  }
  const provider = findProviderByName(ctx, flow.providerName);
  const metadata = provider ? await loadIdpMetadata(provider) : undefined;
  if (!provider || !metadata) {
    federationError(ctx, res, flow.request, 'server_error', `Unable to read the SAML metadata of ${flow.providerName}`);
    return;
  }
  const result = await validateSamlResponse(form.get('SAMLResponse') ?? '', {
    idpEntityId: metadata.entityId,
    certificates: metadata.certificates,
    audience: samlAudience(ctx),
    acsUrl: samlAcsUrl(ctx),
    requestId,
    nowMs: ctx.clock.now(),
  });
  if (!result.ok) {
    const description =
      result.failure === 'status'
        ? `Invalid SAML response received: ${provider.name} answered with status ${result.detail}`
        : `Invalid SAML response received: ${result.detail}`;
    federationError(ctx, res, flow.request, FAILURE_ERRORS[result.failure], description);
    return;
  }
  completeFederatedSignIn(ctx, res, flow.request, {
    providerName: provider.name,
    userId: result.nameId,
    attributes: mapSamlAttributes(provider.attributeMapping, result.attributes),
  });
}
