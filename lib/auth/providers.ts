import { z } from 'zod';

/**
 * The identity providers people may sign in with, besides Cubby's own email sign-in: parsed
 * from `IDENTITY_PROVIDERS` (lib/env.ts), and the one place that turns a person's choice (a
 * provider button, a company email domain) into what `/oauth2/authorize` receives. Nothing
 * outside the configured list ever reaches Cognito (docs/federation.md).
 *
 * The variable lists providers separated by commas, each `Name[:Display name][@domain...]`:
 * - `Name` is the provider's name in the user pool (`identity_provider`): `Google`, or the name
 *   given to an OIDC or SAML provider;
 * - `Display name` is what the sign-in page shows ("Continue with …"), the name when omitted;
 * - each `@domain` is an email domain the provider serves, and must be one of its identifiers in
 *   the user pool (`idp_identifier`). A provider with domains is an enterprise one, reached by
 *   typing a company email; one without gets its own button.
 * For example `Google:Google,Acme:Acme Corp@acme.example,Globex:Globex@globex.example`.
 * `none` lists no provider (email sign-in only).
 *
 * Pure, no imports but zod: lib/env.ts loads it under Node's type stripping.
 */

/** A provider as configured. */
export interface IdentityProvider {
  /** The provider's name in the user pool, sent as `identity_provider`. */
  name: string;
  /** Shown on the sign-in page: "Continue with {displayName}". */
  displayName: string;
  /** Lowercase email domains this provider serves, each an `idp_identifier` of it in the user pool. */
  domains: readonly string[];
}

/** Cognito's built-in social providers: fixed names, and no identifiers (no email-domain routing). */
export const SOCIAL_PROVIDER_NAMES: readonly string[] = ['Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple'];

/** Google serves profile pictures from this origin: the one image origin its `picture` claim needs. */
export const GOOGLE_PICTURE_ORIGIN = 'https://lh3.googleusercontent.com';

/** The value that lists no provider at all (email sign-in only). */
export const NO_PROVIDERS = 'none';

const MAX_PROVIDERS = 20;
const MAX_DISPLAY_NAME = 60;
/** Cognito's limit on an identifier (`IdpIdentifiers` items: 1 to 40 characters). */
const MAX_IDENTIFIER = 40;
/**
 * A user pool provider name as Cognito's CreateIdentityProvider allows it: 3 to 32 characters
 * (the length is checked apart), no whitespace, no underscore except as the second character
 * (Cognito joins provider and user id with one in usernames: `Google_1234`). Control characters
 * and the list's own separators (`,` `:` `@`) are refused too.
 */
const PROVIDER_NAME = /^[^_\p{Z}\p{C},:@][^\p{Z}\p{C},:@][^_\p{Z}\p{C},:@]+$/u;
/** A DNS name with at least two labels, lowercase, each label 1-63 letters, digits or inner hyphens. */
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** What {@link parseIdentityProviders} found wrong, one line per problem. */
export type ProviderProblems = string[];

function parseEntry(entry: string, position: number, problems: ProviderProblems): IdentityProvider | null {
  const at = entry.indexOf('@');
  const head = at === -1 ? entry : entry.slice(0, at);
  const colon = head.indexOf(':');
  const name = (colon === -1 ? head : head.slice(0, colon)).trim();
  const displayName = (colon === -1 ? name : head.slice(colon + 1)).trim();
  const domains =
    at === -1
      ? []
      : entry
          .slice(at + 1)
          .split('@')
          .map((domain) => domain.trim().toLowerCase());
  const where = `entry ${position}${name ? ` (${name})` : ''}`;
  let valid = true;
  const problem = (text: string) => {
    problems.push(`${where}: ${text}`);
    valid = false;
  };
  if (!name) problem('has no provider name');
  else if (name.toUpperCase() === 'COGNITO') problem('COGNITO is the email sign-in, always offered: do not list it');
  else if (name.length > 32 || !PROVIDER_NAME.test(name)) {
    problem('the provider name must be 3 to 32 characters, with no spaces or underscores, as in the user pool');
  }
  if (!displayName || displayName.length > MAX_DISPLAY_NAME || /\p{C}/u.test(displayName)) {
    problem(`the display name must be 1 to ${MAX_DISPLAY_NAME} printable characters`);
  }
  if (domains.length > 0 && SOCIAL_PROVIDER_NAMES.includes(name)) {
    problem(`${name} is a social provider: Cognito routes no email domain to it, list it without @domains`);
  }
  for (const domain of domains) {
    if (!domain) problem('has an empty @domain');
    else if (domain.length > MAX_IDENTIFIER || !DOMAIN.test(domain)) {
      problem(`"${domain}" is not an email domain such as example.com (at most ${MAX_IDENTIFIER} characters)`);
    }
  }
  return valid ? { name, displayName, domains: [...new Set(domains)] } : null;
}

