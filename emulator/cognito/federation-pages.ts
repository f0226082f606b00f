import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.ts';
import { escapeHtml as e, readForm, redirect } from '../http.ts';
import { findProviderByIdentifier, PROVIDER_CHOICES, supportedIdentityProviders } from './identity-providers.ts';
import { withAuthorizeRequest } from './login-pages.ts';
import { action, hidden, sendPage } from './page-layout.ts';
import { loginPage } from './pages.ts';

/**
 * The managed-login page's federation block: a "Continue with <provider>" button per provider the
 * app client supports (a GET form to `/oauth2/authorize` with the flow's parameters and
 * `identity_provider`), and the enterprise sign-in, where a company email's domain picks the
 * provider by its IdP identifier (`POST /login/federate` → `/oauth2/authorize?idp_identifier=<domain>`).
 */

/** The flow's authorize parameters as hidden inputs. */
function carried(query: string): string {
  return [...new URLSearchParams(query)].map(([name, value]) => hidden(name, value)).join('');
}

/** The federation block of the sign-in page; empty when the client supports no external provider. */
export function federationChoices(query: string): string {
  const supported = new Set(supportedIdentityProviders(undefined));
  const providers = PROVIDER_CHOICES.filter((provider) => supported.has(provider.name));
  if (providers.length === 0) return '';
  const buttons = providers
    .map(
      (provider) =>
        `<form method="get" action="/oauth2/authorize" class="federation">${carried(query)}${hidden('identity_provider', provider.name)}` +
        `<button type="submit">Continue with ${e(provider.displayName)}</button></form>`,
    )
    .join('\n');
  const enterprise = providers.some((provider) => provider.identifiers.length > 0)
    ? `<form method="post" action="${action('/login/federate', query)}" class="federation">
<label for="corporate-email">Sign in with your company email</label><input id="corporate-email" name="email" type="email" autocomplete="email" required>
<button type="submit">Continue with company sign-in</button></form>`
    : '';
  return `<section class="federation" aria-label="Other ways to sign in"><p class="divider">or</p>\n${buttons}\n${enterprise}</section>`;
}

/** Cognito's managed login cannot pick a provider for this domain. */
function unknownDomain(domain: string): string {
  return domain
    ? `No company sign-in is set up for ${domain}. Sign in with your email address and password instead.`
    : 'Enter your company email address.';
}

async function postFederate(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, url: URL): Promise<void> {
  await withAuthorizeRequest(res, ctx, url, async (request) => {
    const email = ((await readForm(req)).get('email') ?? '').trim();
    const domain = email.includes('@') ? (email.split('@').pop() ?? '').toLowerCase() : '';
    const provider = domain ? findProviderByIdentifier(ctx, domain) : undefined;
    if (!provider || !supportedIdentityProviders(request.client).includes(provider.name)) {
      return sendPage(ctx, res, 400, loginPage(request.query, '', { error: unknownDomain(domain) }));
    }
    const authorize = new URL('/oauth2/authorize', ctx.config.domain);
    authorize.search = request.query;
    authorize.searchParams.set('idp_identifier', domain);
    authorize.searchParams.set('login_hint', email);
    redirect(res, authorize.href);
  });
}

/** `POST /login/federate`; false for every other route. */
export async function handleFederationPages(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: EmulatorContext,
  url: URL,
): Promise<boolean> {
  if (req.method !== 'POST' || url.pathname !== '/login/federate') return false;
  await postFederate(req, res, ctx, url);
  return true;
}
