import { createHash, randomBytes } from 'node:crypto';
import { getIronSession, type SessionOptions as IronOptions, sealData } from 'iron-session';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { log } from '../log.ts';
import type { SharedStore } from '../store/index.ts';
import { isSessionRevoked } from './revocation.ts';
import {
  type CookieAttributes,
  type CookieStore,
  chunksNeeded,
  MAX_SESSION_CHUNKS,
  type SessionConfig,
  sessionConfig,
  toCookieJar,
} from './session-config.ts';
import { packTokens, type SessionTokens, unpackTokens } from './token-codec.ts';
import { tokenTimes } from './token-times.ts';

/**
 * Cubby's session: one iron-sealed cookie (`__Host-cubby-session` over https, else
 * `cubby-session`), chunked into at most four cookies, holding Cognito's tokens packed by
 * token-codec.ts, their expiry and lifetime, the few claims pages show, the cached Identity Pool
 * id, and the session's id. Idle timeout (rolling) and absolute timeout (never past the refresh
 * token's life) are checked on every read, and so is sign-out (the id revoked in the shared store,
 * lib/auth/revocation.ts); the seal itself also expires when the session would.
 *
 * Where each function may run: {@link readSession} everywhere (pass `readOnly: true` in Server
 * Components, which must never write cookies); everything else only where cookies are
 * writable: proxy.ts (through `nextProxyCookies`), route handlers and server actions.
 */

export type { CookieStore } from './session-config.ts';
export type { SessionTokens } from './token-codec.ts';

const SESSION_VERSION = 1;
/** touchSession re-saves at most this often, so rolling the idle timeout costs a write a minute. */
export const TOUCH_INTERVAL_MS = 60_000;
/** The token lifetime assumed for a cookie sealed before sessions recorded it (Cognito's default: one hour). */
export const DEFAULT_TOKENS_LIFETIME_MS = 60 * 60 * 1000;

/** What the cookie holds; validated on every read (an old or foreign shape reads as signed out). */
export const SessionDataSchema = z.object({
  v: z.literal(SESSION_VERSION),
  /** The three tokens, packed (token-codec.ts). */
  tokens: z.string().min(1),
  /** Epoch ms: the earlier of the ID and access tokens' `exp`. */
  tokensExpireAt: z.number().int().nonnegative(),
  sub: z.string().min(1),
  username: z.string().min(1),
  email: z.string().nullable(),
  groups: z.array(z.string()),
  /** Epoch ms of the sign-in at Cognito (`auth_time`). */
  authTime: z.number().int().nonnegative(),
  createdAt: z.number().int().nonnegative(),
  lastActiveAt: z.number().int().nonnegative(),
  identityId: z.string().min(1).optional(),
  /**
   * The session's id (128 random bits, base64url): what sign-out revokes. Absent in cookies sealed
   * before sessions had one; {@link Session.id} derives one for them.
   */
  sid: z.string().min(1).optional(),
  /** Ms: how long Cognito's ID and access tokens live (`exp - iat`, the shorter of the two), when they say. */
  tokensLifetimeMs: z.number().int().positive().optional(),
});
export type SessionData = z.infer<typeof SessionDataSchema>;

/** The ID token claims a session keeps (a verified `IdTokenClaims` fits). */
export interface SessionClaims {
  sub: string;
  email?: string;
  'cognito:username'?: string;
  'cognito:groups'?: string[];
  /** Epoch seconds. */
  auth_time?: number;
}

/** Per-call options: a clock for tests, and settings other than this deployment's. */
export interface SessionCallOptions {
  /** Epoch ms; defaults to Date.now(). */
  now?: number;
  config?: SessionConfig;
}