/**
 * Parses the `IDENTITY_PROVIDERS` list (grammar in this module's header). Pure.
 * @returns the providers in the order given, or the problems found (every one, each naming its
 *   entry): empty entries, names Cognito would refuse or that are reserved (`COGNITO`),
 *   duplicate names (case-insensitively) or domains, malformed domains, domains on a social provider.
 */
export function parseIdentityProviders(value: string): { providers: IdentityProvider[] } | { problems: ProviderProblems } {
  if (value.trim().toLowerCase() === NO_PROVIDERS) return { providers: [] };
  const problems: ProviderProblems = [];
  const providers: IdentityProvider[] = [];
  const entries = value.split(',');
  if (entries.length > MAX_PROVIDERS) problems.push(`lists ${entries.length} providers, at most ${MAX_PROVIDERS}`);
  const names = new Map<string, number>();
  const domains = new Map<string, string>();
  entries.forEach((raw, index) => {
    const entry = raw.trim();
    if (!entry) {
      problems.push(`entry ${index + 1} is empty (a stray comma?)`);
      return;
    }
    const provider = parseEntry(entry, index + 1, problems);
    if (!provider) return;
    const key = provider.name.toLowerCase();
    const first = names.get(key);
    if (first !== undefined) {
      problems.push(`entry ${index + 1} (${provider.name}): the name is already used by entry ${first}`);
      return;
    }
    names.set(key, index + 1);
    for (const domain of provider.domains) {
      const owner = domains.get(domain);
      if (owner !== undefined) problems.push(`entry ${index + 1} (${provider.name}): ${domain} is already served by ${owner}`);
      else domains.set(domain, provider.name);
    }
    providers.push(provider);
  });
  return problems.length > 0 ? { problems } : { providers };
}

/** The zod schema lib/env.ts uses for `IDENTITY_PROVIDERS`: the parsed list, or one issue per problem. */
export const IdentityProvidersSchema = z.string().transform((value, ctx): IdentityProvider[] => {
  const parsed = parseIdentityProviders(value);
  if ('problems' in parsed) {
    for (const message of parsed.problems) ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  }
  return parsed.providers;
});

/** Providers that get their own "Continue with …" button: those without email domains. */
export function buttonProviders(providers: readonly IdentityProvider[]): IdentityProvider[] {
  return providers.filter((provider) => provider.domains.length === 0);
}

/** True when some provider is reached by typing a company email (it serves email domains). */
export function hasCompanyProviders(providers: readonly IdentityProvider[]): boolean {
  return providers.some((provider) => provider.domains.length > 0);
}

/** The configured provider called `name` (exact, as Cognito compares names), or undefined. */
export function findProvider(providers: readonly IdentityProvider[], name: string): IdentityProvider | undefined {
  return providers.find((provider) => provider.name === name);
}

/** The lowercase domain of an email address, or null when `email` is not one (one `@`, a dotted domain). */
export function emailDomain(email: string): string | null {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || trimmed.indexOf('@') !== at || trimmed.length > 254) return null;
  const domain = trimmed.slice(at + 1).toLowerCase();
  return DOMAIN.test(domain) ? domain : null;
}

