/**
 * The external identity providers' parameters (Google, one enterprise OpenID Connect provider, one
 * SAML 2.0 provider), read and validated with the rest in params.ts. A provider is on as soon as
 * one of its parameters is set; then every parameter it needs must be set too.
 *
 * Pure: the sources are passed in, and a SAML metadata file is read through `readFile`.
 */

/**
 * Where CloudFormation finds a provider's client secret at deploy time: the template holds only
 * this reference (a dynamic reference), never the secret.
 */
export type SecretRef = { kind: 'secretsmanager'; secretId: string; jsonField?: string } | { kind: 'ssm'; parameterName: string };

/** Pool attribute → the provider's claim (OIDC) or SAML attribute name. */
export type AttributeMapping = Readonly<Record<string, string>>;

export interface GoogleParams {
  clientId: string;
  clientSecret: SecretRef;
}

export interface OidcParams {
  /** ProviderName: the app's `provider=` value, the username prefix `<name>_` and the group `<poolId>_<name>`. */
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: SecretRef;
  scopes: string[];
  attributeMapping: AttributeMapping;
  /** IdP identifiers: email domains that send people to this provider (`idp_identifier`). */
  identifiers: string[];
  attributesRequestMethod: 'GET' | 'POST';
}

export interface SamlParams {
  name: string;
  metadata: { kind: 'url'; url: string } | { kind: 'file'; content: string };
  attributeMapping: AttributeMapping;
  identifiers: string[];
}

/** The providers switched on; an absent key is off. */
export interface FederationParams {
  google?: GoogleParams;
  oidc?: OidcParams;
  saml?: SamlParams;
}

/** Scopes Cubby asks Google for, and an OIDC provider by default: identity, email, profile (name, picture). */
export const DEFAULT_OIDC_SCOPES = ['openid', 'email', 'profile'] as const;

/**
 * Google's mapping, and an OIDC provider's by default: the standard claims carry the pool's
 * attribute names. (Cognito maps the provider's `sub` to the username itself.)
 */
export const OIDC_ATTRIBUTE_MAPPING: AttributeMapping = {
  email: 'email',
  email_verified: 'email_verified',
  name: 'name',
  picture: 'picture',
};

/** The claims most SAML IdPs (Entra ID, AD FS, Okta's defaults) use for email and display name. */
export const SAML_ATTRIBUTE_MAPPING: AttributeMapping = {
  email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
};

/** Each federation parameter: its context key and environment variable. */
export const FEDERATION_PARAMETERS = {
  googleClientId: 'CUBBY_GOOGLE_CLIENT_ID',
  googleClientSecret: 'CUBBY_GOOGLE_CLIENT_SECRET',
  oidcName: 'CUBBY_OIDC_NAME',
  oidcIssuer: 'CUBBY_OIDC_ISSUER',
  oidcClientId: 'CUBBY_OIDC_CLIENT_ID',
  oidcClientSecret: 'CUBBY_OIDC_CLIENT_SECRET',
  oidcScopes: 'CUBBY_OIDC_SCOPES',
  oidcAttributeMapping: 'CUBBY_OIDC_ATTRIBUTE_MAPPING',
  oidcIdentifiers: 'CUBBY_OIDC_IDENTIFIERS',
  oidcAttributesRequestMethod: 'CUBBY_OIDC_ATTRIBUTES_REQUEST_METHOD',
  samlName: 'CUBBY_SAML_NAME',
  samlMetadataUrl: 'CUBBY_SAML_METADATA_URL',
  samlMetadataFile: 'CUBBY_SAML_METADATA_FILE',
  samlAttributeMapping: 'CUBBY_SAML_ATTRIBUTE_MAPPING',
  samlIdentifiers: 'CUBBY_SAML_IDENTIFIERS',
} as const;

export type FederationParameterName = keyof typeof FEDERATION_PARAMETERS;