/** A signed-in session as read from the cookie. Tokens are unpacked only when asked for. */
export class Session {
  readonly sub: string;
  readonly username: string;
  readonly email: string | null;
  readonly groups: readonly string[];
  /** Epoch ms of the sign-in at Cognito. */
  readonly authTime: number;
  readonly createdAt: number;
  readonly lastActiveAt: number;
  /** Epoch ms when the ID or access token expires (whichever is first). */
  readonly tokensExpireAt: number;
  readonly identityId: string | null;
  /**
   * The session's id, the same in every copy of its cookie and across refreshes: what sign-out
   * revokes (lib/auth/revocation.ts). A cookie sealed before sessions had one gets an id derived
   * from its subject and creation time, so it can be revoked too.
   */
  readonly id: string;
  /** Ms the ID and access tokens live (the shorter); {@link DEFAULT_TOKENS_LIFETIME_MS} when the cookie does not say. */
  readonly tokensLifetimeMs: number;
  /** Epoch ms when the session ends without activity. */
  readonly idleExpiresAt: number;
  /** Epoch ms when the session ends whatever happens (absolute timeout, refresh token life). */
  readonly absoluteExpiresAt: number;
  /**
   * False when {@link readSession} could not ask the shared store whether this session was signed
   * out (the store was down and the caller chose `whenStoreDown: 'unchecked'`): whatever reaches
   * the person's files must check again first (lib/auth/revocation.ts `ensureNotRevoked`).
   */
  readonly revocationChecked: boolean;
  readonly #data: SessionData;
  #tokens: SessionTokens | undefined;

  /** Internal: sessions come from {@link readSession} and the write functions. */
  constructor(data: SessionData, config: SessionConfig, revocationChecked = true) {
    this.#data = data;
    this.revocationChecked = revocationChecked;
    this.sub = data.sub;
    this.username = data.username;
    this.email = data.email;
    this.groups = data.groups;
    this.authTime = data.authTime;
    this.createdAt = data.createdAt;
    this.lastActiveAt = data.lastActiveAt;
    this.tokensExpireAt = data.tokensExpireAt;
    this.identityId = data.identityId ?? null;
    this.id = data.sid ?? legacySessionId(data.sub, data.createdAt);
    this.tokensLifetimeMs = data.tokensLifetimeMs ?? DEFAULT_TOKENS_LIFETIME_MS;
    this.idleExpiresAt = data.lastActiveAt + config.idleTimeoutMs;
    this.absoluteExpiresAt = data.createdAt + config.absoluteTimeoutMs;
  }

  /** The Cognito tokens, unpacked on first use. Server only: never hand them to a browser. */
  tokens(): SessionTokens {
    this.#tokens ??= unpackTokens(this.#data.tokens);
    return this.#tokens;
  }

  /** Internal: the sealed shape, for the write functions. */
  data(): SessionData {
    return this.#data;
  }
}

/** A new session id: 128 random bits, base64url. */
function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The id of a session sealed before sessions carried one: derived from what such a cookie holds
 * and never changes (subject and creation time), so every copy of it gets the same id.
 */
export function legacySessionId(sub: string, createdAt: number): string {
  return createHash('sha256').update(`cubby-legacy-sid\0${sub}\0${createdAt}`).digest().subarray(0, 16).toString('base64url');
}

function ironOptions(config: SessionConfig, logUnsealErrors: boolean, ttlSeconds = 0): IronOptions {
  return {
    cookieName: config.cookieName,
    password: config.unsealPasswords,
    chunk: true,
    // Only used when sealing; a seal's own expiry is checked on unseal whatever is set here.
    ttl: ttlSeconds,
    cookieOptions: { ...config.attributes, maxAge: ttlSeconds },
    ...(logUnsealErrors
      ? {
          onUnsealError: (reason) => {
            // The reason only: the cookie value must never reach a log.
            log(reason === 'expired' ? 'info' : 'warn', 'session.unseal_failed', { reason });
          },
        }
      : {}),
  };
}

function hasSessionCookie(store: CookieStore, config: SessionConfig): boolean {
  const jar = toCookieJar(store);
  const names = [config.cookieName];
  for (let index = 0; index < MAX_SESSION_CHUNKS; index += 1) names.push(`${config.cookieName}.${index}`);
  return names.some((name) => Boolean(jar.read(name)));
}

