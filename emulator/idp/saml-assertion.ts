import { SignedXml } from 'xml-crypto';
import type { SigningCredentials } from './saml-certificate.ts';
import { SAML, samlId, samlInstant, escapeXml as x } from './saml-protocol.ts';

/**
 * The emulated IdP's SAML Responses: a signed Response around a signed Assertion (RSA-SHA256,
 * exclusive c14n, enveloped signatures placed after each Issuer, the certificate in KeyInfo), or a
 * signed Response carrying only a failure status. Signatures are computed by xml-crypto.
 */

/** How long an assertion may be presented (Conditions and SubjectConfirmationData NotOnOrAfter). */
export const ASSERTION_LIFETIME_SECONDS = 300;

/** Who signed in, as the IdP asserts it. */
export interface AssertedSubject {
  /** Persistent NameID, stable for one person. */
  nameId: string;
  /** Attribute name (a URI) → value. */
  attributes: Record<string, string>;
  sessionIndex: string;
}

/** A failure status: top-level code, optional second-level code and message. */
export interface ResponseStatus {
  code: string;
  subCode?: string;
  message?: string;
}

export interface SamlResponseInput {
  /** The IdP's entity id. */
  issuer: string;
  /** The SP's assertion consumer service URL (Destination, Recipient). */
  destination: string;
  /** The SP's entity id (AudienceRestriction). */
  audience: string;
  /** The AuthnRequest's ID. */
  inResponseTo: string;
  /** The IdP's clock, in milliseconds. */
  nowMs: number;
  credentials: SigningCredentials;
  /** A successful sign-in; without it the Response carries `status` and no assertion. */
  subject?: AssertedSubject;
  status?: ResponseStatus;
}

function sign(xml: string, element: 'Assertion' | 'Response', credentials: SigningCredentials): string {
  const signer = new SignedXml({
    privateKey: credentials.privateKeyPem,
    publicCert: credentials.certificatePem,
    signatureAlgorithm: SAML.rsaSha256,
    canonicalizationAlgorithm: SAML.exclusiveC14n,
  });
  signer.addReference({
    xpath: `/*[local-name(.)='${element}']`,
    transforms: [SAML.envelopedSignature, SAML.exclusiveC14n],
    digestAlgorithm: SAML.sha256,
  });
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `/*[local-name(.)='${element}']/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return signer.getSignedXml();
}

function assertionXml(input: SamlResponseInput, subject: AssertedSubject): string {
  const now = samlInstant(input.nowMs);
  const until = samlInstant(input.nowMs + ASSERTION_LIFETIME_SECONDS * 1000);
  const attributes = Object.entries(subject.attributes)
    .map(
      ([name, value]) =>
        `<saml:Attribute Name="${x(name)}" NameFormat="${SAML.uriAttribute}"><saml:AttributeValue xsi:type="xs:string">${x(value)}</saml:AttributeValue></saml:Attribute>`,
    )
    .join('');
  return (
    `<saml:Assertion xmlns:saml="${SAML.assertion}" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="${samlId()}" IssueInstant="${now}" Version="2.0">` +
    `<saml:Issuer Format="${SAML.entityFormat}">${x(input.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${SAML.persistentNameId}">${x(subject.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="${SAML.bearer}"><saml:SubjectConfirmationData InResponseTo="${x(input.inResponseTo)}" NotOnOrAfter="${until}" Recipient="${x(input.destination)}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${now}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${x(input.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${now}" SessionIndex="${x(subject.sessionIndex)}"><saml:AuthnContext><saml:AuthnContextClassRef>${SAML.passwordProtectedTransport}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` +
    `</saml:Assertion>`
  );
}

function statusXml(status: ResponseStatus): string {
  const inner = status.subCode ? `<samlp:StatusCode Value="${x(status.subCode)}"/>` : '';
  const message = status.message ? `<samlp:StatusMessage>${x(status.message)}</samlp:StatusMessage>` : '';
  return `<samlp:Status><samlp:StatusCode Value="${x(status.code)}">${inner}</samlp:StatusCode>${message}</samlp:Status>`;
}

/** A signed SAML Response (XML text, not yet base64) for the HTTP-POST binding. */
export function buildSamlResponse(input: SamlResponseInput): string {
  const status = input.subject ? { code: SAML.status.success } : (input.status ?? { code: SAML.status.responder });
  const assertion = input.subject ? sign(assertionXml(input, input.subject), 'Assertion', input.credentials) : '';
  const response =
    `<samlp:Response xmlns:samlp="${SAML.protocol}" xmlns:saml="${SAML.assertion}" ID="${samlId()}" Version="2.0" IssueInstant="${samlInstant(input.nowMs)}" Destination="${x(input.destination)}" InResponseTo="${x(input.inResponseTo)}">` +
    `<saml:Issuer Format="${SAML.entityFormat}">${x(input.issuer)}</saml:Issuer>` +
    statusXml(status) +
    assertion +
    `</samlp:Response>`;
  return sign(response, 'Response', input.credentials);
}
