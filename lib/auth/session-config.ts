import { createHash } from 'node:crypto';
import type { CookieJar, CookieStore as IronCookieStore } from 'iron-session';
import { type Env, getEnv } from '../env.ts';

/**
 * How Cubby's sealed cookies (the session and the login transactions) are named, protected,
 * keyed and budgeted. Pure apart from {@link sessionConfig}, which reads lib/env.ts. Server only.
 */

/**
 * A cookie store: Next's `await cookies()` (route handlers, server actions; read-only in Server
 * Components), iron-session's `nextProxyCookies(request, response)` in proxy.ts, or any test
 * double with the same shape.
 */
export type CookieStore = IronCookieStore | CookieJar;

/** The Set-Cookie attributes Cubby writes (name and value aside). */
export interface CookieAttributes {
  httpOnly: true;
  secure: boolean;
  sameSite: 'lax';
  path: '/';
  maxAge?: number;
}

/** Settings the session layer is built from; {@link sessionConfig} takes them from the environment. */
export interface SessionSettings {
  appUrl: string;
  /** SESSION_SECRET, newest first: the first seals, all unseal. */
  secrets: readonly string[];
  idleTimeoutSeconds: number;
  absoluteTimeoutSeconds: number;
  refreshTokenValiditySeconds: number;
}

/** {@link SessionSettings} with everything derived from them, computed once. */
export interface SessionConfig {
  cookieName: string;
  transactionCookiePrefix: string;
  attributes: CookieAttributes;
  /** Every secret under its key id: for unsealing. */
  unsealPasswords: Record<string, string>;
  /** Only the newest secret under its key id: for sealing. */
  sealPassword: Record<string, string>;
  idleTimeoutMs: number;
  /** The absolute timeout already capped by the refresh token's validity. */
  absoluteTimeoutMs: number;
}

/** A browser refuses a cookie whose serialized Set-Cookie is longer than this. */
export const MAX_COOKIE_BYTES = 4096;
/** iron-session's hard limit on chunks, and Cubby's. */
export const MAX_SESSION_CHUNKS = 4;

/**
 * A secret's key id in the seal: a number derived from the secret itself (never its position in
 * the list), so a seal stays readable while its secret is anywhere in SESSION_SECRET, including
 * after older secrets are dropped at the end of a rotation.
 */
export function keyIdOf(secret: string): string {
  return String(createHash('sha256').update(`cubby-session-key\0${secret}`).digest().readUInt32BE(0));
}

/** Derives the cookie names, attributes, iron passwords and timeouts from settings. */
export function resolveSessionConfig(settings: SessionSettings): SessionConfig {
  const [newest] = settings.secrets;
  if (newest === undefined) throw new Error('SESSION_SECRET lists no secret');
  const unsealPasswords: Record<string, string> = {};
  for (const secret of settings.secrets) unsealPasswords[keyIdOf(secret)] ??= secret;
  const secure = new URL(settings.appUrl).protocol === 'https:';
  // __Host- binds the cookie to this exact origin: it requires Secure, Path=/ and no Domain.
  const prefix = secure ? '__Host-' : '';
  return {
    cookieName: `${prefix}cubby-session`,
    transactionCookiePrefix: `${prefix}cubby-txn-`,
    attributes: { httpOnly: true, secure, sameSite: 'lax', path: '/' },
    unsealPasswords,
    sealPassword: { [keyIdOf(newest)]: newest },
    idleTimeoutMs: settings.idleTimeoutSeconds * 1000,
    absoluteTimeoutMs: Math.min(settings.absoluteTimeoutSeconds, settings.refreshTokenValiditySeconds) * 1000,
  };
}

const fromEnv = new WeakMap<Env, SessionConfig>();

/** The session configuration of this deployment (lib/env.ts), computed once. Server only. */
export function sessionConfig(env: Env = getEnv()): SessionConfig {
  let config = fromEnv.get(env);
  if (!config) {
    config = resolveSessionConfig({
      appUrl: env.APP_URL,
      secrets: env.SESSION_SECRET,
      idleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT_SECONDS,
      absoluteTimeoutSeconds: env.SESSION_ABSOLUTE_TIMEOUT_SECONDS,
      refreshTokenValiditySeconds: env.COGNITO_REFRESH_TOKEN_VALIDITY_SECONDS,
    });
    fromEnv.set(env, config);
  }
  return config;
}

/** Any {@link CookieStore} as iron-session's jar (read, write, list names). */
export function toCookieJar(store: CookieStore): CookieJar {
  if ('read' in store) return store;
  return {
    read: (name) => store.get(name)?.value,
    names: () => store.getAll?.().map((cookie) => cookie.name) ?? [],
    write: (name, value, options) => {
      store.set(name, value, options);
    },
  };
}

/**
 * Expires a cookie with the same attributes it was written with: a browser ignores a deletion of
 * a `__Host-` cookie that lacks Secure and Path=/ (which Next's `cookies().delete()` omits).
 */
export function expireCookie(jar: CookieJar, name: string, attributes: CookieAttributes): void {
  jar.write(name, '', { ...attributes, maxAge: 0 });
}

/** Bytes of the Set-Cookie value iron-session writes (jshttp/cookie's serialization). */
export function setCookieBytes(name: string, value: string, attributes: CookieAttributes): number {
  let line = `${name}=${value}`;
  if (attributes.maxAge !== undefined) line += `; Max-Age=${attributes.maxAge}`;
  line += `; Path=${attributes.path}; HttpOnly`;
  if (attributes.secure) line += '; Secure';
  line += '; SameSite=Lax';
  return Buffer.byteLength(line);
}

/**
 * How many cookies iron-session (`chunk: true`) needs for a seal: one when the whole Set-Cookie
 * fits in {@link MAX_COOKIE_BYTES}, else the seal split by what a `name.N` cookie leaves free.
 */
export function chunksNeeded(cookieName: string, seal: string, attributes: CookieAttributes): number {
  if (setCookieBytes(cookieName, seal, attributes) <= MAX_COOKIE_BYTES) return 1;
  const budget = MAX_COOKIE_BYTES - setCookieBytes(`${cookieName}.0`, '', attributes);
  return Math.ceil(seal.length / budget);
}
