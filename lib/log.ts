/**
 * Structured logs: one JSON line per event, with a level, an event name and plain fields.
 * Callers pass facts (codes, ids, counts), never tokens, cookies, secrets, credentials or
 * presigned URLs; {@link redactUrl} strips query strings from URLs that might carry them.
 * Server only.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export function log(level: LogLevel, event: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
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
