import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.ts';
import { redirect } from '../http.ts';
import { type AuthorizeRequest, completeSignIn, startSessionCookie } from './authorize.ts';
import { passkeysOf } from './passkeys.ts';
import type { StoredUser } from './users.ts';

/**
 * The end of a password sign-in (after TOTP, when on): with the `offerPasskeyAfterSignIn` setting
 * and no passkey yet, the managed-login session starts and the browser goes to `/passkeys/add`,
 * which offers a passkey (skippable) before the code redirect, as managed login does; otherwise
 * the code redirect at once. `amr`: `['pwd']`, or `['pwd', 'otp', 'mfa']` after a TOTP code.
 */
export function finishPasswordSignIn(
  ctx: EmulatorContext,
  res: ServerResponse,
  request: AuthorizeRequest,
  user: StoredUser,
  amr: string[],
): void {
  if (!ctx.settings.offerPasskeyAfterSignIn || passkeysOf(user).length > 0) {
    completeSignIn(ctx, res, request, user, amr);
    return;
  }
  const add = new URL('/passkeys/add', ctx.config.domain);
  add.search = request.query;
  redirect(res, add.href, { 'set-cookie': startSessionCookie(ctx, user, amr) });
}