/** The provider serving an email domain (already lowercase), or undefined. */
export function providerForDomain(providers: readonly IdentityProvider[], domain: string): IdentityProvider | undefined {
  return providers.find((provider) => provider.domains.includes(domain));
}

/** What a person asked for at `/auth/login`: a provider by name, a company email domain, or neither. */
export interface SignInChoice {
  provider?: string | null;
  domain?: string | null;
}

/** Why a choice was refused; the sign-in page words each (`SIGN_IN_PROBLEMS`). */
export type SignInProblem = 'unknown_provider' | 'unknown_domain' | 'invalid_email';

/**
 * Where a sign-in goes: the managed-login page (`managed`), straight to a configured provider
 * (`identity_provider`), to the provider serving a configured domain (`idp_identifier`), or
 * nowhere (`refused`: nothing is sent to Cognito).
 */
export type SignInTarget =
  | { kind: 'managed' }
  | { kind: 'provider'; provider: string }
  | { kind: 'domain'; idpIdentifier: string; provider: string }
  | { kind: 'refused'; problem: SignInProblem; domain?: string };

/**
 * Maps a choice onto exactly one authorize parameter taken from the configured list, never from
 * the request: a provider name must equal a configured one; a domain (or an email's domain) must
 * be one a configured provider serves. A choice with both is refused. Pure.
 */
export function resolveSignInChoice(providers: readonly IdentityProvider[], choice: SignInChoice): SignInTarget {
  const { provider, domain } = choice;
  if (provider && domain) return { kind: 'refused', problem: 'unknown_provider' };
  if (provider) {
    const found = findProvider(providers, provider);
    return found ? { kind: 'provider', provider: found.name } : { kind: 'refused', problem: 'unknown_provider' };
  }
  if (domain) {
    const normalised = domain.includes('@') ? emailDomain(domain) : domain.trim().toLowerCase();
    if (!normalised || !DOMAIN.test(normalised)) return { kind: 'refused', problem: 'invalid_email' };
    const found = providerForDomain(providers, normalised);
    if (!found) return { kind: 'refused', problem: 'unknown_domain', domain: normalised };
    const idpIdentifier = found.domains.find((served) => served === normalised);
    return idpIdentifier
      ? { kind: 'domain', idpIdentifier, provider: found.name }
      : { kind: 'refused', problem: 'unknown_domain', domain: normalised };
  }
  return { kind: 'managed' };
}

/** Cubby's sign-in page. */
export const SIGN_IN_PATH = '/sign-in';

/** The sign-in page's path for `returnTo` (already a safe path), with a problem to show when a choice was refused. */
export function signInPagePath(returnTo: string, refused?: { problem: SignInProblem; domain?: string }): string {
  const search = new URLSearchParams({ returnTo });
  if (refused) {
    search.set('problem', refused.problem);
    if (refused.domain) search.set('domain', refused.domain);
  }
  return `${SIGN_IN_PATH}?${search}`;
}

/**
 * The origins a provider's `picture` may be shown from when `IDENTITY_PICTURE_ORIGINS` is unset:
 * Google's picture host when Google is listed, else none (other providers' pictures are not shown).
 */
export function defaultPictureOrigins(providers: readonly IdentityProvider[]): string[] {
  return findProvider(providers, 'Google') ? [GOOGLE_PICTURE_ORIGIN] : [];
}

/** `url` when it is an http(s) URL on one of `origins` (the CSP's img-src allows exactly those), else null. */
export function allowedPictureUrl(url: unknown, origins: readonly string[]): string | null {
  if (typeof url !== 'string' || url.length > 2048 || !URL.canParse(url)) return null;
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  if (parsed.username || parsed.password) return null;
  return origins.includes(parsed.origin) ? parsed.href : null;
}
