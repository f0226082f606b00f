/**
 * The deployment's parameters: read from CDK context (`-c name=value`) first, then from `CUBBY_*`
 * environment variables, validated together so one run reports every problem at once.
 *
 * Pure: nothing here reads `process.env`, files or the CDK app; bin/cubby.ts passes the sources in.
 */

import {
  FEDERATION_PARAMETERS,
  type FederationParameterName,
  type FederationParams,
  readFederation,
} from './federation-params.ts';

/** How people reach the managed-login pages. */
export type LoginDomain = { kind: 'prefix'; prefix: string } | { kind: 'custom'; domainName: string; certificateArn: string };

/** Everything the stack is parameterised by. */
export interface CubbyParams {
  stackName: string;
  region: string;
  /** The app's public origins (no path): each gets `${origin}/auth/callback`, `${origin}/` and bucket CORS. */
  appUrls: string[];
  domain: LoginDomain;
  /** The Identity Pool's AllowUnauthenticatedIdentities (the public gallery for signed-out visitors). */
  guestAccess: boolean;
  /** Cognito's refresh-token rotation on the app client. */
  refreshTokenRotation: boolean;
  /**
   * `optional` (the default, as the emulator's pool) lets people turn on TOTP (authenticator app)
   * MFA; `off` disables MFA.
   */
  mfa: 'off' | 'optional';
  bucketVersioning: boolean;
  /** External identity providers switched on (federation-params.ts). */
  federation: FederationParams;
  /**
   * The WebAuthn relying party id passkeys are bound to: the prefix domain's host, or with a custom
   * domain that host (the default) or a parent domain of it.
   */
  passkeyRelyingPartyId: string;
  /** Mail through Amazon SES instead of Cognito's default sender; email MFA needs it. */
  emailSender: { fromEmail: string; sesRegion: string } | undefined;
}

/** One parameter: its context key, its environment variable, and what to say about it. */
const PARAMETERS = {
  stackName: { env: 'CUBBY_STACK_NAME' },
  region: { env: 'CUBBY_REGION' },
  appUrls: { env: 'CUBBY_APP_URLS' },
  domainPrefix: { env: 'CUBBY_DOMAIN_PREFIX' },
  customDomain: { env: 'CUBBY_CUSTOM_DOMAIN' },
  certificateArn: { env: 'CUBBY_CERTIFICATE_ARN' },
  guestAccess: { env: 'CUBBY_GUEST_ACCESS' },
  refreshTokenRotation: { env: 'CUBBY_REFRESH_TOKEN_ROTATION' },
  mfa: { env: 'CUBBY_MFA' },
  bucketVersioning: { env: 'CUBBY_BUCKET_VERSIONING' },
  passkeyRelyingPartyId: { env: 'CUBBY_PASSKEY_RELYING_PARTY_ID' },
  sesFromEmail: { env: 'CUBBY_SES_FROM_EMAIL' },
  sesRegion: { env: 'CUBBY_SES_REGION' },
} as const;

type ParameterName = keyof typeof PARAMETERS;

/** Values `npm run synth` uses for what is unset, so the template prints on a fresh clone. Never deployed. */
export const EXAMPLE_VALUES: Readonly<Partial<Record<ParameterName, string>>> = {
  appUrls: 'https://cubby.example.com',
  domainPrefix: 'cubby-example',
  region: 'us-east-1',
};

/** Thrown when the parameters are unusable; `problems` has one line per parameter at fault. */
export class ParamsError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Cubby's stack cannot be built:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ParamsError';
    this.problems = problems;
  }
}

/**
 * Where parameters come from: `context(key)` is CDK's tryGetContext; `env` a plain environment;
 * `readFile` reads a file named by a parameter (a SAML metadata file), undefined when it cannot.
 */
