import type { AuthorizationRequest, Decision, PolicyDocument, PolicyStatement, StringOrList } from './types.ts';

/**
 * A small IAM policy evaluator for identity-based policies: Effect, Action/NotAction,
 * Resource/NotResource with `*`/`?` wildcards, policy variables `${key}` from the request
 * context, and the condition operators Cubby's policies (and common S3 policies) use. An explicit
 * Deny beats any Allow; nothing matching is an implicit deny. Pure.
 */

type ContextValue = string | string[] | undefined;

function list(value: StringOrList | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** `*` any run of characters, `?` one character; everything else literal. */
function wildcardRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
}

/**
 * Replaces `${key}` with the context's single value. Returns null when a variable is missing or
 * multi-valued: a statement mentioning it then does not apply (IAM's behaviour).
 */
export function substituteVariables(text: string, context: AuthorizationRequest['context']): string | null {
  let missing = false;
  const result = text.replace(/\$\{([^}]+)\}/g, (_match, key: string) => {
    if (key === '*' || key === '?' || key === '$') return key;
    const value = context[key];
    if (typeof value !== 'string') {
      missing = true;
      return '';
    }
    return value;
  });
  return missing ? null : result;
}

function matchesAny(patterns: string[], value: string, ignoreCase: boolean, context: AuthorizationRequest['context']): boolean {
  return patterns.some((pattern) => {
    const resolved = substituteVariables(pattern, context);
    return resolved !== null && wildcardRegExp(resolved, ignoreCase).test(value);
  });
}

/**
 * A condition key's value in the request context. IAM condition key names are not
 * case-sensitive (`s3:ObjectCreationOperation` and `s3:objectcreationoperation` are one key);
 * their values are compared as each operator says.
 */
export function contextValue(context: AuthorizationRequest['context'], key: string): ContextValue {
  if (Object.hasOwn(context, key)) return context[key];
  const lower = key.toLowerCase();
  const name = Object.keys(context).find((candidate) => candidate.toLowerCase() === lower);
  return name === undefined ? undefined : context[name];
}

type Comparator = (actual: string, expected: string) => boolean;

const COMPARATORS: Record<string, Comparator> = {
  StringEquals: (actual, expected) => actual === expected,
  StringEqualsIgnoreCase: (actual, expected) => actual.toLowerCase() === expected.toLowerCase(),
  StringLike: (actual, expected) => wildcardRegExp(expected, false).test(actual),
  Bool: (actual, expected) => actual.toLowerCase() === expected.toLowerCase(),
  ArnEquals: (actual, expected) => actual === expected,
  ArnLike: (actual, expected) => wildcardRegExp(expected, false).test(actual),
};

const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

function conditionHolds(
  operatorName: string,
  key: string,
  rawExpected: StringOrList | boolean,
  context: AuthorizationRequest['context'],
): boolean {
  const actual = contextValue(context, key);
  const expectedRaw = typeof rawExpected === 'boolean' ? [String(rawExpected)] : list(rawExpected);
  const expected = expectedRaw
    .map((value) => substituteVariables(value, context))
    .filter((value): value is string => value !== null);

  if (operatorName === 'Null') {
    const isNull = actual === undefined || (Array.isArray(actual) && actual.length === 0);
    return expected.some((value) => (value.toLowerCase() === 'true') === isNull);
  }

  let operator = operatorName;
  let qualifier: 'ForAnyValue' | 'ForAllValues' | null = null;
  const colon = operator.indexOf(':');
  if (colon >= 0) {
    qualifier = operator.slice(0, colon) === 'ForAllValues' ? 'ForAllValues' : 'ForAnyValue';
    operator = operator.slice(colon + 1);
  }
  const ifExists = operator.endsWith('IfExists');
  if (ifExists) operator = operator.slice(0, -'IfExists'.length);
  const negatedOf = NEGATED[operator];
  const comparator = COMPARATORS[negatedOf ?? operator];
  if (!comparator) throw new Error(`unsupported condition operator ${operatorName}`);

  const values = actual === undefined ? [] : Array.isArray(actual) ? actual : [actual];
  if (values.length === 0) {
    if (ifExists) return true;
    if (qualifier === 'ForAllValues') return true;
    // A missing key fails a positive operator and satisfies a negated one.
    return negatedOf !== undefined && qualifier === null;
  }
  const matchOne = (value: string) => {
    const matched = expected.some((candidate) => comparator(value, candidate));
    return negatedOf ? !matched : matched;
  };
  if (qualifier === 'ForAllValues') return values.every(matchOne);
  return values.some(matchOne);
}

function statementApplies(statement: PolicyStatement, request: AuthorizationRequest): boolean {
  const { action, resource, context } = request;
  if (statement.Action !== undefined && !matchesAny(list(statement.Action), action, true, context)) return false;
  if (statement.NotAction !== undefined && matchesAny(list(statement.NotAction), action, true, context)) return false;
  if (statement.Action === undefined && statement.NotAction === undefined) return false;
  if (statement.Resource !== undefined && !matchesAny(list(statement.Resource), resource, false, context)) return false;
  if (statement.NotResource !== undefined && matchesAny(list(statement.NotResource), resource, false, context)) return false;
  if (statement.Resource === undefined && statement.NotResource === undefined) return false;
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, expected] of Object.entries(keys)) {
      if (!conditionHolds(operator, key, expected, context)) return false;
    }
  }
  return true;
}

/**
 * Decides one request against the caller's identity policies: 'ExplicitDeny' if any matching
 * statement denies, else 'Allow' if any matching statement allows, else 'ImplicitDeny'.
 */
export function evaluate(policies: readonly PolicyDocument[], request: AuthorizationRequest): Decision {
  let allowed = false;
  for (const policy of policies) {
    for (const statement of policy.Statement) {
      if (!statementApplies(statement, request)) continue;
      if (statement.Effect === 'Deny') return 'ExplicitDeny';
      allowed = true;
    }
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}
