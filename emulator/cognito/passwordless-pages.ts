import { escapeHtml as e } from '../http.ts';
import { action, hidden, layout, mailboxNote, type PageMessages } from './page-layout.ts';

/**
 * The choice-based sign-in pages of managed login: the passwordless choices on the sign-in form,
 * the emailed-code page, the passkey sign-in page and the "add a passkey" page. The passkey pages
 * run the WebAuthn ceremony with {@link PASSKEY_SCRIPT} (an external file from the emulator's
 * origin, so the pages' CSP needs no inline script); the options travel in a `data-options`
 * attribute, the result goes back in a hidden form field.
 */

/** Where the pages load the passkey script from. */
export const PASSKEY_SCRIPT_PATH = '/managed-login/passkeys.js';

/**
 * The choices the sign-in form offers besides the password: buttons of the same form (so the
 * email typed goes along) posting to the passwordless pages, without the password's validation.
 */
export function passwordlessChoices(query: string): string {
  return `<div class="passwordless"><p class="hint">Or sign in without your password:</p>
<button type="submit" formaction="${action('/passwordless/passkey', query)}" formnovalidate>Use a passkey</button>
<button type="submit" formaction="${action('/passwordless/email', query)}" formnovalidate>Email me a one-time code</button></div>`;
}

export function emailCodePage(query: string, email: string, session: string, messages: PageMessages): string {
  return layout(
    'Check your email',
    `<p>If ${e(email)} has an account, we have sent it a one-time code. The code expires in 3 minutes.</p>${mailboxNote(email)}
<form method="post" action="${action('/passwordless/email/verify', query)}">${hidden('session', session)}${hidden('username', email)}
<label for="code">One-time code</label><input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required>
<button type="submit">Sign in</button></form>
<nav><a href="${action('/login', query)}">Choose another way to sign in</a></nav>`,
    messages,
  );
}

function passkeyScript(): string {
  return `<script src="${PASSKEY_SCRIPT_PATH}" defer></script>`;
}

export function passkeySignInPage(query: string, session: string, optionsJson: string, messages: PageMessages): string {
  return layout(
    'Sign in with a passkey',
    `<p>Use the passkey saved on this device or on your security key.</p>
<form method="post" action="${action('/passwordless/passkey/verify', query)}" data-passkey="get" data-options="${e(optionsJson)}">${hidden('session', session)}
<input type="hidden" name="credential" value="">
<p class="hint" role="status" data-passkey-status></p>
<button type="button" data-passkey-start>Continue with my passkey</button>
<noscript><p class="error">Passkeys need JavaScript. Choose another way to sign in.</p></noscript></form>
<nav><a href="${action('/login', query)}">Choose another way to sign in</a></nav>${passkeyScript()}`,
    messages,
  );
}

export function passkeyAddPage(query: string, optionsJson: string, messages: PageMessages): string {
  return layout(
    'Add a passkey',
    `<p>Sign in faster next time: a passkey uses your device's screen lock or a security key instead of your password.</p>
<form method="post" action="${action('/passkeys/add', query)}" data-passkey="create" data-options="${e(optionsJson)}">
<input type="hidden" name="credential" value="">
<p class="hint" role="status" data-passkey-status></p>
<button type="button" data-passkey-start>Add a passkey</button>
<noscript><p class="error">Passkeys need JavaScript.</p></noscript></form>
<nav><a href="${action('/oauth2/authorize', query)}">Not now</a></nav>${passkeyScript()}`,
    messages,
  );
}

/**
 * The passkey pages' script: turns the JSON options into the binary ones WebAuthn takes, runs
 * `navigator.credentials.create()` / `.get()` when the person presses the button, and posts the
 * result as JSON (RegistrationResponseJSON / AuthenticationResponseJSON, base64url fields).
 */
export const PASSKEY_SCRIPT = `'use strict';
const fromB64u = (text) => {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
};
const toB64u = (buffer) => {
  let binary = '';
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
};
const descriptors = (list) => (list || []).map((item) => ({ ...item, id: fromB64u(item.id) }));
async function create(options) {
  const publicKey = { ...options, challenge: fromB64u(options.challenge), user: { ...options.user, id: fromB64u(options.user.id) }, excludeCredentials: descriptors(options.excludeCredentials) };
  const credential = await navigator.credentials.create({ publicKey });
  const response = credential.response;
  return {
    id: credential.id, rawId: toB64u(credential.rawId), type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    clientExtensionResults: credential.getClientExtensionResults(),
    response: { clientDataJSON: toB64u(response.clientDataJSON), attestationObject: toB64u(response.attestationObject), transports: response.getTransports ? response.getTransports() : [] },
  };
}
async function get(options) {
  const publicKey = { ...options, challenge: fromB64u(options.challenge), allowCredentials: descriptors(options.allowCredentials) };
  const credential = await navigator.credentials.get({ publicKey });
  const response = credential.response;
  return {
    id: credential.id, rawId: toB64u(credential.rawId), type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    clientExtensionResults: credential.getClientExtensionResults(),
    response: {
      clientDataJSON: toB64u(response.clientDataJSON), authenticatorData: toB64u(response.authenticatorData),
      signature: toB64u(response.signature), userHandle: response.userHandle ? toB64u(response.userHandle) : undefined,
    },
  };
}
for (const form of document.querySelectorAll('form[data-passkey]')) {
  const button = form.querySelector('[data-passkey-start]');
  const status = form.querySelector('[data-passkey-status]');
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'Waiting for your passkey…';
    try {
      const options = JSON.parse(form.dataset.options);
      const result = form.dataset.passkey === 'create' ? await create(options) : await get(options);
      form.elements.credential.value = JSON.stringify(result);
      form.submit();
    } catch (error) {
      status.textContent = 'The passkey was not used (' + (error && error.name ? error.name : 'error') + '). Try again.';
      button.disabled = false;
    }
  });
}
`;