export interface ParamSources {
  context: (key: string) => unknown;
  env: Readonly<Record<string, string | undefined>>;
  readFile?: (path: string) => string | undefined;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
// Cognito serves custom domains through CloudFront, which takes certificates from us-east-1 only.
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const EMAIL = /^[^\s@]+@[a-z0-9.-]+\.[a-z]{2,63}$/i;

/**
 * Reads and validates the parameters. With `example` (context `example=true`), unset values take
 * {@link EXAMPLE_VALUES} and `exampleUsed` names them.
 * @throws {ParamsError} listing every problem.
 */
export function readParams(sources: ParamSources): { params: CubbyParams; exampleUsed: string[] } {
  const problems: string[] = [];
  const example = parseBoolean(raw(sources, 'example', undefined), 'example', problems) ?? false;
  const exampleUsed: string[] = [];
  const get = (name: ParameterName, fallback?: string): string | undefined => {
    const value = raw(sources, name, PARAMETERS[name].env) ?? fallback;
    if (value !== undefined || !example) return value;
    const exampleValue = EXAMPLE_VALUES[name];
    if (exampleValue !== undefined) exampleUsed.push(name);
    return exampleValue;
  };
  const label = (name: ParameterName) => `${name} (${PARAMETERS[name].env})`;

  const stackName = get('stackName') ?? 'Cubby';
  if (!STACK_NAME.test(stackName))
    problems.push(`${label('stackName')}: must be letters, digits and hyphens, starting with a letter`);

  const region = get('region', sources.env.CDK_DEFAULT_REGION || undefined);
  if (region === undefined) problems.push(`${label('region')}: is required, e.g. us-east-1`);
  else if (!REGION.test(region)) problems.push(`${label('region')}: must be an AWS region such as us-east-1`);

  const appUrls = parseAppUrls(get('appUrls'), label('appUrls'), problems);
  // The example prefix only stands in when no domain at all is given.
  const customDomain = get('customDomain');
  const domainPrefix =
    customDomain === undefined ? get('domainPrefix') : raw(sources, 'domainPrefix', PARAMETERS.domainPrefix.env);
  const domain = parseDomain(domainPrefix, customDomain, get('certificateArn'), problems);

  const guestAccess = parseBoolean(get('guestAccess'), label('guestAccess'), problems) ?? true;
  const refreshTokenRotation = parseBoolean(get('refreshTokenRotation'), label('refreshTokenRotation'), problems) ?? false;
  const bucketVersioning = parseBoolean(get('bucketVersioning'), label('bucketVersioning'), problems) ?? false;
  const mfa = parseMfa(get('mfa'), label('mfa'), problems);
  const passkeyRelyingPartyId = parseRelyingPartyId(get('passkeyRelyingPartyId'), domain, region, problems);
  const emailSender = parseEmailSender(get('sesFromEmail'), get('sesRegion'), region, problems);
  const federation = readFederation(
    {
      get: (name: FederationParameterName) => raw(sources, name, FEDERATION_PARAMETERS[name]),
      getObject: (name: FederationParameterName) => {
        const value = sources.context(name);
        return value !== null && typeof value === 'object' && !Array.isArray(value)
          ? (value as Record<string, unknown>)
          : undefined;
      },
      readFile: sources.readFile,
    },
    problems,
  );

  if (
    problems.length > 0 ||
    region === undefined ||
    domain === undefined ||
    mfa === undefined ||
    passkeyRelyingPartyId === undefined
  ) {
    throw new ParamsError(problems);
  }
  return {
    params: {
      stackName,
      region,
      appUrls,
      domain,
      guestAccess,
      refreshTokenRotation,
      mfa,
      bucketVersioning,
      federation,
      passkeyRelyingPartyId,
      emailSender,
    },
    exampleUsed,
  };
}

/** Context wins over the environment; empty strings count as unset; lists and booleans from cdk.json are accepted. */
function raw(sources: ParamSources, key: string, envName: string | undefined): string | undefined {
  const fromContext = sources.context(key);
  // An object (a mapping in cdk.json) is read by its own parameter's reader, not as text.
  if (fromContext !== null && typeof fromContext === 'object' && !Array.isArray(fromContext)) return undefined;
  const value = fromContext ?? (envName === undefined ? undefined : sources.env[envName]);
  if (value === undefined || value === null) return undefined;
  const text = Array.isArray(value) ? value.join(',') : String(value);
  return text.trim() === '' ? undefined : text.trim();
}

function parseBoolean(value: string | undefined, what: string, problems: string[]): boolean | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  problems.push(`${what}: must be true or false`);
  return undefined;
}

function parseMfa(value: string | undefined, what: string, problems: string[]): CubbyParams['mfa'] | undefined {
  if (value === undefined || value === 'optional') return 'optional';
  if (value === 'off') return value;
  problems.push(`${what}: must be off or optional`);
  return undefined;
}

/** Comma- or space-separated origins; https only, except http on loopback (Cognito allows http://localhost). */
function parseAppUrls(value: string | undefined, what: string, problems: string[]): string[] {
  if (value === undefined) {
    problems.push(`${what}: is required, e.g. https://cubby.example.com (several: comma-separated)`);
    return [];
  }
  const origins: string[] = [];
  for (const entry of value.split(/[\s,]+/).filter(Boolean)) {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      problems.push(`${what}: "${entry}" is not an absolute URL`);
      continue;
    }
    const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
    if (url.protocol !== 'https:' && !loopback) problems.push(`${what}: "${entry}" must use https (http only for localhost)`);
    else if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
      problems.push(`${what}: "${entry}" must be an origin with no path, query or credentials`);
    } else if (!origins.includes(url.origin)) origins.push(url.origin);
  }
  if (origins.length > 100) problems.push(`${what}: at most 100 URLs (Cognito's callback URL limit)`);
  return origins;
}