/** How params.ts hands a parameter over: its raw text (context wins, then the environment), or undefined. */
export interface FederationInput {
  get: (name: FederationParameterName) => string | undefined;
  /** A context value that may be an object (an attribute mapping written in cdk.json). */
  getObject: (name: FederationParameterName) => Record<string, unknown> | undefined;
  /** Reads a file at synth; undefined when it cannot be read. */
  readFile?: (path: string) => string | undefined;
}

// ProviderName: no underscore (Cognito joins `<name>_<id>` for the username) and no spaces (a URL value).
const PROVIDER_NAME = /^[A-Za-z][A-Za-z0-9-]{1,30}[A-Za-z0-9]$/;
// Names Cognito gives its social providers, and its own: a custom provider cannot take them.
const RESERVED_NAMES = new Set(['cognito', 'google', 'facebook', 'loginwithamazon', 'signinwithapple']);
const DOMAIN = /^(?=.{1,40}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const SECRET_ID = /^[A-Za-z0-9/_+=.@:-]{1,2048}$/;
const JSON_FIELD = /^[A-Za-z0-9_.-]{1,256}$/;
const SSM_NAME = /^[A-Za-z0-9_./-]{1,2048}$/;
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const STANDARD_ATTRIBUTES = new Set([
  'address',
  'birthdate',
  'email',
  'email_verified',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'phone_number_verified',
  'picture',
  'preferred_username',
  'profile',
  'updated_at',
  'website',
  'zoneinfo',
]);

const label = (name: FederationParameterName) => `${name} (${FEDERATION_PARAMETERS[name]})`;

/** Reads the three providers; pushes one line per problem. */
export function readFederation(input: FederationInput, problems: string[]): FederationParams {
  const federation: FederationParams = {};
  const google = readGoogle(input, problems);
  const oidc = readOidc(input, problems);
  const saml = readSaml(input, problems);
  if (google) federation.google = google;
  if (oidc) federation.oidc = oidc;
  if (saml) federation.saml = saml;
  if (oidc && saml && oidc.name.toLowerCase() === saml.name.toLowerCase()) {
    problems.push(`${label('oidcName')} and ${label('samlName')}: the two providers need different names`);
  }
  const oidcDomains = new Set(oidc?.identifiers ?? []);
  const shared = (saml?.identifiers ?? []).filter((domain) => oidcDomains.has(domain));
  if (shared.length > 0) {
    problems.push(`${label('oidcIdentifiers')} and ${label('samlIdentifiers')}: ${shared.join(', ')} named by both`);
  }
  return federation;
}

function anySet(input: FederationInput, names: readonly FederationParameterName[]): boolean {
  return names.some((name) => input.get(name) !== undefined || input.getObject(name) !== undefined);
}

function required(input: FederationInput, name: FederationParameterName, what: string, problems: string[]): string | undefined {
  const value = input.get(name);
  if (value === undefined) problems.push(`${label(name)}: is required with ${what}`);
  return value;
}

function readGoogle(input: FederationInput, problems: string[]): GoogleParams | undefined {
  if (!anySet(input, ['googleClientId', 'googleClientSecret'])) return undefined;
  const before = problems.length;
  const clientId = required(input, 'googleClientId', 'Google sign-in', problems);
  const clientSecret = parseSecretRef(
    required(input, 'googleClientSecret', 'Google sign-in', problems),
    'googleClientSecret',
    problems,
  );
  if (clientId !== undefined && !/^[\w.-]+\.apps\.googleusercontent\.com$/.test(clientId)) {
    problems.push(`${label('googleClientId')}: must be a Google OAuth client id (…apps.googleusercontent.com)`);
  }
  return problems.length === before && clientId && clientSecret ? { clientId, clientSecret } : undefined;
}

function readOidc(input: FederationInput, problems: string[]): OidcParams | undefined {
  const names = Object.keys(FEDERATION_PARAMETERS).filter((name) => name.startsWith('oidc')) as FederationParameterName[];
  if (!anySet(input, names)) return undefined;
  const before = problems.length;
  const what = 'an OIDC provider';
  const name = parseProviderName(required(input, 'oidcName', what, problems), 'oidcName', problems);
  const issuer = parseHttpsUrl(required(input, 'oidcIssuer', what, problems), 'oidcIssuer', problems);
  const clientId = required(input, 'oidcClientId', what, problems);
  const clientSecret = parseSecretRef(required(input, 'oidcClientSecret', what, problems), 'oidcClientSecret', problems);
  const scopes = parseScopes(input.get('oidcScopes'), problems);
  const attributeMapping = parseMapping(input, 'oidcAttributeMapping', OIDC_ATTRIBUTE_MAPPING, problems);
  const identifiers = parseIdentifiers(input.get('oidcIdentifiers'), 'oidcIdentifiers', problems);
  const method = (input.get('oidcAttributesRequestMethod') ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'POST') problems.push(`${label('oidcAttributesRequestMethod')}: must be GET or POST`);
  if (problems.length !== before || !name || !issuer || !clientId || !clientSecret) return undefined;
  return {
    name,
    issuer,
    clientId,
    clientSecret,
    scopes,
    attributeMapping,
    identifiers,
    attributesRequestMethod: method === 'POST' ? 'POST' : 'GET',
  };
}

function readSaml(input: FederationInput, problems: string[]): SamlParams | undefined {
  const names = Object.keys(FEDERATION_PARAMETERS).filter((name) => name.startsWith('saml')) as FederationParameterName[];
  if (!anySet(input, names)) return undefined;
  const before = problems.length;
  const name = parseProviderName(required(input, 'samlName', 'a SAML provider', problems), 'samlName', problems);
  const url = input.get('samlMetadataUrl');
  const file = input.get('samlMetadataFile');
  let metadata: SamlParams['metadata'] | undefined;
  if (url !== undefined && file !== undefined) {
    problems.push(`${label('samlMetadataUrl')} and ${label('samlMetadataFile')}: set one, not both`);
  } else if (url !== undefined) {
    const parsed = parseHttpsUrl(url, 'samlMetadataUrl', problems);
    if (parsed) metadata = { kind: 'url', url: parsed };
  } else if (file !== undefined) {
    const content = input.readFile?.(file);
    if (content === undefined) problems.push(`${label('samlMetadataFile')}: cannot read ${file}`);
    else if (!/<(\w+:)?EntityDescriptor[\s>]/.test(content)) {
      problems.push(`${label('samlMetadataFile')}: ${file} is not SAML metadata (no EntityDescriptor)`);
    } else metadata = { kind: 'file', content };
  } else {
    problems.push(`${label('samlMetadataUrl')} or ${label('samlMetadataFile')}: one is required with a SAML provider`);
  }
  const attributeMapping = parseMapping(input, 'samlAttributeMapping', SAML_ATTRIBUTE_MAPPING, problems);
  const identifiers = parseIdentifiers(input.get('samlIdentifiers'), 'samlIdentifiers', problems);
  if (problems.length !== before || !name || !metadata) return undefined;
  return { name, metadata, attributeMapping, identifiers };
}

/**
 * `secretsmanager:<secret name or ARN>[#<JSON key>]` or `ssm:<parameter name>`. Anything else is
 * refused without echoing it: it may be the secret itself, pasted by mistake.
 */
export function parseSecretRef(
  value: string | undefined,
  name: FederationParameterName,
  problems: string[],
): SecretRef | undefined {
  if (value === undefined) return undefined;
  const fail = () => {
    problems.push(
      `${label(name)}: must name where the secret is stored, secretsmanager:<secret>[#<json key>] or ssm:<parameter>, never the secret itself`,
    );
    return undefined;
  };
  if (value.startsWith('secretsmanager:')) {
    const [secretId = '', jsonField, ...rest] = value.slice('secretsmanager:'.length).split('#');
    if (!SECRET_ID.test(secretId) || rest.length > 0 || (jsonField !== undefined && !JSON_FIELD.test(jsonField))) return fail();
    return jsonField === undefined ? { kind: 'secretsmanager', secretId } : { kind: 'secretsmanager', secretId, jsonField };
  }
  if (value.startsWith('ssm:')) {
    const parameterName = value.slice('ssm:'.length);
    return SSM_NAME.test(parameterName) ? { kind: 'ssm', parameterName } : fail();
  }
  return fail();
}

function parseProviderName(value: string | undefined, name: FederationParameterName, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  if (!PROVIDER_NAME.test(value)) {
    problems.push(`${label(name)}: 3-32 letters, digits and hyphens, starting with a letter (no underscores or spaces)`);
    return undefined;
  }
  if (RESERVED_NAMES.has(value.toLowerCase())) {
    problems.push(`${label(name)}: ${value} is a name Cognito keeps for its own providers`);
    return undefined;
  }
  return value;
}

function parseHttpsUrl(value: string | undefined, name: FederationParameterName, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${label(name)}: is not an absolute URL`);
    return undefined;
  }
  if (url.protocol !== 'https:' || url.search || url.hash || url.username || url.password) {
    problems.push(`${label(name)}: must be an https URL with no query, fragment or credentials`);
    return undefined;
  }
  // Issuers are compared as strings: keep what was given, minus nothing but surrounding space.
  return value;
}

function parseScopes(value: string | undefined, problems: string[]): string[] {
  if (value === undefined) return [...DEFAULT_OIDC_SCOPES];
  const scopes = [...new Set(value.split(/[\s,]+/).filter(Boolean))];
  if (!scopes.includes('openid')) problems.push(`${label('oidcScopes')}: must include openid`);
  if (scopes.some((scope) => !SCOPE.test(scope))) problems.push(`${label('oidcScopes')}: has a character a scope cannot hold`);
  return scopes;
}

function parseIdentifiers(value: string | undefined, name: FederationParameterName, problems: string[]): string[] {
  if (value === undefined) return [];
  const identifiers = [
    ...new Set(
      value
        .toLowerCase()
        .split(/[\s,]+/)
        .filter(Boolean),
    ),
  ];
  const bad = identifiers.filter((identifier) => !DOMAIN.test(identifier));
  if (bad.length > 0) problems.push(`${label(name)}: ${bad.join(', ')}: each must be an email domain of at most 40 characters`);
  if (identifiers.length > 50) problems.push(`${label(name)}: at most 50 (Cognito's limit)`);
  return identifiers;
}

/**
 * `pool attribute=provider attribute`, comma-separated (or an object in cdk.json). Replaces the
 * default mapping as a whole; `email` must be mapped, since the pool requires an email.
 */
function parseMapping(
  input: FederationInput,
  name: FederationParameterName,
  fallback: AttributeMapping,
  problems: string[],
): AttributeMapping {
  const object = input.getObject(name);
  let entries: [string, unknown][];
  if (object !== undefined) entries = Object.entries(object);
  else {
    const text = input.get(name);
    if (text === undefined) return fallback;
    entries = text
      .split(',')
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf('=');
        return at < 0 ? [pair, ''] : [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      });
  }
  const mapping: Record<string, string> = {};
  for (const [attribute, claim] of entries) {
    if (!STANDARD_ATTRIBUTES.has(attribute) && !/^custom:[\w-]{1,20}$/.test(attribute)) {
      problems.push(`${label(name)}: ${attribute} is not a user pool attribute (standard, or custom:…)`);
    } else if (typeof claim !== 'string' || claim === '' || claim.length > 131_072) {
      problems.push(`${label(name)}: ${attribute} needs the provider's attribute name (attribute=claim)`);
    } else mapping[attribute] = claim;
  }
  if (mapping.email === undefined) problems.push(`${label(name)}: must map email (the pool requires an email)`);
  return mapping;
}