/** How long this process reuses what a seal held (the session's own timeouts are checked on every read all the same). */
const UNSEALED_REUSE_MS = 60_000;
const MAX_UNSEALED = 5_000;
const UNSEALED_KEY = Symbol.for('cubby.unsealedSessions');

interface Unsealed {
  data: Record<string, unknown>;
  until: number;
}

/** On globalThis: proxy.ts and the app are bundled apart, and both read the same cookies. */
function unsealedSeals(): Map<string, Unsealed> {
  const holder = globalThis as { [UNSEALED_KEY]?: Map<string, Unsealed> };
  holder[UNSEALED_KEY] ??= new Map();
  return holder[UNSEALED_KEY];
}

/**
 * A digest of the request's whole seal (every chunk, in order) and of the secrets that open it,
 * or null without a session cookie. A seal is only ever found again by presenting the very same
 * bytes, which only its holder has.
 */
function unsealedCacheKey(store: CookieStore, config: SessionConfig): string | null {
  const jar = toCookieJar(store);
  // As iron-session reads it: the whole cookie, else its chunks up to the first gap.
  let seal = jar.read(config.cookieName) ?? '';
  for (let index = 0; !jar.read(config.cookieName) && index < MAX_SESSION_CHUNKS; index += 1) {
    const part = jar.read(`${config.cookieName}.${index}`);
    if (!part) break;
    seal += part;
  }
  if (!seal) return null;
  const secrets = Object.keys(config.unsealPasswords).join(',');
  return createHash('sha256').update(`${secrets}\0${seal}`).digest('base64url');
}

function rememberUnsealed(key: string, data: Record<string, unknown>, now: number): void {
  const seals = unsealedSeals();
  for (const [oldKey, entry] of seals) {
    if (entry.until > now && seals.size < MAX_UNSEALED) break;
    seals.delete(oldKey);
  }
  seals.set(key, { data, until: now + UNSEALED_REUSE_MS });
}

/** {@link readSession}'s options. */
export interface ReadSessionOptions extends SessionCallOptions {
  /** Never write cookies (Server Components must set it): an unusable cookie is left as it is. */
  readOnly?: boolean;
  /**
   * When the shared store cannot say whether the session was signed out: `refuse` (the default)
   * throws `store_unavailable`; `unchecked` returns the session with `revocationChecked: false`
   * and logs an error line (only for readers that hand out nothing: the proxy's optimistic check,
   * showing who is signed in).
   */
  whenStoreDown?: 'refuse' | 'unchecked';
  /** The shared store holding sign-outs; defaults to this process's (lib/store). */
  revocations?: SharedStore;
}

/**
 * The session in `store`, or null when there is none or it is unusable: tampered, sealed with an
 * unknown secret, expired, of the wrong shape, idle too long, past its absolute limit, or signed
 * out (its id revoked in the shared store, lib/auth/revocation.ts: any copy of a signed-out
 * cookie reads as signed out). An unusable cookie is cleared unless `readOnly` is set (Server
 * Components must pass it). Never throws for a bad cookie. Runs anywhere.
 * @throws {AppError} `store_unavailable` when the shared store does not answer and
 *   `whenStoreDown` is `refuse` (the default); the cookie is left as it is.
 */
