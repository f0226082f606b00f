import type { ServerResponse } from 'node:http';
import { MANAGED_LOGIN_SETTINGS } from '../../lib/branding/managed-login.ts';
import type { EmulatorContext } from '../context.ts';
import { escapeHtml as e, sendHtml } from '../http.ts';
import { appClient } from './client.ts';
import { PAGE_ASSETS } from './page-assets.ts';
import { PASSWORD_RULES } from './password.ts';

/**
 * The frame every managed-login page shares (head with favicons, stylesheet and script; the form
 * card with Cubby's logo), the password field with its show-password toggle and rule list, and the
 * Content-Security-Policy the pages are sent with. Every value reflected into a page is escaped.
 */

export interface PageMessages {
  error?: string | null;
  notice?: string | null;
}

/**
 * The pages' CSP: scripts, styles and images from the emulator's origin only (no inline code);
 * forms may post to the pages themselves and, after a sign-in, redirect to the app's callback.
 */
export function pageSecurityPolicy(ctx: EmulatorContext): string {
  const appOrigins = [...new Set(appClient(ctx).callbackUrls.map((url) => new URL(url).origin))];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    // The emulated identity providers live on the emulator's origin: "Continue with …" redirects there.
    `form-action 'self' ${appOrigins.join(' ')} ${ctx.config.origin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** Sends a managed-login page with its CSP. */
export function sendPage(ctx: EmulatorContext, res: ServerResponse, status: number, html: string): void {
  sendHtml(res, status, html, {
    'content-security-policy': pageSecurityPolicy(ctx),
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  });
}

/** A whole page: `title` as heading, the error/notice, then `body`. */
export function layout(title: string, body: string, messages: PageMessages = {}): string {
  const error = messages.error ? `<p class="error" role="alert">${e(messages.error)}</p>` : '';
  const notice = messages.notice ? `<p class="notice" role="status">${e(messages.notice)}</p>` : '';
  const logo = MANAGED_LOGIN_SETTINGS.components.form.logo.enabled
    ? `<img class="logo" src="${PAGE_ASSETS.logo}" alt="Cubby" width="56" height="56">`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} - Cubby</title>
<link rel="icon" href="${PAGE_ASSETS.faviconIco}" sizes="any"><link rel="icon" href="${PAGE_ASSETS.faviconSvg}" type="image/svg+xml">
<link rel="stylesheet" href="${PAGE_ASSETS.style}"><script src="${PAGE_ASSETS.script}" defer></script></head>
<body><main>${logo}<h1>${e(title)}</h1>${error}${notice}${body}</main></body></html>`;
}

/** A hidden form field, or nothing when `value` is empty. */
export function hidden(name: string, value: string | null | undefined): string {
  return value ? `<input type="hidden" name="${e(name)}" value="${e(value)}">` : '';
}

/** A form's action: `<path>?<authorize query>`, escaped for the attribute. */
export function action(path: string, query: string): string {
  return e(query ? `${path}?${query}` : path);
}

/** The list of password rules, ticked live by the pages' script as the password meets them. */
function passwordRules(inputId: string): string {
  const items = PASSWORD_RULES.map(
    (rule) =>
      `<li data-rule="${rule.id}" data-pattern="${e(rule.pattern.source)}" data-flags="${e(rule.pattern.flags)}" data-met="false">` +
      `${e(rule.label)}<span class="visually-hidden rule-state"> (not yet)</span></li>`,
  ).join('');
  return `<div class="rules" id="${inputId}-rules" data-password-rules="${inputId}"><p class="hint">Your password needs:</p><ul>${items}</ul></div>`;
}

/**
 * A labelled password input (keeping the `password` name and id the forms have always had) with a
 * show-password toggle; `kind: 'new'` adds the policy's rules, listed and ticked as they are met.
 * The toggle stays hidden until the script runs, so without JavaScript the field is a plain one.
 */
export function passwordField(label: string, kind: 'current' | 'new'): string {
  const id = 'password';
  const autocomplete = kind === 'new' ? 'new-password' : 'current-password';
  const describedBy = kind === 'new' ? ` aria-describedby="${id}-rules"` : '';
  const toggle = `<button type="button" class="reveal" data-reveal="${id}" aria-controls="${id}" aria-pressed="false" hidden>Show password</button>`;
  return `<label for="${id}">${e(label)}</label><div class="password-field"><input id="${id}" name="password" type="password" autocomplete="${autocomplete}" required${describedBy}>${toggle}</div>${kind === 'new' ? passwordRules(id) : ''}`;
}

/** Where the emulator "sends" mail: its mailbox page for `email` (there is no real email offline). */
export function mailboxNote(email: string): string {
  const href = `/_local/mailbox?to=${encodeURIComponent(email)}`;
  return `<p class="mailbox">This is the local emulator: no real email is sent. The code was "sent" to the emulator's mailbox: <a href="${e(href)}" target="_blank" rel="noopener">open the mailbox for ${e(email)}</a>.</p>`;
}
