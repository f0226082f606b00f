import type { ServerResponse } from 'node:http';
import { escapeHtml as e, sendHtml } from '../http.ts';

/**
 * The emulated Globex IdP's HTML: its sign-in page (email and name, Continue / Cancel), the
 * auto-submitting HTTP-POST form that carries the SAMLResponse to the service provider, and an
 * error page. No inline script or style: the pages load `/_idp/globex/page.css` and `page.js`.
 */

/** The IdP's static assets, below its base path. */
export const GLOBEX_ASSETS = {
  'page.css': {
    type: 'text/css; charset=utf-8',
    body: `:root{color-scheme:light dark;font-family:system-ui,sans-serif}
body{margin:0;min-height:100vh;display:grid;place-items:center;background:#0f3d3e;color:#102a2b}
main{background:#fff;border-radius:6px;padding:2rem;width:min(24rem,90vw);box-shadow:0 8px 24px #0006}
.brand{font-weight:700;letter-spacing:.2em;color:#0f3d3e;margin:0 0 1rem}
h1{font-size:1.25rem;margin:0 0 .5rem}
p.for{color:#456;margin:0 0 1.25rem;font-size:.9rem;word-break:break-all}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #789;border-radius:4px;font:inherit}
.actions{display:flex;gap:.75rem;margin-top:1.25rem}
button{flex:1;padding:.6rem;border-radius:4px;border:1px solid #0f3d3e;font:inherit;cursor:pointer}
button.primary{background:#0f3d3e;color:#fff}
button.secondary{background:#fff;color:#0f3d3e}
.error{color:#a40000;font-weight:600}`,
  },
  'page.js': {
    type: 'text/javascript; charset=utf-8',
    body: `const form = document.getElementById('saml-post');
if (form) form.submit();`,
  },
} as const;

function page(base: string, title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} - Globex</title><link rel="stylesheet" href="${base}/page.css"><script src="${base}/page.js" defer></script></head>
<body><main><p class="brand">GLOBEX</p><h1>${e(title)}</h1>${body}</main></body></html>`;
}

function hidden(name: string, value: string | null): string {
  return value === null ? '' : `<input type="hidden" name="${name}" value="${e(value)}">`;
}

/**
 * Sends an IdP page. Forms may post to the IdP itself and to the service provider's ACS origin;
 * scripts and styles come from the IdP's origin only.
 */
export function sendIdpPage(res: ServerResponse, status: number, html: string, formOrigins: string[] = []): void {
  sendHtml(res, status, html, {
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      `form-action 'self' ${formOrigins.join(' ')}`.trim(),
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  });
}

export interface SignInPageInput {
  base: string;
  /** The service provider asking (its entity id), shown to the person. */
  serviceProvider: string;
  samlRequest: string;
  relayState: string | null;
  email?: string;
  name?: string;
  error?: string;
}

/** The sign-in form: posts email, name and `action=continue|cancel` with the request back to `<base>/sso`. */
export function signInPage(input: SignInPageInput): string {
  const error = input.error ? `<p class="error" role="alert">${e(input.error)}</p>` : '';
  return page(
    input.base,
    'Sign in to Globex',
    `<p class="for">to continue to ${e(input.serviceProvider)}</p>${error}
<form method="post" action="${input.base}/sso">
${hidden('SAMLRequest', input.samlRequest)}${hidden('RelayState', input.relayState)}
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="${e(input.email ?? '')}">
<label for="name">Name</label><input id="name" name="name" type="text" autocomplete="name" value="${e(input.name ?? '')}">
<div class="actions"><button class="secondary" type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
<button class="primary" type="submit" name="action" value="continue">Continue</button></div>
</form>`,
  );
}

/** The HTTP-POST binding: a form to the ACS that `page.js` submits at once (or the person, without script). */
export function postBindingPage(base: string, acsUrl: string, samlResponse: string, relayState: string | null): string {
  return page(
    base,
    'Signing you in',
    `<form id="saml-post" method="post" action="${e(acsUrl)}">
${hidden('SAMLResponse', samlResponse)}${hidden('RelayState', relayState)}
<div class="actions"><button class="primary" type="submit">Continue</button></div>
</form>`,
  );
}

/** A request the IdP cannot answer to any service provider. */
export function idpErrorPage(base: string, message: string): string {
  return page(base, 'Sign-in request not accepted', `<p class="error" role="alert">${e(message)}</p>`);
}
