import type { ServerResponse } from 'node:http';
import { appClient } from '../cognito/client.ts';
import type { EmulatorContext } from '../context.ts';
import { escapeHtml as e, sendHtml } from '../http.ts';
import type { EmulatedProvider } from './oidc-store.ts';

/**
 * The emulated providers' pages: the sign-in form (email and display name, Continue and Cancel)
 * and the error page a provider shows when it cannot trust the request's redirect URI. Plain
 * HTML with labels; every reflected value is escaped.
 */

/** The authorize parameters the sign-in form carries to its POST. */
export const FORM_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
] as const;

const STYLE = `body{font-family:system-ui,sans-serif;background:#f1f3f4;margin:0;color:#202124}
main{max-width:26rem;margin:3rem auto;background:#fff;border:1px solid #dadce0;border-radius:8px;padding:2rem}
h1{font-size:1.5rem;font-weight:400;margin:0 0 .5rem}p{margin:.25rem 0 1rem}
label{display:block;margin:.75rem 0 .25rem;font-size:.9rem}
input{box-sizing:border-box;width:100%;padding:.6rem;border:1px solid #dadce0;border-radius:4px;font-size:1rem}
.actions{display:flex;justify-content:space-between;margin-top:1.5rem}
button{padding:.55rem 1.4rem;border-radius:4px;font-size:.95rem;cursor:pointer}
button[value=continue]{background:#1a73e8;color:#fff;border:0}button[value=cancel]{background:none;border:0;color:#1a73e8}
.error{color:#d93025}.note{font-size:.8rem;color:#5f6368}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title><style>${STYLE}</style></head><body><main><h1>${e(title)}</h1>${body}</main></body></html>`;
}

/**
 * The pages' CSP: inline style only; the form may post to the provider and be redirected on to
 * the pool (its `/oauth2/idpresponse`) and from there to the app.
 */
function securityPolicy(ctx: EmulatorContext): string {
  const targets = [ctx.config.origin, ctx.config.domain, ...appClient(ctx).callbackUrls].map((url) => new URL(url).origin);
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "img-src 'self'",
    `form-action 'self' ${[...new Set(targets)].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function sendProviderPage(ctx: EmulatorContext, res: ServerResponse, status: number, html: string): void {
  sendHtml(res, status, html, {
    'content-security-policy': securityPolicy(ctx),
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  });
}

/** The sign-in form; `params` are the authorize parameters to carry. */
export function signInPage(
  provider: EmulatedProvider,
  params: URLSearchParams,
  values: { email: string; name: string },
  error?: string,
): string {
  const hidden = FORM_PARAMS.map((name) => {
    const value = params.get(name);
    return value === null ? '' : `<input type="hidden" name="${name}" value="${e(value)}">`;
  }).join('');
  const domain = provider.emailDomain ? ` (your @${e(provider.emailDomain)} account)` : '';
  return page(
    provider.title,
    `<p>to continue to Cubby</p>${error ? `<p class="error" role="alert">${e(error)}</p>` : ''}
<form method="post" action="/_idp/${provider.slug}/authorize">${hidden}
<label for="email">Email${domain}</label><input id="email" name="email" type="email" autocomplete="email" required value="${e(values.email)}">
<label for="name">Display name</label><input id="name" name="name" autocomplete="name" value="${e(values.name)}">
<div class="actions"><button type="submit" name="action" value="cancel" formnovalidate>Cancel</button><button type="submit" name="action" value="continue">Continue</button></div>
</form><p class="note">This is the emulator's stand-in for the identity provider: no password is asked.</p>`,
  );
}

/** The page a provider shows instead of redirecting to a URI it cannot trust. */
export function providerErrorPage(provider: EmulatedProvider, error: string, description: string): string {
  return page(
    provider.title,
    `<p class="error" role="alert">Error: <code id="error">${e(error)}</code></p><p>${e(description)}</p>`,
  );
}
