import { createSession, type SessionClaims, touchSession } from '../../lib/auth/session.ts';
import { resolveSessionConfig, type SessionConfig, type SessionSettings } from '../../lib/auth/session-config.ts';
import type { SessionTokens } from '../../lib/auth/token-codec.ts';

/**
 * Session cookies for tests that should not click through the login page (style.md rule 8), and
 * an in-memory cookie store with the shape of Next's `cookies()`. Relative imports only, so it
 * runs under vitest, Playwright and Node's type stripping alike.
 */

export interface RecordedWrite {
  name: string;
  value: string;
  options: Record<string, unknown>;
}

/**
 * A cookie store like Next's `await cookies()`: get/getAll/set/delete over a Map, where a write
 * with `maxAge: 0` or an empty value deletes (as a browser would). Every `set` is recorded in
 * `writes`, so tests can assert exactly what went to the browser.
 */
export class MemoryCookieStore {
  readonly #cookies = new Map<string, string>();
  readonly writes: RecordedWrite[] = [];

  constructor(cookies: Iterable<{ name: string; value: string }> = []) {
    for (const { name, value } of cookies) this.#cookies.set(name, value);
  }

  get(name: string): { name: string; value: string } | undefined {
    const value = this.#cookies.get(name);
    return value === undefined ? undefined : { name, value };
  }

  getAll(): { name: string; value: string }[] {
    return [...this.#cookies].map(([name, value]) => ({ name, value }));
  }

  set(name: string, value: string, options: Record<string, unknown> = {}): this {
    this.writes.push({ name, value, options });
    if (value === '' || options.maxAge === 0) this.#cookies.delete(name);
    else this.#cookies.set(name, value);
    return this;
  }

  delete(name: string): this {
    return this.set(name, '', { maxAge: 0 });
  }

  /** The request `Cookie` header a browser would send with these cookies. */
  header(): string {
    return cookieHeader(this.getAll());
  }
}

/** `name=value; name=value` as a browser sends it. */
export function cookieHeader(cookies: readonly { name: string; value: string }[]): string {
  return cookies.map(({ name, value }) => `${name}=${value}`).join('; ');
}

/** Cubby's default timeouts (lib/env.ts), in seconds. */
export const DEFAULT_TIMEOUTS = {
  idleTimeoutSeconds: 86_400,
  absoluteTimeoutSeconds: 604_800,
  refreshTokenValiditySeconds: 2_592_000,
} as const;

/** A session configuration for tests: https on cubby.example.com, one fixed secret, default timeouts. */
export function testSessionConfig(overrides: Partial<SessionSettings> = {}): SessionConfig {
  return resolveSessionConfig({
    appUrl: 'https://cubby.example.com',
    secrets: ['test-secret-A-0123456789abcdefghijklmnop'],
    ...DEFAULT_TIMEOUTS,
    ...overrides,
  });
}

export interface MintSessionInput {
  tokens: SessionTokens;
  claims: SessionClaims;
  /** SESSION_SECRET of the server under test: one secret or the list, newest first. */
  secret: string | readonly string[];
  /** APP_URL of the server under test (https gives `__Host-` names). */
  appUrl: string;
  /** Epoch ms the session started; default now. */
  createdAt?: number;
  /** Epoch ms of the last activity; default createdAt. Ignored unless a minute or more after createdAt. */
  lastActiveAt?: number;
  /** Timeouts when the server under test does not use the defaults. */
  settings?: Partial<Pick<SessionSettings, 'idleTimeoutSeconds' | 'absoluteTimeoutSeconds' | 'refreshTokenValiditySeconds'>>;
}

/**
 * The session cookies (one, or chunks `.0`..`.3`) the app would set after a sign-in with these
 * tokens, made by the app's own createSession. Add them to a browser context or a Cookie header.
 */
export async function mintSessionCookies(input: MintSessionInput): Promise<{ name: string; value: string }[]> {
  const config = resolveSessionConfig({
    appUrl: input.appUrl,
    secrets: typeof input.secret === 'string' ? [input.secret] : input.secret,
    ...DEFAULT_TIMEOUTS,
    ...input.settings,
  });
  const store = new MemoryCookieStore();
  const createdAt = input.createdAt ?? Date.now();
  const session = await createSession(store, input.tokens, input.claims, { config, now: createdAt });
  if (input.lastActiveAt !== undefined) await touchSession(store, session, { config, now: input.lastActiveAt });
  return store.getAll();
}