function parseDomain(
  prefix: string | undefined,
  customDomain: string | undefined,
  certificateArn: string | undefined,
  problems: string[],
): LoginDomain | undefined {
  const prefixLabel = `domainPrefix (${PARAMETERS.domainPrefix.env})`;
  const customLabel = `customDomain (${PARAMETERS.customDomain.env})`;
  const certificateLabel = `certificateArn (${PARAMETERS.certificateArn.env})`;
  if (prefix !== undefined && customDomain !== undefined) {
    problems.push(`${prefixLabel} and ${customLabel}: set one, not both`);
    return undefined;
  }
  if (customDomain !== undefined) {
    const before = problems.length;
    if (!HOSTNAME.test(customDomain)) problems.push(`${customLabel}: must be a lowercase host name such as auth.example.com`);
    if (certificateArn === undefined) problems.push(`${certificateLabel}: is required with a custom domain`);
    else if (!CERTIFICATE_ARN.test(certificateArn)) {
      problems.push(
        `${certificateLabel}: must be an ACM certificate ARN in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<id>)`,
      );
    }
    return problems.length === before && certificateArn !== undefined
      ? { kind: 'custom', domainName: customDomain, certificateArn }
      : undefined;
  }
  if (certificateArn !== undefined) problems.push(`${certificateLabel}: only goes with ${customLabel}`);
  if (prefix === undefined) {
    problems.push(`${prefixLabel} or ${customLabel}: one is required (the managed-login domain)`);
    return undefined;
  }
  if (!DOMAIN_PREFIX.test(prefix)) {
    problems.push(`${prefixLabel}: 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen`);
    return undefined;
  }
  if (/aws|amazon|cognito/.test(prefix)) {
    problems.push(`${prefixLabel}: Cognito refuses prefixes containing aws, amazon or cognito`);
    return undefined;
  }
  return { kind: 'prefix', prefix };
}

/**
 * Passkeys are bound to a relying party id, a host name the browser checks against the page's
 * origin. With the prefix domain it is that host (its parent is a public suffix, so nothing else
 * can share it); with a custom domain, that host by default, or a parent domain of it so the app
 * on a sibling host (app.example.com beside auth.example.com) can register passkeys too.
 */
function parseRelyingPartyId(
  value: string | undefined,
  domain: LoginDomain | undefined,
  region: string | undefined,
  problems: string[],
): string | undefined {
  const what = `passkeyRelyingPartyId (${PARAMETERS.passkeyRelyingPartyId.env})`;
  if (domain === undefined || region === undefined) return undefined;
  if (domain.kind === 'prefix') {
    const host = `${domain.prefix}.auth.${region}.amazoncognito.com`;
    if (value !== undefined && value !== host) {
      problems.push(`${what}: only with customDomain; with a prefix domain it is always ${host}`);
      return undefined;
    }
    return host;
  }
  if (value === undefined) return domain.domainName;
  const id = value.toLowerCase();
  if (!HOSTNAME.test(id) || !(domain.domainName === id || domain.domainName.endsWith(`.${id}`))) {
    problems.push(`${what}: must be ${domain.domainName} or a parent domain of it, such as its registrable domain`);
    return undefined;
  }
  return id;
}

function parseEmailSender(
  fromEmail: string | undefined,
  sesRegion: string | undefined,
  region: string | undefined,
  problems: string[],
): CubbyParams['emailSender'] {
  const fromLabel = `sesFromEmail (${PARAMETERS.sesFromEmail.env})`;
  const regionLabel = `sesRegion (${PARAMETERS.sesRegion.env})`;
  if (fromEmail === undefined) {
    if (sesRegion !== undefined) problems.push(`${regionLabel}: only goes with ${fromLabel}`);
    return undefined;
  }
  if (!EMAIL.test(fromEmail)) problems.push(`${fromLabel}: must be an email address verified in Amazon SES`);
  if (sesRegion !== undefined && !REGION.test(sesRegion))
    problems.push(`${regionLabel}: must be an AWS region such as us-east-1`);
  const resolvedRegion = sesRegion ?? region;
  return resolvedRegion === undefined ? undefined : { fromEmail, sesRegion: resolvedRegion };
}
