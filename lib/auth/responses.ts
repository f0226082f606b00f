import 'server-only';
import { NextResponse } from 'next/server';
import { getEnv } from '@/lib/env';
import { AppError, type ErrorCode } from '@/lib/errors';
import { withRequestLogs } from '@/lib/http/request-id';
import { describeError, log } from '@/lib/log';

const NO_STORE = { 'cache-control': 'no-store' };

/** A 303 to an absolute URL, never cached. */
export function redirectTo(url: string | URL): NextResponse {
  return NextResponse.redirect(url, { status: 303, headers: NO_STORE });
}

/** A 303 to a path on Cubby (built from APP_URL, not the Host header). */
export function redirectToPath(path: string): NextResponse {
  return redirectTo(`${getEnv().APP_URL}${path}`);
}

/**
 * Turns any failure in an auth route into the friendly error page with a stable code, and one
 * log line (with the request id) giving the reason. No stack trace, no upstream text reaches the browser.
 */
export function authErrorResponse(event: string, error: unknown): Promise<NextResponse> {
  const code: ErrorCode = error instanceof AppError ? error.code : 'internal';
  return withRequestLogs(async () => {
    log(code === 'internal' ? 'error' : 'warn', event, {
      code,
      reason: error instanceof AppError ? error.message : describeError(error),
      cause: error instanceof AppError && error.cause !== undefined ? describeError(error.cause) : undefined,
    });
    return redirectToPath(`/auth/error?code=${code}`);
  });
}
