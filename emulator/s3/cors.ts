/** One bucket CORS rule, shaped like S3's `CORSRule` (and CloudFormation's `CorsRules`). */
export interface CorsRule {
  AllowedOrigins: string[];
  AllowedMethods: string[];
  AllowedHeaders?: string[];
  ExposeHeaders?: string[];
  MaxAgeSeconds?: number;
}

/** The `Vary` S3 sends on every CORS-evaluated response. */
export const CORS_VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

/** S3 wildcard matching: `*` matches any run of characters (case-insensitive, like S3's origins and headers). */
function wildcardMatch(pattern: string, value: string): boolean {
  const source = pattern
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(value.toLowerCase());
}

/** The first rule allowing `origin` with `method` and every header in `requestHeaders`, as S3 picks it. */
export function matchCorsRule(
  rules: readonly CorsRule[],
  origin: string,
  method: string,
  requestHeaders: readonly string[] = [],
): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.AllowedOrigins.some((pattern) => wildcardMatch(pattern, origin)) &&
      rule.AllowedMethods.includes(method.toUpperCase()) &&
      requestHeaders.every((header) => (rule.AllowedHeaders ?? []).some((pattern) => wildcardMatch(pattern, header))),
  );
}

/** Splits `Access-Control-Request-Headers` into lower-case names. */
export function parseRequestHeaders(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
}

/** Headers every CORS-allowed response carries for `rule`. */
function ruleHeaders(rule: CorsRule, origin: string): Record<string, string> {
  const wildcard = rule.AllowedOrigins.includes('*');
  const headers: Record<string, string> = {
    'access-control-allow-origin': wildcard ? '*' : origin,
    'access-control-allow-methods': rule.AllowedMethods.join(', '),
    vary: CORS_VARY,
  };
  if (!wildcard) headers['access-control-allow-credentials'] = 'true';
  if (rule.ExposeHeaders?.length) headers['access-control-expose-headers'] = rule.ExposeHeaders.join(', ');
  if (rule.MaxAgeSeconds !== undefined) headers['access-control-max-age'] = String(rule.MaxAgeSeconds);
  return headers;
}

/**
 * Headers for an answered preflight (`OPTIONS`), or null when no rule allows it (S3: 403).
 * Allowed request headers are echoed back, as S3 does.
 */
export function preflightHeaders(
  rules: readonly CorsRule[],
  origin: string,
  requestMethod: string,
  requestHeaders: readonly string[],
): Record<string, string> | null {
  const rule = matchCorsRule(rules, origin, requestMethod, requestHeaders);
  if (!rule) return null;
  const headers = ruleHeaders(rule, origin);
  if (requestHeaders.length > 0) headers['access-control-allow-headers'] = requestHeaders.join(', ');
  return headers;
}

/**
 * Headers for an actual (non-preflight) response to a request carrying `Origin`; empty when no
 * rule matches or there is no Origin (S3 then sends no CORS headers at all).
 */
export function responseCorsHeaders(
  rules: readonly CorsRule[],
  origin: string | undefined,
  method: string,
): Record<string, string> {
  if (!origin) return {};
  const rule = matchCorsRule(rules, origin, method);
  return rule ? ruleHeaders(rule, origin) : {};
}
