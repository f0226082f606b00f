import { rateLimitedMessage } from '@/lib/errors';

/**
 * The answers a rate limit sends (lib/http/rate-limit.ts): 429 with `Retry-After` in whole
 * seconds, never cached, in words a person understands. Pure; runs anywhere.
 */

function headers(retryAfterSeconds: number, contentType: string): HeadersInit {
  return {
    'content-type': contentType,
    'retry-after': String(retryAfterSeconds),
    'cache-control': 'no-store',
    // The sign-in callback's URL carries the authorization code.
    'referrer-policy': 'no-referrer',
  };
}

/**
 * A small self-contained page for the sign-in routes: what happened, the wait, a link to try
 * again and one home. No script; inline style only (the CSP allows inline styles, not scripts).
 */
export function tooManyRequestsPage(retryAfterSeconds: number): Response {
  const message = rateLimitedMessage(retryAfterSeconds);
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Too many sign-in attempts · Cubby</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;padding:4rem 1.5rem;color:#1f2328;background:#fff;line-height:1.5}
main{max-width:32rem;margin:0 auto}
a{display:inline-block;margin:0 1rem 0 0;padding:.5rem 1rem;border-radius:.5rem;border:1px solid #0b6bcb;color:#0b6bcb;text-decoration:none}
a.primary{background:#0b6bcb;color:#fff}
@media (prefers-color-scheme:dark){body{color:#e6edf3;background:#0d1117}a{border-color:#58a6ff;color:#58a6ff}a.primary{background:#1f6feb;color:#fff}}
</style>
</head>
<body>
<main>
<h1>Too many sign-in attempts</h1>
<p role="alert">${message}.</p>
<p><a class="primary" href="/auth/login">Try again</a><a href="/">Back to Cubby</a></p>
</main>
</body>
</html>
`;
  return new Response(html, { status: 429, headers: headers(retryAfterSeconds, 'text/html; charset=utf-8') });
}

/** The JSON answer for API callers: `{ error: 'rate_limited', message, retryAfterSeconds }`. */
export function tooManyRequestsJson(retryAfterSeconds: number): Response {
  return Response.json(
    { error: 'rate_limited', message: rateLimitedMessage(retryAfterSeconds), retryAfterSeconds },
    { status: 429, headers: headers(retryAfterSeconds, 'application/json') },
  );
}
