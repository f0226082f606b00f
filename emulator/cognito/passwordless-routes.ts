import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.ts';
import { readForm, redirect } from '../http.ts';
import { type AuthorizeRequest, completeSignIn, currentSession } from './authorize.ts';
import { finishEmailSignIn, startEmailSignIn } from './email-otp.ts';
import { CognitoError } from './errors.ts';
import { withAuthorizeRequest } from './login-pages.ts';
import { sendPage } from './page-layout.ts';
import { loginPage } from './pages.ts';
import {
  completeRegistration,
  credentialDocument,
  finishPasskeySignIn,
  passkeyAmr,
  passkeysOf,
  startPasskeySignIn,
  startRegistration,
} from './passkeys.ts';
import { emailCodePage, PASSKEY_SCRIPT, PASSKEY_SCRIPT_PATH, passkeyAddPage, passkeySignInPage } from './passwordless-pages.ts';
import { findUser } from './users.ts';

/**
 * The routes of choice-based sign-in: an emailed one-time code (`/passwordless/email`), a passkey
 * (`/passwordless/passkey`), and `/passkeys/add` for a signed-in browser (managed-login session).
 * Each keeps the authorize request in its URL, as the other pages do.
 */

const NO_EMAIL = 'Enter your email address.';
const NO_PASSKEY = 'There is no passkey for this account. Sign in with your password or an emailed code.';
const PASSKEY_FAILED = 'Your passkey could not be verified. Try again, or choose another way to sign in.';

async function postEmail(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, request: AuthorizeRequest) {
  const email = ((await readForm(req)).get('username') ?? '').trim();
  if (!email) return sendPage(ctx, res, 400, loginPage(request.query, '', { error: NO_EMAIL }));
  const session = startEmailSignIn(ctx, email);
  sendPage(ctx, res, 200, emailCodePage(request.query, email, session, {}));
}

async function postEmailCode(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, request: AuthorizeRequest) {
  const form = await readForm(req);
  const session = form.get('session') ?? '';
  const email = form.get('username') ?? '';
  try {
    const user = finishEmailSignIn(ctx, session, form.get('code') ?? '');
    completeSignIn(ctx, res, request, user, ['email_otp']);
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    const messages = { error: error.pageMessage ?? error.message };
    if (error.type === 'CodeMismatchException')
      return sendPage(ctx, res, 400, emailCodePage(request.query, email, session, messages));
    sendPage(ctx, res, 400, loginPage(request.query, email, messages));
  }
}

async function postPasskey(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, request: AuthorizeRequest) {
  const email = ((await readForm(req)).get('username') ?? '').trim();
  if (!email) return sendPage(ctx, res, 400, loginPage(request.query, '', { error: NO_EMAIL }));
  const user = findUser(ctx, email);
  if (!user?.enabled || passkeysOf(user).length === 0) {
    return sendPage(ctx, res, 400, loginPage(request.query, email, { error: NO_PASSKEY }));
  }
  const signIn = await startPasskeySignIn(ctx, user);
  sendPage(ctx, res, 200, passkeySignInPage(request.query, signIn.id, JSON.stringify(signIn.options), {}));
}

async function postPasskeyAssertion(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, request: AuthorizeRequest) {
  const form = await readForm(req);
  let result: Awaited<ReturnType<typeof finishPasskeySignIn>>;
  try {
    result = await finishPasskeySignIn(ctx, form.get('session') ?? '', credentialDocument(form.get('credential') ?? ''));
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    result = undefined;
  }
  if (!result) return sendPage(ctx, res, 400, loginPage(request.query, '', { error: PASSKEY_FAILED }));
  completeSignIn(ctx, res, request, result.user, passkeyAmr(result.passkey));
}

/** `/passkeys/add`: needs the browser's managed-login session; without one, the sign-in page first. */
async function passkeyAdd(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, request: AuthorizeRequest) {
  const session = currentSession(ctx, req);
  if (!session) {
    const login = new URL('/login', ctx.config.domain);
    login.search = request.query;
    return redirect(res, login.href);
  }
  let error: string | null = null;
  if (req.method === 'POST') {
    try {
      const document = credentialDocument((await readForm(req)).get('credential') ?? '');
      await completeRegistration(ctx, session.user, null, document);
      const authorize = new URL('/oauth2/authorize', ctx.config.domain);
      authorize.search = request.query;
      return redirect(res, authorize.href);
    } catch (caught) {
      if (!(caught instanceof CognitoError)) throw caught;
      error = 'Your passkey could not be added. Try again, or choose "Not now".';
    }
  }
  const options = await startRegistration(ctx, session.user, null);
  sendPage(ctx, res, error ? 400 : 200, passkeyAddPage(request.query, JSON.stringify(options), { error }));
}

/** The passwordless routes and the passkey script; false for other requests. */
export async function handlePasswordlessPages(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: EmulatorContext,
  url: URL,
): Promise<boolean> {
  const route = `${req.method} ${url.pathname}`;
  const withRequest = async (then: (request: AuthorizeRequest) => Promise<void>) => {
    await withAuthorizeRequest(res, ctx, url, then);
    return true;
  };
  switch (route) {
    case `GET ${PASSKEY_SCRIPT_PATH}`:
      res.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=300',
        'x-content-type-options': 'nosniff',
      });
      res.end(PASSKEY_SCRIPT);
      return true;
    case 'POST /passwordless/email':
      return withRequest((request) => postEmail(req, res, ctx, request));
    case 'POST /passwordless/email/verify':
      return withRequest((request) => postEmailCode(req, res, ctx, request));
    case 'POST /passwordless/passkey':
      return withRequest((request) => postPasskey(req, res, ctx, request));
    case 'POST /passwordless/passkey/verify':
      return withRequest((request) => postPasskeyAssertion(req, res, ctx, request));
    case 'GET /passkeys/add':
    case 'POST /passkeys/add':
      return withRequest((request) => passkeyAdd(req, res, ctx, request));
    default:
      return false;
  }
}
