import { escapeHtml as e } from '../http.ts';
import { federationChoices } from './federation-pages.ts';
import { action, hidden, layout, mailboxNote, type PageMessages, passwordField } from './page-layout.ts';
import { passwordlessChoices } from './passwordless-pages.ts';

/**
 * The managed-login pages: plain HTML forms with labels that work without JavaScript, in Cubby's
 * branding (page-layout.ts, page-assets.ts). Every value reflected into a page goes through
 * `escapeHtml`. `query` is the authorize request's own query string; forms post back to
 * `<page>?<query>` so the flow's parameters stay in the URL, as on Cognito.
 */

export type { PageMessages };

export function loginPage(query: string, username: string, messages: PageMessages): string {
  return layout(
    'Sign in',
    `<form method="post" action="${action('/login', query)}">
<label for="username">Email address</label><input id="username" name="username" type="email" autocomplete="username" required value="${e(username)}">
${passwordField('Password', 'current')}
<button type="submit" name="signInSubmitButton">Sign in</button>
${passwordlessChoices(query)}</form>
${federationChoices(query)}
<nav><a href="${action('/forgotPassword', query)}">Forgot your password?</a><a href="${action('/signup', query)}">Need an account? Sign up</a></nav>`,
    messages,
  );
}

export function signUpPage(query: string, email: string, messages: PageMessages): string {
  return layout(
    'Sign up',
    `<form method="post" action="${action('/signup', query)}">
<label for="email">Email address</label><input id="email" name="email" type="email" autocomplete="email" required value="${e(email)}">
${passwordField('Password', 'new')}
<button type="submit">Sign up</button></form>
<nav><a href="${action('/login', query)}">Already have an account? Sign in</a></nav>`,
    messages,
  );
}

export function confirmPage(query: string, username: string, ticket: string | null, messages: PageMessages): string {
  return layout(
    'Confirm your account',
    `<p>We have sent a code by email to ${e(username)}. Enter it below to confirm your account.</p>${username ? mailboxNote(username) : ''}
<form method="post" action="${action('/confirm', query)}">${hidden('username', username)}${hidden('session', ticket)}
<label for="code">Verification code</label><input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required>
<button type="submit">Confirm account</button></form>
<form method="post" action="${action('/resendcode', query)}">${hidden('username', username)}${hidden('session', ticket)}
<p>Didn't receive a code? <button type="submit" class="link">Resend code</button></p></form>`,
    messages,
  );
}

export function forgotPasswordPage(query: string, username: string, messages: PageMessages): string {
  return layout(
    'Forgot your password?',
    `<p>Enter your email address and we will send you a code to reset your password.</p>
<form method="post" action="${action('/forgotPassword', query)}">
<label for="username">Email address</label><input id="username" name="username" type="email" autocomplete="username" required value="${e(username)}">
<button type="submit">Reset my password</button></form>
<nav><a href="${action('/login', query)}">Back to sign in</a></nav>`,
    messages,
  );
}

export function confirmForgotPasswordPage(query: string, username: string, messages: PageMessages): string {
  return layout(
    'Reset your password',
    `<p>If an account exists for ${e(username)}, we have sent a code by email. Enter it and choose a new password.</p>${username ? mailboxNote(username) : ''}
<form method="post" action="${action('/confirmforgotPassword', query)}">${hidden('username', username)}
<label for="code">Code</label><input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required>
${passwordField('New password', 'new')}
<button type="submit">Change password</button></form>`,
    messages,
  );
}

export function mfaPage(query: string, session: string, messages: PageMessages): string {
  return layout(
    'Multi-factor authentication',
    `<form method="post" action="${action('/mfa', query)}">${hidden('session', session)}
<label for="code">Enter the 6-digit code from your authenticator app</label>
<input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required>
<button type="submit">Sign in</button></form>`,
    messages,
  );
}

export function newPasswordPage(query: string, session: string, messages: PageMessages): string {
  return layout(
    'Change password',
    `<p>Please enter a new password.</p><form method="post" action="${action('/newPassword', query)}">${hidden('session', session)}
${passwordField('New password', 'new')}
<button type="submit">Send</button></form>`,
    messages,
  );
}

export function errorPage(error: string, description: string | null): string {
  return layout(
    'An error was encountered with the requested page.',
    `<p>Error: <code id="error">${e(error)}</code></p>${description ? `<p>${e(description)}</p>` : ''}`,
  );
}
