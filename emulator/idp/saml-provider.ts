import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { appClient } from '../cognito/client.ts';
import type { EmulatorContext } from '../context.ts';
import { readForm } from '../http.ts';
import { buildSamlResponse } from './saml-assertion.ts';
import { certificateBody, createSigningCredentials, credentialsMatch, type SigningCredentials } from './saml-certificate.ts';
import { GLOBEX_ASSETS, idpErrorPage, postBindingPage, sendIdpPage, signInPage } from './saml-pages.ts';
import { decodeRedirectMessage, SAML, samlReader, textOf, escapeXml as x } from './saml-protocol.ts';

/**
 * "Globex", an emulated SAML 2.0 identity provider on `<emulator origin>/_idp/globex`, standing in
 * for a company's IdP (Okta, Entra ID, ADFS...):
 *
 * - `GET  /metadata`  its metadata: entity id, signing certificate, SSO URL (HTTP-Redirect binding);
 * - `GET  /sso`       an AuthnRequest (`SAMLRequest`, `RelayState`) → the sign-in page;
 * - `POST /sso`       the page's answer → an auto-submitting HTTP-POST form to the SP's ACS with a
 *   signed SAMLResponse (Continue) or a signed `Responder`/`AuthnFailed` status (Cancel).
 *
 * Its RSA key and self-signed certificate are made at first use and kept with the emulator's state
 * (`/_local/reset` makes a new pair); the persistent NameID of each email is kept there too.
 */

export const GLOBEX_PATH = '/_idp/globex';

/** The persistent NameID of every email that signed in, and the signing pair. */
interface GlobexState {
  credentials: SigningCredentials | null;
  subjects: Record<string, string>;
}

function globexState(ctx: EmulatorContext): GlobexState {
  return ctx.state.section<GlobexState>('idp-globex', () => ({ credentials: null, subjects: {} }));
}

/** The IdP's base URL, which is also its entity id. */
export function globexEntityId(ctx: EmulatorContext): string {
  return `${ctx.config.origin}${GLOBEX_PATH}`;
}

/** The signing key and certificate, made (once) when first needed. */
export function globexCredentials(ctx: EmulatorContext): SigningCredentials {
  const state = globexState(ctx);
  if (!state.credentials || !credentialsMatch(state.credentials)) {
    const notBefore = ctx.clock.date();
    notBefore.setUTCDate(notBefore.getUTCDate() - 1);
    state.credentials = createSigningCredentials('Globex emulated SAML IdP', notBefore);
    ctx.state.changed();
  }
  return state.credentials;
}

/** The persistent NameID for an email: the same one at every sign-in. */
function nameIdFor(ctx: EmulatorContext, email: string): string {
  const state = globexState(ctx);
  const key = email.toLowerCase();
  let nameId = state.subjects[key];
  if (!nameId) {
    nameId = randomUUID();
    state.subjects[key] = nameId;
    ctx.state.changed();
  }
  return nameId;
}

/** The IdP's metadata document. */
export function globexMetadata(ctx: EmulatorContext): string {
  const entityId = globexEntityId(ctx);
  const certificate = certificateBody(globexCredentials(ctx).certificatePem);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<md:EntityDescriptor xmlns:md="${SAML.metadata}" entityID="${x(entityId)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="${SAML.protocol}">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="${SAML.dsig}"><ds:X509Data><ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:NameIDFormat>${SAML.persistentNameId}</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="${SAML.redirectBinding}" Location="${x(`${entityId}/sso`)}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}

/** What the IdP takes from an AuthnRequest. */
interface AuthnRequestFields {
  id: string;
  issuer: string;
  acsUrl: string;
}

/**
 * Reads an HTTP-Redirect AuthnRequest. The IdP serves service providers whose ACS URL is on this
 * emulator (its origin or the managed-login domain, any path): its "registered applications".
 */
