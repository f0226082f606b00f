import 'server-only';
import * as client from 'openid-client';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { describeError, log } from '@/lib/log';
import { IDP_TIMEOUT_SECONDS } from '@/lib/upstream';
import { ID_TOKEN_CLOCK_SKEW_SECONDS } from './id-token';
import { type LastGoodKeySet, lastGoodKeySet } from './jwks';

/**
 * The scopes Cubby asks for; Cognito rejects offline_access and always issues a refresh token.
 * `aws.cognito.signin.user.admin` lets the access token call the user pool API for the person's
 * own account (/account: password, email, two-step verification, passkeys, sign out everywhere).
 */
export const SCOPES = 'openid email profile aws.cognito.signin.user.admin';

let configuration: Promise<client.Configuration> | undefined;

/**
 * The key sets by JWKS URI, one per process on `globalThis`: Next bundles proxy.ts and the routes
 * apart, and a key set either bundle fetched keeps serving the other through a JWKS outage.
 */
const JWKS_KEY = Symbol.for('cubby.jwks');

interface JwksHolder {
  [JWKS_KEY]?: Map<string, LastGoodKeySet>;
}

function clientAuthentication(): client.ClientAuth {
  const env = getEnv();
  return env.COGNITO_TOKEN_AUTH_METHOD === 'client_secret_post'
    ? client.ClientSecretPost(env.COGNITO_CLIENT_SECRET)
    : client.ClientSecretBasic(env.COGNITO_CLIENT_SECRET);
}

/** Plain http is allowed only for a loopback issuer (the emulator); lib/env.ts enforces https elsewhere. */
function isLoopbackHttp(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
}

async function discover(): Promise<client.Configuration> {
  const env = getEnv();
  const insecure = isLoopbackHttp(env.COGNITO_ISSUER);
  const discovered = await client.discovery(
    new URL(env.COGNITO_ISSUER),
    env.COGNITO_CLIENT_ID,
    undefined,
    clientAuthentication(),
    {
      timeout: IDP_TIMEOUT_SECONDS,
      execute: insecure ? [client.allowInsecureRequests] : [],
    },
  );
  // Cognito's logout and revocation live on the managed-login domain and are not always in discovery.
  const { supportsPKCE: _helper, ...discoveredMetadata } = discovered.serverMetadata();
  const metadata: client.ServerMetadata = {
    ...discoveredMetadata,
    revocation_endpoint: `${env.COGNITO_DOMAIN}/oauth2/revoke`,
    end_session_endpoint: `${env.COGNITO_DOMAIN}/logout`,
  };
  // openid-client checks the ID token's exp/iat itself inside every grant (30 s by default, and it
  // cannot be switched off) before lib/auth/id-token.ts checks them again: both get the one value.
  const config = new client.Configuration(
    metadata,
    env.COGNITO_CLIENT_ID,
    { [client.clockTolerance]: ID_TOKEN_CLOCK_SKEW_SECONDS },
    clientAuthentication(),
  );
  config.timeout = IDP_TIMEOUT_SECONDS;
  if (insecure) client.allowInsecureRequests(config);
  return config;
}

/**
 * The openid-client configuration for the user pool, discovered once per process and cached.
 * A failed discovery is not cached, so the next request tries again. Every request it makes gives
 * up after {@link IDP_TIMEOUT_SECONDS} (lib/upstream.ts), and its ID-token checks allow the same
 * clock difference as Cubby's own ({@link ID_TOKEN_CLOCK_SKEW_SECONDS}). Server only.
 * @throws {AppError} `idp_unavailable` when discovery fails or times out.
 */
export async function getOidcConfiguration(): Promise<client.Configuration> {
  configuration ??= discover().catch((error: unknown) => {
    configuration = undefined;
    log('warn', 'oidc.discovery_failed', { reason: describeError(error) });
    throw new AppError('idp_unavailable', 'discovery failed', { cause: error });
  });
  return configuration;
}

/**
 * The pool's signing keys: fetched on first use and kept as the last good key set, so keys that
 * verified before keep verifying while the JWKS endpoint is down; refetched on an unknown kid (at
 * most every 30 s) and in the background every 10 minutes (lib/auth/jwks.ts). Server only.
 * @throws {AppError} `idp_unavailable` when discovery fails.
 */
export async function getJwks(): Promise<LastGoodKeySet> {
  const uri = (await getOidcConfiguration()).serverMetadata().jwks_uri;
  if (!uri) throw new AppError('idp_unavailable', 'discovery has no jwks_uri');
  const holder = globalThis as JwksHolder;
  holder[JWKS_KEY] ??= new Map();
  const sets = holder[JWKS_KEY];
  let keys = sets.get(uri);
  if (!keys) {
    keys = lastGoodKeySet(new URL(uri));
    sets.set(uri, keys);
  }
  return keys;
}

/** The callback URL, always built from APP_URL, never from the request's Host header. */
export function redirectUri(): string {
  return `${getEnv().APP_URL}/auth/callback`;
}

/**
 * Maps an error from openid-client or fetch to Cubby's codes: an OAuth error answer from Cognito
 * is `fallback`; a timeout, refused connection or 5xx is `idp_unavailable`.
 */
export function classifyIdpError(error: unknown, fallback: 'login_failed' | 'session_ended'): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof client.ResponseBodyError) {
    return new AppError(error.status >= 500 ? 'idp_unavailable' : fallback, `oauth error ${error.error}`, { cause: error });
  }
  if (error instanceof client.ClientError) {
    if (error.code === 'OAUTH_TIMEOUT') return new AppError('idp_unavailable', 'timeout', { cause: error });
    const status = (error.cause as { status?: unknown } | undefined)?.status;
    if (typeof status === 'number' && status >= 500) return new AppError('idp_unavailable', `http ${status}`, { cause: error });
    // An answer that is not an OAuth response at all (a proxy's or firewall's page) says nothing
    // about the grant or the person: the provider is unavailable, nobody is signed out.
    if (error.code === 'OAUTH_RESPONSE_IS_NOT_JSON' || error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') {
      return new AppError('idp_unavailable', `not an OAuth answer (${error.code})`, { cause: error });
    }
    return new AppError(fallback, `client error ${error.code ?? ''}`, { cause: error });
  }
  return new AppError('idp_unavailable', describeError(error), { cause: error });
}
