import { SAML as NodeSaml, SamlStatusError, ValidateInResponseTo } from '@node-saml/node-saml';
import { samlReader, textOf } from '../idp/saml-protocol.ts';

/**
 * The user pool's checks of a SAML Response posted to `/saml2/idpresponse`, as a service provider.
 * node-saml verifies the XML signatures (the assertion must be signed by a certificate from the
 * IdP's metadata; a Response signature is checked when present) and the audience, and parses the
 * signed assertion. Everything that depends on time or on the pool's own records is checked here,
 * against the emulator's clock, from the signed assertion only: node-saml reads the real clock, so
 * its time checks are switched off (`acceptedClockSkewMs: -1`) and its InResponseTo cache unused.
 */

/** Tolerated difference between the IdP's clock and the pool's. */
export const SAML_CLOCK_SKEW_MS = 60_000;

export interface SamlExpectations {
  /** The IdP's entity id (Issuer of the Response and the Assertion). */
  idpEntityId: string;
  /** PEM certificates from the IdP's metadata; a signature by any of them is accepted. */
  certificates: string[];
  /** The pool's SP entity id, `urn:amazon:cognito:sp:<poolId>`. */
  audience: string;
  /** The pool's ACS URL (Destination, Recipient). */
  acsUrl: string;
  /** The ID of the AuthnRequest this answer must be for. */
  requestId: string;
  /** The pool's clock, in milliseconds. */
  nowMs: number;
}

export type SamlFailure =
  | 'malformed'
  | 'signature'
  | 'status'
  | 'issuer'
  | 'audience'
  | 'recipient'
  | 'in_response_to'
  | 'not_yet_valid'
  | 'expired';

export type SamlValidation =
  | { ok: true; nameId: string; attributes: Record<string, string> }
  | { ok: false; failure: SamlFailure; detail: string };

type XmlJs = { $?: Record<string, string>; _?: string; [child: string]: unknown };

function first(node: XmlJs, name: string): XmlJs | undefined {
  const children = node[name];
  return Array.isArray(children) ? (children[0] as XmlJs | undefined) : undefined;
}

function all(node: XmlJs | undefined, name: string): XmlJs[] {
  const children = node?.[name];
  return Array.isArray(children) ? (children as XmlJs[]) : [];
}

function fail(failure: SamlFailure, detail: string): SamlValidation {
  return { ok: false, failure, detail };
}

/** `NotBefore`/`NotOnOrAfter` of one element against the clock, with {@link SAML_CLOCK_SKEW_MS}. */
function timeFailure(attributes: Record<string, string> | undefined, nowMs: number): SamlValidation | undefined {
  const notBefore = attributes?.NotBefore ? Date.parse(attributes.NotBefore) : undefined;
  const notOnOrAfter = attributes?.NotOnOrAfter ? Date.parse(attributes.NotOnOrAfter) : undefined;
  if (Number.isNaN(notBefore) || Number.isNaN(notOnOrAfter)) return fail('malformed', 'invalid time in the assertion');
  if (notBefore !== undefined && nowMs + SAML_CLOCK_SKEW_MS < notBefore) {
    return fail('not_yet_valid', 'the SAML assertion is not yet valid');
  }
  if (notOnOrAfter !== undefined && nowMs - SAML_CLOCK_SKEW_MS >= notOnOrAfter) {
    return fail('expired', 'the SAML assertion has expired');
  }
  return undefined;
}

/** The Response element's own attributes and status, read from the raw XML (not covered by the assertion's signature). */
function responseEnvelope(xml: string): { destination?: string; inResponseTo?: string; issuer?: string; status: string[] } {
  const parsed = samlReader.parse(xml) as Record<string, unknown>;
  const response = (parsed.Response ?? {}) as Record<string, unknown>;
  const codes: string[] = [];
  let code = ((response.Status ?? {}) as Record<string, unknown>).StatusCode as Record<string, unknown> | undefined;
  while (code && codes.length < 3) {
    if (typeof code['@_Value'] === 'string') codes.push(code['@_Value']);
    code = code.StatusCode as Record<string, unknown> | undefined;
  }
  return {
    destination: response['@_Destination'] as string | undefined,
    inResponseTo: response['@_InResponseTo'] as string | undefined,
    issuer: textOf(response.Issuer),
    status: codes,
  };
}

function attributeValues(attributes: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (!attributes || typeof attributes !== 'object') return values;
  for (const [name, value] of Object.entries(attributes)) {
    const list = (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
    if (list.length > 0) values[name] = list.join(',');
  }
  return values;
}

/**
 * Verifies a base64 SAMLResponse for one pending AuthnRequest. Never throws: every problem is a
 * {@link SamlFailure} with a short detail.
 */
export async function validateSamlResponse(encoded: string, expected: SamlExpectations): Promise<SamlValidation> {
  let xml: string;
  let envelope: ReturnType<typeof responseEnvelope>;
  try {
    xml = Buffer.from(encoded, 'base64').toString('utf8');
    envelope = responseEnvelope(xml);
  } catch {
    return fail('malformed', 'the SAML response is not XML');
  }
  const sp = new NodeSaml({
    idpCert: expected.certificates,
    issuer: expected.audience,
    audience: expected.audience,
    callbackUrl: expected.acsUrl,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: -1,
    validateInResponseTo: ValidateInResponseTo.never,
  });
  let assertion: XmlJs;
  let nameId: string | undefined;
  let attributes: Record<string, string>;
  try {
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: encoded });
    if (!profile) return fail('malformed', 'the SAML response carries no assertion');
    assertion = (profile.getAssertion?.() as { Assertion?: XmlJs } | undefined)?.Assertion ?? {};
    nameId = profile.nameID;
    attributes = attributeValues(profile.attributes);
  } catch (error) {
    if (error instanceof SamlStatusError) return fail('status', envelope.status.join(' ') || 'no status code');
    const message = error instanceof Error ? error.message : String(error);
    if (/audience/i.test(message)) return fail('audience', 'the audience of the SAML assertion is not this user pool');
    if (/signature/i.test(message)) return fail('signature', 'SAML Assertion signature is invalid');
    return fail('malformed', message.slice(0, 200));
  }
  const issuer = first(assertion, 'Issuer')?._;
  if (issuer !== expected.idpEntityId || (envelope.issuer !== undefined && envelope.issuer !== expected.idpEntityId)) {
    return fail('issuer', 'the issuer of the SAML response is not the configured identity provider');
  }
  if (envelope.destination !== undefined && envelope.destination !== expected.acsUrl) {
    return fail('recipient', 'the SAML response is addressed to another destination');
  }
  const confirmations = all(first(assertion, 'Subject'), 'SubjectConfirmation')
    .map((confirmation) => first(confirmation, 'SubjectConfirmationData')?.$)
    .filter((data): data is Record<string, string> => data !== undefined);
  const confirmation = confirmations[0];
  if (!nameId || !confirmation?.NotOnOrAfter) return fail('malformed', 'the SAML assertion has no confirmed subject');
  if (confirmation.Recipient !== expected.acsUrl) return fail('recipient', 'the SAML assertion is for another recipient');
  if (
    confirmation.InResponseTo !== expected.requestId ||
    (envelope.inResponseTo !== undefined && envelope.inResponseTo !== expected.requestId)
  ) {
    return fail(
      'in_response_to',
      'InResponseTo attribute in the SAML response does not match the ID that was sent with the SAML authentication request',
    );
  }
  const timing = timeFailure(first(assertion, 'Conditions')?.$, expected.nowMs) ?? timeFailure(confirmation, expected.nowMs);
  if (timing) return timing;
  return { ok: true, nameId, attributes };
}