function readAuthnRequest(ctx: EmulatorContext, encoded: string | null): AuthnRequestFields | string {
  if (!encoded) return 'The request has no SAMLRequest.';
  let request: Record<string, unknown>;
  try {
    const parsed = samlReader.parse(decodeRedirectMessage(encoded)) as Record<string, unknown>;
    request = (parsed.AuthnRequest ?? {}) as Record<string, unknown>;
  } catch {
    return 'The SAMLRequest is not a deflated, base64-encoded SAML message.';
  }
  const id = request['@_ID'];
  const issuer = textOf(request.Issuer)?.trim();
  const acsUrl = request['@_AssertionConsumerServiceURL'];
  const destination = request['@_Destination'];
  if (typeof id !== 'string' || !/^[A-Za-z_][\w.-]{0,255}$/.test(id)) return 'The AuthnRequest has no valid ID.';
  if (!issuer) return 'The AuthnRequest names no service provider (Issuer).';
  if (typeof destination === 'string' && destination !== `${globexEntityId(ctx)}/sso`) {
    return 'The AuthnRequest is addressed to another identity provider.';
  }
  if (typeof acsUrl !== 'string' || !registeredAcsOrigins(ctx).includes(safeOrigin(acsUrl))) {
    return 'The application asking is not registered with Globex (its AssertionConsumerServiceURL is unknown).';
  }
  return { id, issuer, acsUrl };
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

function registeredAcsOrigins(ctx: EmulatorContext): string[] {
  return [ctx.config.origin, ctx.config.domain];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function answer(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, base: string): Promise<void> {
  const form = await readForm(req);
  const samlRequest = form.get('SAMLRequest');
  const relayState = form.get('RelayState');
  const request = readAuthnRequest(ctx, samlRequest);
  if (typeof request === 'string') return sendIdpPage(res, 400, idpErrorPage(base, request));
  const email = (form.get('email') ?? '').trim();
  const name = (form.get('name') ?? '').trim();
  const cancelled = form.get('action') === 'cancel';
  if (!cancelled && !EMAIL.test(email)) {
    const page = signInPage({
      base,
      serviceProvider: request.issuer,
      samlRequest: samlRequest ?? '',
      relayState,
      email,
      name,
      error: 'Enter your email address.',
    });
    return sendIdpPage(res, 400, page);
  }
  const attributes: Record<string, string> = { 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': email };
  if (name) attributes['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'] = name;
  const xml = buildSamlResponse({
    issuer: globexEntityId(ctx),
    destination: request.acsUrl,
    audience: request.issuer,
    inResponseTo: request.id,
    nowMs: ctx.clock.now(),
    credentials: globexCredentials(ctx),
    ...(cancelled
      ? { status: { code: SAML.status.responder, subCode: SAML.status.authnFailed, message: 'The user cancelled the sign-in.' } }
      : { subject: { nameId: nameIdFor(ctx, email), attributes, sessionIndex: `_${randomBytes(16).toString('hex')}` } }),
  });
  const page = postBindingPage(base, request.acsUrl, Buffer.from(xml, 'utf8').toString('base64'), relayState);
  // The ACS answers the post with a redirect to the app, and browsers hold redirects after a form
  // post to form-action too: the app's callback origins are allowed, as on the OIDC providers' pages.
  const appOrigins = appClient(ctx).callbackUrls.map((url) => new URL(url).origin);
  sendIdpPage(res, 200, page, [...new Set([safeOrigin(request.acsUrl), ...appOrigins])]);
}

/** Answers `/_idp/globex/*`; false for every other path. */
export async function handleSamlProvider(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: EmulatorContext,
  url: URL,
): Promise<boolean> {
  if (url.pathname !== GLOBEX_PATH && !url.pathname.startsWith(`${GLOBEX_PATH}/`)) return false;
  const base = globexEntityId(ctx);
  const route = `${req.method ?? 'GET'} ${url.pathname.slice(GLOBEX_PATH.length)}`;
  if (route === 'GET /metadata') {
    res.writeHead(200, { 'content-type': 'application/samlmetadata+xml; charset=utf-8', 'cache-control': 'no-store' });
    res.end(globexMetadata(ctx));
    return true;
  }
  if (route === 'GET /sso') {
    const samlRequest = url.searchParams.get('SAMLRequest');
    const request = readAuthnRequest(ctx, samlRequest);
    if (typeof request === 'string') sendIdpPage(res, 400, idpErrorPage(base, request));
    else {
      const relayState = url.searchParams.get('RelayState');
      sendIdpPage(res, 200, signInPage({ base, serviceProvider: request.issuer, samlRequest: samlRequest ?? '', relayState }));
    }
    return true;
  }
  if (route === 'POST /sso') {
    await answer(req, res, ctx, base);
    return true;
  }
  const asset =
    req.method === 'GET' ? GLOBEX_ASSETS[url.pathname.slice(GLOBEX_PATH.length + 1) as keyof typeof GLOBEX_ASSETS] : undefined;
  if (asset) {
    res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    res.end(asset.body);
    return true;
  }
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('Not found');
  return true;
}
