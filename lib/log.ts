import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Structured logs: one JSON line per event, with a time, a level, an event name, the request id
 * when the line is written while serving a request, and plain fields.
 * Callers pass facts (codes, ids, counts), never tokens, cookies, secrets, credentials or
 * presigned URLs; {@link redactUrl} strips query strings from URLs that might carry them.
 * Server only; safe outside Next (plain Node scripts, tests): nothing here reads a request.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** The request a line belongs to; entered by {@link withRequestId}. */
const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/**
 * Runs `work` so that every {@link log} line it writes, synchronously or in anything it awaits,
 * carries `requestId`. With `null`, runs `work` unchanged. The id must already be validated
 * (lib/http/request-id.ts); it is written as given.
 */
export function withRequestId<T>(requestId: string | null, work: () => T): T {
  return requestId === null ? work() : requestScope.run({ requestId }, work);
}

/** The request id of the current scope (see {@link withRequestId}), or undefined outside one. */
export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}

/** Writes one line: warnings and errors to stderr, the rest to stdout. Never throws on plain fields. */
export function log(level: LogLevel, event: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, requestId: currentRequestId(), ...fields });
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}

/** A URL without its query and fragment (presigned signatures and codes live there). */
export function redactUrl(url: string): string {
  const index = url.search(/[?#]/);
  return index < 0 ? url : url.slice(0, index);
}

/** A short description of an unknown error for logs: its name and code, never a stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.name}:${code}` : error.name;
  }
  return typeof error;
}
