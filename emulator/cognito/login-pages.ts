import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.ts';
import { readForm, redirect } from '../http.ts';
import { authenticate, needsTotp, setPassword, totpMatches } from './account.ts';
import { type AuthorizeRequest, validateAuthorize } from './authorize.ts';
import { CognitoError, MESSAGES } from './errors.ts';
import { endChallenge, findChallenge, startChallenge } from './flow-store.ts';
import { sendPage } from './page-layout.ts';
import { confirmPage, loginPage, mfaPage, newPasswordPage } from './pages.ts';
import { finishPasswordSignIn } from './passwordless-offer.ts';
import { findUser, type StoredUser } from './users.ts';

/** Notices the login page shows after another page sent the browser back to it. */
const NOTICES: Record<string, string> = {
  confirmed: 'Your account has been confirmed. Please sign in.',
  reset: 'Your password has been reset. Please sign in with your new password.',
};

/** Runs `then` with the validated authorize request of a page URL, or redirects as authorize would. */
export async function withAuthorizeRequest(
  res: ServerResponse,
  ctx: EmulatorContext,
  url: URL,
  then: (request: AuthorizeRequest) => Promise<void> | void,
): Promise<void> {
  const validation = validateAuthorize(ctx, url.searchParams);
  if (!validation.ok) return redirect(res, validation.location);
  await then(validation.request);
}

/** After the password: the new-password step, the TOTP step, or done. */
export function continueSignIn(ctx: EmulatorContext, res: ServerResponse, request: AuthorizeRequest, user: StoredUser): void {
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    const challenge = startChallenge(ctx, 'new_password', user.username);
    sendPage(ctx, res, 200, newPasswordPage(request.query, challenge.id, {}));
  } else if (needsTotp(user)) {
    const challenge = startChallenge(ctx, 'mfa', user.username);
    sendPage(ctx, res, 200, mfaPage(request.query, challenge.id, {}));
  } else {
    finishPasswordSignIn(ctx, res, request, user, ['pwd']);
  }
}

async function postLogin(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, request: AuthorizeRequest) {
  const form = await readForm(req);
  const username = form.get('username') ?? '';
  try {
    const user = await authenticate(ctx, username, form.get('password') ?? '');
    continueSignIn(ctx, res, request, user);
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    if (error.type === 'UserNotConfirmedException') {
      // The password was right: the confirm page may sign the user in once the code matches.
      const user = findUser(ctx, username.trim());
      const ticket = user ? startChallenge(ctx, 'signup', user.username).id : null;
      return sendPage(
        ctx,
        res,
        200,
        confirmPage(request.query, user?.email ?? username, ticket, { error: error.pageMessage ?? error.message }),
      );
    }
    sendPage(ctx, res, 400, loginPage(request.query, username, { error: error.pageMessage ?? error.message }));
  }
}

async function postMfa(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, request: AuthorizeRequest) {
  const form = await readForm(req);
  const challenge = findChallenge(ctx, 'mfa', form.get('session'));
  const user = challenge ? findUser(ctx, challenge.username) : undefined;
  if (!challenge || !user) {
    return sendPage(ctx, res, 400, loginPage(request.query, '', { error: 'Your session has expired. Please sign in again.' }));
  }
  if (!totpMatches(ctx, user, form.get('code') ?? '')) {
    return sendPage(ctx, res, 400, mfaPage(request.query, challenge.id, { error: MESSAGES.mfaCodeMismatch }));
  }
  endChallenge(ctx, challenge.id);
  finishPasswordSignIn(ctx, res, request, user, ['pwd', 'otp', 'mfa']);
}

async function postNewPassword(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, request: AuthorizeRequest) {
  const form = await readForm(req);
  const challenge = findChallenge(ctx, 'new_password', form.get('session'));
  const user = challenge ? findUser(ctx, challenge.username) : undefined;
  if (!challenge || !user) {
    return sendPage(ctx, res, 400, loginPage(request.query, '', { error: 'Your session has expired. Please sign in again.' }));
  }
  try {
    await setPassword(ctx, user, form.get('password') ?? '', true);
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    return sendPage(ctx, res, 400, newPasswordPage(request.query, challenge.id, { error: error.pageMessage ?? error.message }));
  }
  endChallenge(ctx, challenge.id);
  continueSignIn(ctx, res, request, user);
}

/** `/login` (GET form, POST credentials), `POST /mfa`, `POST /newPassword`. Returns false for other routes. */
export async function handleLoginPages(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: EmulatorContext,
  url: URL,
): Promise<boolean> {
  const route = `${req.method} ${url.pathname}`;
  switch (route) {
    case 'GET /login':
      await withAuthorizeRequest(res, ctx, url, (request) => {
        const notice = NOTICES[url.searchParams.get('notice') ?? ''] ?? null;
        sendPage(ctx, res, 200, loginPage(request.query, request.loginHint, { notice }));
      });
      return true;
    case 'POST /login':
      await withAuthorizeRequest(res, ctx, url, (request) => postLogin(req, res, ctx, request));
      return true;
    case 'POST /mfa':
      await withAuthorizeRequest(res, ctx, url, (request) => postMfa(req, res, ctx, request));
      return true;
    case 'POST /newPassword':
      await withAuthorizeRequest(res, ctx, url, (request) => postNewPassword(req, res, ctx, request));
      return true;
    default:
      return false;
  }
}
