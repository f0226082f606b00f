import 'server-only';
import { JwtVerifier } from 'aws-jwt-verify';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { getEnv } from '@/lib/env';
import { withRequestLogs } from '@/lib/http/request-id';
import { describeError, log } from '@/lib/log';
import { IDP_TIMEOUT_SECONDS } from '@/lib/upstream';

/** What `GET /api/me` tells a Bearer caller about itself. */
export interface BearerIdentity {
  sub: string;
  username: string;
  groups: string[];
  scope: string[];
}

/**
 * JWKS over the platform fetch with a timeout: works for Cognito's https JWKS and for the
 * emulator's loopback http one (aws-jwt-verify's default fetcher speaks https only).
 */
class TimedFetcher implements Fetcher {
  async fetch(uri: string): Promise<ArrayBuffer> {
    const response = await fetch(uri, { signal: AbortSignal.timeout(IDP_TIMEOUT_SECONDS * 1000) });
    if (response.status !== 200) throw new Error(`JWKS answered ${response.status}`);
    return response.arrayBuffer();
  }
}

let verifier: ReturnType<typeof createVerifier> | undefined;

function createVerifier() {
  const env = getEnv();
  return JwtVerifier.create(
    {
      issuer: env.COGNITO_ISSUER,
      jwksUri: `${env.COGNITO_ISSUER}/.well-known/jwks.json`,
      // Cognito access tokens carry no aud; the app client is in client_id instead.
      audience: null,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'access') throw new Error('not an access token');
        if (payload.client_id !== env.COGNITO_CLIENT_ID) throw new Error('issued to another client');
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: new TimedFetcher() }) },
  );
}

/**
 * Verifies `Authorization: Bearer <Cognito access token>` with aws-jwt-verify: signature (JWKS
 * cached, refetched on an unknown kid), issuer, expiry, token_use "access" and client_id.
 * Returns null for anything that does not verify (the reason is logged). Server only.
 */
export function verifyBearer(authorization: string | null): Promise<BearerIdentity | null> {
  return withRequestLogs(() => verifyAccessToken(authorization));
}

async function verifyAccessToken(authorization: string | null): Promise<BearerIdentity | null> {
  const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authorization ?? '');
  if (!match?.[1]) return null;
  verifier ??= createVerifier();
  try {
    const payload = await verifier.verify(match[1]);
    const groups = payload['cognito:groups'];
    return {
      sub: String(payload.sub),
      username: String(payload.username ?? payload.sub),
      groups: Array.isArray(groups) ? groups.map(String) : [],
      scope: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
    };
  } catch (error) {
    log('info', 'auth.bearer_rejected', { reason: describeError(error) });
    return null;
  }
}
