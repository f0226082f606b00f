import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROLE_ARNS } from '../config.ts';
import type { EmulatorContext } from '../context.ts';
import { readJson } from '../http.ts';
import { issueCredentials } from '../store/credentials.ts';
import { IdentityError, MESSAGES, sendAmzJson, sendIdentityError, sendPreflight } from './errors.ts';
import { parseLogins, rolesOf, type VerifiedLogin, verifyLogins } from './logins.ts';

const TARGET_PREFIX = 'AWSCognitoIdentityService.';
const ID_PATTERN = /^[\w-]+:[0-9a-f-]+$/;

interface IdentityRecord {
  authenticated: boolean;
  /** Provider key of the linked login, for authenticated identities. */
  provider?: string;
  sub?: string;
  createdAt: number;
}

interface IdentitySection {
  identities: Record<string, IdentityRecord>;
  /** `${provider}|${sub}` -> identity id */
  byLogin: Record<string, string>;
}

function section(ctx: EmulatorContext): IdentitySection {
  return ctx.state.section<IdentitySection>('identity-pool', () => ({ identities: {}, byLogin: {} }));
}

function invalid(field: string): IdentityError {
  return new IdentityError(
    'InvalidParameterException',
    `1 validation error detected: Value at '${field}' failed to satisfy constraint`,
  );
}

function checkPool(ctx: EmulatorContext, poolId: unknown): void {
  if (typeof poolId !== 'string' || poolId.length > 55 || !ID_PATTERN.test(poolId)) throw invalid('identityPoolId');
  if (poolId !== ctx.config.identityPoolId)
    throw new IdentityError('ResourceNotFoundException', `IdentityPool '${poolId}' not found.`);
}

function newIdentity(ctx: EmulatorContext, record: IdentityRecord): string {
  const id = `${ctx.config.region}:${randomUUID()}`;
  section(ctx).identities[id] = record;
  ctx.state.changed();
  return id;
}

/** `GetId`: the stable identity of a user-pool login, or a new guest identity when allowed. */
async function getId(ctx: EmulatorContext, input: Record<string, unknown>): Promise<string> {
  checkPool(ctx, input.IdentityPoolId);
  const logins = parseLogins(input.Logins);
  if (!logins || Object.keys(logins).length === 0) {
    if (!ctx.settings.allowGuests) throw new IdentityError('NotAuthorizedException', MESSAGES.noGuests);
    return JSON.stringify({ IdentityId: newIdentity(ctx, { authenticated: false, createdAt: ctx.clock.nowSeconds() }) });
  }
  const login = await verifyLogins(ctx, logins);
  const store = section(ctx);
  const key = `${login.provider}|${login.sub}`;
  let id = store.byLogin[key];
  if (!id) {
    id = newIdentity(ctx, { authenticated: true, provider: login.provider, sub: login.sub, createdAt: ctx.clock.nowSeconds() });
    store.byLogin[key] = id;
    ctx.state.changed();
  }
  return JSON.stringify({ IdentityId: id });
}

/** Token role mapping, AmbiguousRoleResolution AuthenticatedRole (wire facts §5.4). */
function roleFor(login: VerifiedLogin, customRoleArn: unknown): string {
  const { roles, preferred } = rolesOf(login);
  if (customRoleArn !== undefined) {
    if (typeof customRoleArn !== 'string' || !roles.includes(customRoleArn)) {
      throw new IdentityError('NotAuthorizedException', MESSAGES.roleNotInToken);
    }
    return customRoleArn;
  }
  return preferred ?? ROLE_ARNS.authenticated;
}

/** Cognito serialises Expiration as epoch seconds in E-notation, e.g. 1.659377625E9. */
function eNotation(seconds: number): string {
  const exponent = Math.floor(Math.log10(seconds));
  return `${seconds / 10 ** exponent}E${exponent}`;
}

/** `GetCredentialsForIdentity` (enhanced flow): one hour of credentials for the identity's role. */
async function getCredentialsForIdentity(ctx: EmulatorContext, input: Record<string, unknown>): Promise<string> {
  const identityId = input.IdentityId;
  if (typeof identityId !== 'string' || identityId.length > 55 || !ID_PATTERN.test(identityId)) throw invalid('identityId');
  const identity = section(ctx).identities[identityId];
  if (!identity) throw new IdentityError('ResourceNotFoundException', `Identity '${identityId}' not found.`);
  const logins = parseLogins(input.Logins);
  let roleArn: string;
  if (identity.authenticated) {
    if (!logins || Object.keys(logins).length === 0) throw new IdentityError('NotAuthorizedException', MESSAGES.loginsMismatch);
    const login = await verifyLogins(ctx, logins);
    if (login.provider !== identity.provider || login.sub !== identity.sub) {
      throw new IdentityError('NotAuthorizedException', MESSAGES.loginsMismatch);
    }
    roleArn = roleFor(login, input.CustomRoleArn);
  } else {
    if (!ctx.settings.allowGuests) throw new IdentityError('NotAuthorizedException', MESSAGES.noGuests);
    if (logins && Object.keys(logins).length > 0) throw new IdentityError('NotAuthorizedException', MESSAGES.loginsMismatch);
    roleArn = ROLE_ARNS.unauthenticated;
  }
  const credentials = issueCredentials(ctx, { identityId, roleArn, authenticated: identity.authenticated });
  const body = JSON.stringify({
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      Expiration: '__EXPIRATION__',
      SecretKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
    },
    IdentityId: identityId,
  });
  return body.replace('"__EXPIRATION__"', eNotation(credentials.expiration));
}

const OPERATIONS: Record<string, (ctx: EmulatorContext, input: Record<string, unknown>) => Promise<string>> = {
  GetId: getId,
  GetCredentialsForIdentity: getCredentialsForIdentity,
};

/**
 * The Identity Pool's JSON 1.1 API at `POST /` (`X-Amz-Target: AWSCognitoIdentityService.*`),
 * unsigned like the real GetId / GetCredentialsForIdentity. Fault target `identity`.
 */
export async function handleIdentity(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: EmulatorContext,
  url: URL,
): Promise<boolean> {
  if (url.pathname !== '/') return false;
  if (req.method === 'OPTIONS' && /x-amz-target/i.test(String(req.headers['access-control-request-headers'] ?? ''))) {
    sendPreflight(res);
    return true;
  }
  const target = String(req.headers['x-amz-target'] ?? '');
  if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) return false;
  if (await ctx.faults.apply('identity', res)) return true;
  ctx.countRequest(`identity:${target.slice(TARGET_PREFIX.length)}`);
  try {
    const operation = OPERATIONS[target.slice(TARGET_PREFIX.length)];
    if (!operation) throw new IdentityError('UnknownOperationException', `Unknown operation ${target}`);
    const input = await readJson(req);
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new IdentityError('SerializationException', 'Start of structure or map found where not expected.');
    sendAmzJson(res, 200, await operation(ctx, input as Record<string, unknown>));
  } catch (error) {
    if (!(error instanceof IdentityError)) throw error;
    sendIdentityError(res, error);
  }
  return true;
}
