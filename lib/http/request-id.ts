import { headers } from 'next/headers';
import { withRequestId } from '@/lib/log';

/**
 * Request ids: proxy.ts gives every request one, forwards it to the app as a request header and
 * returns it as a response header; log lines written while serving the request carry it.
 */

/** Request and response header carrying the id. */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * What an id from outside (a load balancer, a client) must look like to be kept: 8-64 letters,
 * digits, `-` or `_` (UUIDs, ULIDs, hex). Anything else is replaced, so a header can neither
 * inject text into logs nor smuggle something token-shaped (dots) into them.
 */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** True for a value {@link requestIdFor} keeps as is. */
export function isValidRequestId(value: string | null | undefined): value is string {
  return typeof value === 'string' && REQUEST_ID_PATTERN.test(value);
}

/** The id for an incoming request: its own `x-request-id` when well-formed, else a new UUID. */
export function requestIdFor(incoming: Headers): string {
  const given = incoming.get(REQUEST_ID_HEADER);
  return isValidRequestId(given) ? given : crypto.randomUUID();
}

/**
 * Runs `work` with the current request's id (set by proxy.ts) on every log line it writes. For
 * route handlers and server actions; outside a request (tests, scripts) `work` simply runs.
 */
export async function withRequestLogs<T>(work: () => Promise<T>): Promise<T> {
  let requestId: string | null = null;
  try {
    const value = (await headers()).get(REQUEST_ID_HEADER);
    if (isValidRequestId(value)) requestId = value;
  } catch {
    // Not inside a request: no id to add.
  }
  return withRequestId(requestId, work);
}
