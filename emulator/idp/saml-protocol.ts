import { randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';

/**
 * SAML 2.0 names and encodings both ends of the emulator's SAML federation use: the emulated IdP
 * (Globex, `emulator/idp/`) and the user pool as service provider (`emulator/cognito/saml-*.ts`).
 */

export const SAML = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  postBinding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  redirectBinding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  persistentNameId: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  unspecifiedNameId: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  entityFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity',
  bearer: 'urn:oasis:names:tc:SAML:2.0:cm:bearer',
  uriAttribute: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
  passwordProtectedTransport: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
  status: {
    success: 'urn:oasis:names:tc:SAML:2.0:status:Success',
    requester: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
    responder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
    authnFailed: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed',
  },
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  exclusiveC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
} as const;

/** The SAML SP entity id (and assertion audience) of a Cognito user pool. */
export function cognitoSpEntityId(userPoolId: string): string {
  return `urn:amazon:cognito:sp:${userPoolId}`;
}

/** A SAML ID: an NCName (must not start with a digit), 160 random bits. */
export function samlId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

/** xs:dateTime in UTC with milliseconds, as SAML instants are written. */
export function samlInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/** Escapes text for XML element content and attribute values. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** HTTP-Redirect binding: DEFLATE (raw), then base64 (the caller URL-encodes it as a query value). */
export function encodeRedirectMessage(xml: string): string {
  return deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');
}

/** Reverses {@link encodeRedirectMessage}; throws on anything that is not a deflated message. */
export function decodeRedirectMessage(value: string): string {
  return inflateRawSync(Buffer.from(value, 'base64'), { maxOutputLength: 100_000 }).toString('utf8');
}

/**
 * A namespace-blind reader for the few fields each side reads from a message it is not asked to
 * trust (an AuthnRequest, metadata): prefixes dropped, attributes under `@_`, text under `#text`.
 * Signed responses are read through node-saml, never through this.
 */
export const samlReader = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => ['KeyDescriptor', 'SingleSignOnService', 'X509Certificate', 'Attribute', 'AttributeValue'].includes(name),
});

/** The text of a parsed element that may carry attributes (`{ '#text': … }`) or be a plain string. */
export function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object' && '#text' in node) {
    const text = (node as Record<string, unknown>)['#text'];
    return typeof text === 'string' ? text : undefined;
  }
  return undefined;
}
