import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.ts';
import { handleUserPoolApi } from './api.ts';
import { handleAuthorize } from './authorize.ts';
import { handleDiscovery, handleErrorPage, handleJwks, handleLogout, handleRevoke, handleUserInfo } from './endpoints.ts';
import { handleIdpResponse } from './federation-oidc.ts';
import { handleFederationPages } from './federation-pages.ts';
import { handleLoginPages } from './login-pages.ts';
import { handlePageAssets } from './page-assets.ts';
import { handlePasswordlessPages } from './passwordless-routes.ts';
import { handleSamlResponse } from './saml-response.ts';
import { handleSignUpPages } from './signup-pages.ts';
import { handleToken } from './token-endpoint.ts';

/** Endpoints a browser may call cross-origin (Cognito answers them with `Access-Control-Allow-Origin: *`). */
const CORS_PATHS = new Set(['/oauth2/token', '/oauth2/revoke', '/oauth2/userInfo']);

/**
 * The Cognito user pool on the emulator's single origin: discovery and JWKS under the issuer
 * (`/<poolId>/.well-known/…`), the OAuth endpoints and managed-login pages as on the pool's
 * domain, and the JSON API (`POST /` with an `AWSCognitoIdentityProviderService.*` target).
 * Returns false for every other request.
 */
export async function handleCognito(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, url: URL): Promise<boolean> {
  const { pathname } = url;
  const method = req.method ?? 'GET';
  if (method === 'POST' && pathname === '/') return handleUserPoolApi(req, res, ctx);
  const wellKnown = `/${ctx.config.userPoolId}/.well-known/`;
  if (method === 'GET' && pathname === `${wellKnown}openid-configuration`) {
    await handleDiscovery(res, ctx);
    return true;
  }
  if (method === 'GET' && pathname === `${wellKnown}jwks.json`) {
    await handleJwks(res, ctx);
    return true;
  }
  if (method === 'OPTIONS' && CORS_PATHS.has(pathname)) {
    res.writeHead(204, {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': pathname === '/oauth2/userInfo' ? 'GET' : 'POST',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '600',
    });
    res.end();
    return true;
  }
  switch (`${method} ${pathname}`) {
    case 'GET /oauth2/authorize':
      await handleAuthorize(req, res, ctx, url);
      return true;
    case 'POST /oauth2/token':
      await handleToken(req, res, ctx);
      return true;
    case 'GET /oauth2/userInfo':
      await handleUserInfo(req, res, ctx);
      return true;
    case 'POST /oauth2/revoke':
      await handleRevoke(req, res, ctx);
      return true;
    case 'GET /logout':
      handleLogout(req, res, ctx, url);
      return true;
    case 'GET /oauth2/idpresponse':
      await handleIdpResponse(res, ctx, url);
      return true;
    case 'POST /saml2/idpresponse':
      await handleSamlResponse(req, res, ctx);
      return true;
    case 'GET /error':
      handleErrorPage(res, ctx, url);
      return true;
  }
  return (
    handlePageAssets(req, res, url) ||
    (await handleLoginPages(req, res, ctx, url)) ||
    (await handleFederationPages(req, res, ctx, url)) ||
    (await handlePasswordlessPages(req, res, ctx, url)) ||
    (await handleSignUpPages(req, res, ctx, url))
  );
}
