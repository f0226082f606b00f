import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.ts';
import { readForm, redirect } from '../http.ts';
import { confirmForgotPassword, confirmSignUp, forgotPassword, resendSignUpCode, signUp } from './account.ts';
import type { AuthorizeRequest } from './authorize.ts';
import { CognitoError } from './errors.ts';
import { endChallenge, findChallenge, startChallenge } from './flow-store.ts';
import { continueSignIn, withAuthorizeRequest } from './login-pages.ts';
import { sendPage } from './page-layout.ts';
import { confirmForgotPasswordPage, confirmPage, forgotPasswordPage, signUpPage } from './pages.ts';

/** `/<page>?<authorize query>&<extra>` on the managed-login domain. */
function pageUrl(ctx: EmulatorContext, path: string, request: AuthorizeRequest, extra: Record<string, string>): string {
  const url = new URL(path, ctx.config.domain);
  url.search = request.query;
  for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, value);
  return url.href;
}

/** Runs `action`; a CognitoError is shown on the page `render` builds (400), anything else propagates. */
async function showing(
  ctx: EmulatorContext,
  res: ServerResponse,
  render: (error: string) => string,
  action: () => Promise<void>,
): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    sendPage(ctx, res, 400, render(error.pageMessage ?? error.message));
  }
}

async function postSignUp(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, request: AuthorizeRequest) {
  const form = await readForm(req);
  const email = (form.get('email') ?? '').trim();
  await showing(
    ctx,
    res,
    (error) => signUpPage(request.query, email, { error }),
    async () => {
      const user = await signUp(ctx, { email, password: form.get('password') ?? '' });
      const ticket = startChallenge(ctx, 'signup', user.username);
      sendPage(ctx, res, 200, confirmPage(request.query, user.email, ticket.id, {}));
    },
  );
}

async function postConfirm(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, request: AuthorizeRequest) {
  const form = await readForm(req);
  const username = form.get('username') ?? '';
  const ticket = form.get('session');
  await showing(
    ctx,
    res,
    (error) => confirmPage(request.query, username, ticket, { error }),
    async () => {
      const user = confirmSignUp(ctx, username, form.get('code') ?? '');
      const challenge = findChallenge(ctx, 'signup', ticket);
      if (challenge && challenge.username === user.username) {
        endChallenge(ctx, challenge.id);
        return continueSignIn(ctx, res, request, user);
      }
      redirect(res, pageUrl(ctx, '/login', request, { notice: 'confirmed', login_hint: user.email }));
    },
  );
}

async function postResend(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, request: AuthorizeRequest) {
  const form = await readForm(req);
  const username = form.get('username') ?? '';
  resendSignUpCode(ctx, username);
  sendPage(ctx, res, 200, confirmPage(request.query, username, form.get('session'), { notice: 'A new code has been sent.' }));
}

async function postForgot(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, request: AuthorizeRequest) {
  const username = ((await readForm(req)).get('username') ?? '').trim();
  forgotPassword(ctx, username);
  redirect(res, pageUrl(ctx, '/confirmforgotPassword', request, { username }));
}

async function postConfirmForgot(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, request: AuthorizeRequest) {
  const form = await readForm(req);
  const username = form.get('username') ?? '';
  await showing(
    ctx,
    res,
    (error) => confirmForgotPasswordPage(request.query, username, { error }),
    async () => {
      await confirmForgotPassword(ctx, username, form.get('code') ?? '', form.get('password') ?? '');
      redirect(res, pageUrl(ctx, '/login', request, { notice: 'reset', login_hint: username }));
    },
  );
}

/** Sign-up, confirmation and password-reset pages. Returns false for other routes. */
export async function handleSignUpPages(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: EmulatorContext,
  url: URL,
): Promise<boolean> {
  const username = url.searchParams.get('username') ?? '';
  const route = `${req.method} ${url.pathname}`;
  const pages: Record<string, (request: AuthorizeRequest) => Promise<void> | void> = {
    'GET /signup': (request) => sendPage(ctx, res, 200, signUpPage(request.query, '', {})),
    'POST /signup': (request) => postSignUp(req, res, ctx, request),
    'GET /confirm': (request) => sendPage(ctx, res, 200, confirmPage(request.query, username, null, {})),
    'POST /confirm': (request) => postConfirm(req, res, ctx, request),
    'POST /resendcode': (request) => postResend(req, res, ctx, request),
    'GET /forgotPassword': (request) => sendPage(ctx, res, 200, forgotPasswordPage(request.query, username, {})),
    'POST /forgotPassword': (request) => postForgot(req, res, ctx, request),
    'GET /confirmforgotPassword': (request) => sendPage(ctx, res, 200, confirmForgotPasswordPage(request.query, username, {})),
    'POST /confirmforgotPassword': (request) => postConfirmForgot(req, res, ctx, request),
  };
  const page = pages[route];
  if (!page) return false;
  await withAuthorizeRequest(res, ctx, url, page);
  return true;
}