export async function readSession(store: CookieStore, options: ReadSessionOptions = {}): Promise<Session | null> {
  const config = options.config ?? sessionConfig();
  const now = options.now ?? Date.now();
  const sealKey = unsealedCacheKey(store, config);
  const found = sealKey ? unsealedSeals().get(sealKey) : undefined;
  const remembered = found && found.until > now ? found.data : undefined;
  // The cookie is opened (iron: key derivation, AES, HMAC; about 1 ms) only when this process has
  // not opened this very seal in the last minute. Only needed to clear a bad cookie otherwise.
  const iron = remembered ? null : await getIronSession<Record<string, unknown>>(store, ironOptions(config, true));
  const reject = async (reason: string): Promise<null> => {
    if (reason !== 'absent' && !options.readOnly) {
      (iron ?? (await getIronSession<Record<string, unknown>>(store, ironOptions(config, false)))).destroy();
    }
    if (reason !== 'absent' && reason !== 'unreadable') log('info', 'session.rejected', { reason });
    return null;
  };
  const raw = remembered ?? { ...iron };
  if (Object.keys(raw).length === 0) return reject(hasSessionCookie(store, config) ? 'unreadable' : 'absent');
  const parsed = SessionDataSchema.safeParse(raw);
  if (!parsed.success) return reject('invalid_shape');
  if (sealKey && !remembered) rememberUnsealed(sealKey, raw, now);
  const session = new Session(parsed.data, config);
  if (now >= session.absoluteExpiresAt) return reject('absolute_timeout');
  if (now >= session.idleExpiresAt) return reject('idle_timeout');
  try {
    if (await isSessionRevoked(session, { store: options.revocations })) return reject('revoked');
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'store_unavailable') || options.whenStoreDown !== 'unchecked') throw error;
    // Fail open for this reader only (it hands out nothing): lib/dal.ts checks again before files are touched.
    log('error', 'session.revocation_unchecked', { reason: 'store_unavailable' });
    return new Session(parsed.data, config, false);
  }
  return session;
}

/**
 * Seals `data` into the store's session cookies, replacing whatever was there. Checks the cookie
 * budget first: when the seal would need more than four cookies, the session is cleared (no
 * partial cookie is written) and `session_too_large` thrown with a log line of the sizes.
 */
async function writeSession(
  store: CookieStore,
  data: SessionData,
  config: SessionConfig,
  now: number,
  revocationChecked = true,
): Promise<Session> {
  const session = new Session(data, config, revocationChecked);
  const remainingSeconds = Math.ceil((Math.min(session.idleExpiresAt, session.absoluteExpiresAt) - now) / 1000);
  const iron = await getIronSession<Record<string, unknown>>(store, ironOptions(config, false, Math.max(remainingSeconds, 1)));
  if (remainingSeconds <= 0) {
    iron.destroy();
    throw new AppError('session_ended', 'session is past its idle or absolute timeout');
  }
  const attributes: CookieAttributes = { ...config.attributes, maxAge: remainingSeconds };
  const seal = await sealData(data, { password: config.sealPassword, ttl: remainingSeconds });
  const chunks = chunksNeeded(config.cookieName, seal, attributes);
  if (chunks > MAX_SESSION_CHUNKS) {
    iron.destroy();
    log('error', 'session.too_large', { sealBytes: seal.length, chunks, maxChunks: MAX_SESSION_CHUNKS });
    throw new AppError('session_too_large', `sealed session is ${seal.length} bytes, ${chunks} cookies`);
  }
  for (const key of Object.keys(iron)) delete iron[key];
  Object.assign(iron, data);
  // Seal with the newest secret only; all of them stay valid for unsealing.
  iron.updateConfig({ ...ironOptions(config, false, remainingSeconds), password: config.sealPassword });
  await iron.save();
  return session;
}

/** The session's `tokensExpireAt` and, when the tokens say, `tokensLifetimeMs`. */
function sessionTokenTimes(tokens: SessionTokens): Pick<SessionData, 'tokensExpireAt' | 'tokensLifetimeMs'> {
  const { expiresAt, lifetimeMs } = tokenTimes(tokens);
  if (expiresAt === null) throw new AppError('login_failed', 'the ID token carries no exp');
  return lifetimeMs === null ? { tokensExpireAt: expiresAt } : { tokensExpireAt: expiresAt, tokensLifetimeMs: lifetimeMs };
}

function claimFields(claims: SessionClaims, fallbackAuthTime: number) {
  return {
    sub: claims.sub,
    username: claims['cognito:username'] || claims.sub,
    email: claims.email ?? null,
    groups: claims['cognito:groups'] ?? [],
    authTime: claims.auth_time === undefined ? fallbackAuthTime : Math.floor(claims.auth_time * 1000),
  };
}

