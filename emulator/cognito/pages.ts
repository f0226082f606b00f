import { escapeHtml as e } from '../http.ts';

/**
 * The managed-login pages: plain HTML forms with labels that work without JavaScript. Every value
 * reflected into a page goes through `escapeHtml`. `query` is the authorize request's own query
 * string; forms post back to `<page>?<query>` so the flow's parameters stay in the URL, as on Cognito.
 */

const STYLE = `*{box-sizing:border-box}body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1c1d22;margin:0}
main{max-width:24rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:.5rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin-top:0}label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{width:100%;padding:.6rem;border:1px solid #767676;border-radius:.25rem;font-size:1rem}
button{margin-top:1.25rem;width:100%;padding:.7rem;border:0;border-radius:.25rem;background:#1d4ed8;color:#fff;font-size:1rem;cursor:pointer}
button.link{background:none;color:#1d4ed8;text-decoration:underline;padding:0;width:auto}
.error{color:#a10000;background:#fdecec;padding:.6rem;border-radius:.25rem}.notice{background:#e8f1ff;padding:.6rem;border-radius:.25rem}
.hint{font-size:.85rem;color:#4b4f58}nav{margin-top:1.5rem;display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap}
a{color:#1d4ed8}:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}`;

export interface PageMessages {
  error?: string | null;
  notice?: string | null;
}

function layout(title: string, body: string, messages: PageMessages = {}): string {
  const error = messages.error ? `<p class="error" role="alert">${e(messages.error)}</p>` : '';
  const notice = messages.notice ? `<p class="notice" role="status">${e(messages.notice)}</p>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} - Cubby local sign-in</title><style>${STYLE}</style></head>
<body><main><h1>${e(title)}</h1>${error}${notice}${body}</main></body></html>`;
}

function hidden(name: string, value: string | null | undefined): string {
  return value ? `<input type="hidden" name="${e(name)}" value="${e(value)}">` : '';
}

function action(path: string, query: string): string {
  return e(query ? `${path}?${query}` : path);
}

const PASSWORD_HINT =
  '<p class="hint" id="password-hint">At least 8 characters, with an upper-case letter, a lower-case letter and a number.</p>';

export function loginPage(query: string, username: string, messages: PageMessages): string {
  return layout(
    'Sign in',
    `<form method="post" action="${action('/login', query)}">
<label for="username">Email address</label><input id="username" name="username" type="email" autocomplete="username" required value="${e(username)}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" name="signInSubmitButton">Sign in</button></form>
<nav><a href="${action('/forgotPassword', query)}">Forgot your password?</a><a href="${action('/signup', query)}">Need an account? Sign up</a></nav>`,
    messages,
  );
}

export function signUpPage(query: string, email: string, messages: PageMessages): string {
  return layout(
    'Sign up',
    `<form method="post" action="${action('/signup', query)}">
<label for="email">Email address</label><input id="email" name="email" type="email" autocomplete="email" required value="${e(email)}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="new-password" required aria-describedby="password-hint">
${PASSWORD_HINT}<button type="submit">Sign up</button></form>
<nav><a href="${action('/login', query)}">Already have an account? Sign in</a></nav>`,
    messages,
  );
}

export function confirmPage(query: string, username: string, ticket: string | null, messages: PageMessages): string {
  return layout(
    'Confirm your account',
    `<p>We have sent a code by email to ${e(username)}. Enter it below to confirm your account.</p>
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
    `<p>If an account exists for ${e(username)}, we have sent a code by email. Enter it and choose a new password.</p>
<form method="post" action="${action('/confirmforgotPassword', query)}">${hidden('username', username)}
<label for="code">Code</label><input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required>
<label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password" required aria-describedby="password-hint">
${PASSWORD_HINT}<button type="submit">Change password</button></form>`,
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
<label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password" required aria-describedby="password-hint">
${PASSWORD_HINT}<button type="submit">Send</button></form>`,
    messages,
  );
}

export function errorPage(error: string, description: string | null): string {
  return layout(
    'An error was encountered with the requested page.',
    `<p>Error: <code id="error">${e(error)}</code></p>${description ? `<p>${e(description)}</p>` : ''}`,
  );
}