/**
 * Starts a session for freshly verified tokens, replacing any previous one (its identity id
 * included). Route handlers and server actions only.
 * @throws {AppError} `session_too_large` when the tokens do not fit in four cookies (the old
 *   session is cleared too and no partial cookie is left); `login_failed` when the tokens carry
 *   no expiry.
 */
export async function createSession(
  store: CookieStore,
  tokens: SessionTokens,
  claims: SessionClaims,
  options: SessionCallOptions = {},
): Promise<Session> {
  const config = options.config ?? sessionConfig();
  const now = options.now ?? Date.now();
  const data: SessionData = {
    v: SESSION_VERSION,
    tokens: packTokens(tokens),
    ...sessionTokenTimes(tokens),
    ...claimFields(claims, now),
    createdAt: now,
    lastActiveAt: now,
    sid: newSessionId(),
  };
  return writeSession(store, data, config, now);
}

/**
 * Stores refreshed tokens (and, when given, the refreshed ID token's claims) in the session,
 * keeping its creation time, so the absolute timeout still counts from sign-in. Counts as
 * activity. Proxy, route handlers and server actions only.
 * @throws {AppError} `session_ended` when the claims belong to someone else or the session is
 *   past its timeouts (the session is cleared); `session_too_large` as {@link createSession}.
 */
export async function updateSessionTokens(
  store: CookieStore,
  session: Session,
  refreshed: SessionTokens & { claims?: SessionClaims },
  options: SessionCallOptions = {},
): Promise<Session> {
  const config = options.config ?? sessionConfig();
  const now = options.now ?? Date.now();
  const previous = session.data();
  if (refreshed.claims && refreshed.claims.sub !== previous.sub) {
    await destroySession(store, { config });
    throw new AppError('session_ended', 'refreshed tokens belong to another subject');
  }
  const claims = refreshed.claims ? claimFields(refreshed.claims, previous.authTime) : {};
  const { idToken, accessToken, refreshToken } = refreshed;
  const tokens = { idToken, accessToken, refreshToken };
  const { tokensLifetimeMs: _previousLifetime, ...kept } = previous;
  const data = { ...kept, ...claims, tokens: packTokens(tokens), ...sessionTokenTimes(tokens), lastActiveAt: now };
  return writeSession(store, data, config, now, session.revocationChecked);
}

/**
 * Caches the Identity Pool identity id in the session (it never changes for a user, so a later
 * request skips GetId). Route handlers and server actions only.
 * @throws {AppError} as {@link updateSessionTokens}.
 */
export async function setIdentityId(
  store: CookieStore,
  session: Session,
  identityId: string,
  options: SessionCallOptions = {},
): Promise<Session> {
  const config = options.config ?? sessionConfig();
  return writeSession(store, { ...session.data(), identityId }, config, options.now ?? Date.now(), session.revocationChecked);
}

/**
 * Rolls the idle timeout: re-saves the session with `lastActiveAt = now`, but only when the last
 * save is more than {@link TOUCH_INTERVAL_MS} old, so most requests write nothing. Returns the
 * session as now stored. Proxy, route handlers and server actions only.
 */
export async function touchSession(store: CookieStore, session: Session, options: SessionCallOptions = {}): Promise<Session> {
  const now = options.now ?? Date.now();
  if (now - session.lastActiveAt < TOUCH_INTERVAL_MS) return session;
  const config = options.config ?? sessionConfig();
  return writeSession(store, { ...session.data(), lastActiveAt: now }, config, now, session.revocationChecked);
}

/**
 * Signs out locally: expires the session cookie and every chunk of it present on the request.
 * Proxy, route handlers and server actions only.
 */
export async function destroySession(store: CookieStore, options: Pick<SessionCallOptions, 'config'> = {}): Promise<void> {
  const config = options.config ?? sessionConfig();
  const iron = await getIronSession<Record<string, unknown>>(store, ironOptions(config, false));
  iron.destroy();
}
