import 'server-only';
import { createHmac, hkdfSync } from 'node:crypto';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { type Env, getEnv, type RateLimitRule } from '@/lib/env';
import { clientAddress } from '@/lib/http/client-address';
import { withRequestLogs } from '@/lib/http/request-id';
import { tooManyRequestsJson, tooManyRequestsPage } from '@/lib/http/too-many-requests';
import { describeError, log } from '@/lib/log';
import { type SharedStore, sharedStore } from '@/lib/store';
import { RedisStore } from '@/lib/store/redis';

/**
 * Rate limits (rate-limiter-flexible) over the shared store: counters in this process's memory
 * when the store is memory, in Redis/Valkey (atomic Lua increments, shared by every instance) when
 * SESSION_STORE_URL is set. Each limit counts per key: a person (their Cognito `sub`) or a client
 * address (only from TRUSTED_PROXY_HEADER, see lib/http/client-address.ts). Server only.
 *
 * Keys never reach the store or the logs in the clear: they are an HMAC of the key kind and value
 * (keyed from the first SESSION_SECRET), and a refusal's log line names the limit, the key kind
 * and the first characters of that HMAC, so lines about one key can be told apart but no address
 * or `sub` can be read back.
 *
 * When Redis does not answer, each instance counts in its own memory instead (an insurance
 * limiter with the same rule, warned about at most once a minute): limits then hold per instance
 * rather than failing open. A request waits for Redis at most STORE_TIMEOUT_MS, and not at all
 * once ioredis knows the connection is down (it is reconnecting).
 */

/** The limits Cubby applies; each is one rule from lib/env.ts. */
export type RateLimitName = 'sign_in_start' | 'sign_in_callback' | 'actions' | 'api_me';

/** What a limit counts by: a person (`sub`) or a client address. */
export type RateLimitKeyKind = 'person' | 'address';

/** Let through, or refused with the whole seconds to wait (the `Retry-After` value, at least 1). */
export type RateLimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Which variable of lib/env.ts holds each limit's rule. */
const RULE_VARIABLE: Record<RateLimitName, 'RATE_LIMIT_SIGN_IN' | 'RATE_LIMIT_ACTIONS' | 'RATE_LIMIT_API'> = {
  sign_in_start: 'RATE_LIMIT_SIGN_IN',
  sign_in_callback: 'RATE_LIMIT_SIGN_IN',
  actions: 'RATE_LIMIT_ACTIONS',
  api_me: 'RATE_LIMIT_API',
};

/**
 * ioredis states in which Redis is known to be unreachable: go straight to the insurance limiter
 * rather than wait out the command timeout. (While still connecting, as on a cold start, the
 * command waits for the connection, bounded by STORE_TIMEOUT_MS like every store command.)
 */
const REDIS_DOWN = new Set(['reconnecting', 'close', 'end']);

/** At most one "store down, counting in memory" warning per limit in this long. */
const STORE_WARNING_INTERVAL_MS = 60_000;

/** The limit's rule from the configuration. */
export function ruleFor(name: RateLimitName, env: Env = getEnv()): RateLimitRule {
  return env[RULE_VARIABLE[name]];
}

/**
 * One named limit over a shared store. Build it once per process (see {@link rateLimit}); tests
 * build their own over a MemoryStore or a RedisStore. Two instances over one Redis with the same
 * name and secret share their counts, as two app instances do.
 */
export class RateLimit {
  readonly name: RateLimitName;
  readonly rule: RateLimitRule;
  readonly #primary: RateLimiterAbstract;
  readonly #insurance: RateLimiterMemory | null;
  readonly #redis: RedisStore['client'] | null;
  readonly #hashKey: Buffer;
  #lastStoreWarning = Number.NEGATIVE_INFINITY;

  constructor(name: RateLimitName, rule: RateLimitRule, store: SharedStore, secret: string) {
    this.name = name;
    this.rule = rule;
    this.#hashKey = Buffer.from(hkdfSync('sha256', secret, 'cubby-rate-limit', 'cubby:rate-limit-key', 32));
    const options = { points: rule.points, duration: rule.durationSeconds, keyPrefix: `rl:${name}` };
    if (store instanceof RedisStore) {
      // ioredis is rate-limiter-flexible's default client (no useRedisPackage). The client's own
      // `cubby:` key prefix applies to these keys too.
      this.#primary = new RateLimiterRedis({
        ...options,
        storeClient: store.client,
        // A key over its limit is refused from memory until its window ends: no Redis round trip per refused request.
        inMemoryBlockOnConsumed: rule.points + 1,
      });
      this.#insurance = new RateLimiterMemory(options);
      this.#redis = store.client;
    } else {
      this.#primary = new RateLimiterMemory(options);
      this.#insurance = null;
      this.#redis = null;
    }
  }

  /** The store key for a key kind and value: an HMAC, never the value itself. */
  keyFor(kind: RateLimitKeyKind, value: string): string {
    return `${kind}:${createHmac('sha256', this.#hashKey).update(`${kind}\0${value}`).digest('base64url').slice(0, 22)}`;
  }

  /**
   * Counts one request for `value` (a `sub` or an address) and decides. Never throws: when the
   * store fails it counts in this process's memory instead (see the module comment).
   */
  async consume(kind: RateLimitKeyKind, value: string): Promise<RateLimitDecision> {
    const key = this.keyFor(kind, value);
    if (this.#redis && REDIS_DOWN.has(this.#redis.status)) {
      return this.#consumeInsured(kind, key, new Error(`Redis connection is ${this.#redis.status}`));
    }
    try {
      await this.#primary.consume(key);
      return { ok: true };
    } catch (thrown) {
      if (thrown instanceof RateLimiterRes) return this.#refused(kind, key, thrown);
      return this.#consumeInsured(kind, key, thrown);
    }
  }

  async #consumeInsured(kind: RateLimitKeyKind, key: string, failure: unknown): Promise<RateLimitDecision> {
    const now = Date.now();
    if (now - this.#lastStoreWarning >= STORE_WARNING_INTERVAL_MS) {
      this.#lastStoreWarning = now;
      log('warn', 'rate_limit.store_unavailable', {
        limiter: this.name,
        fallback: this.#insurance ? 'memory' : 'open',
        cause: describeError(failure),
      });
    }
    if (!this.#insurance) return { ok: true };
    try {
      await this.#insurance.consume(key);
      return { ok: true };
    } catch (thrown) {
      return thrown instanceof RateLimiterRes ? this.#refused(kind, key, thrown) : { ok: true };
    }
  }

  #refused(kind: RateLimitKeyKind, key: string, result: RateLimiterRes): RateLimitDecision {
    const retryAfterSeconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
    // One line per key and window: the request that went over the limit (later ones stay quiet).
    if (result.consumedPoints === this.rule.points + 1) {
      log('warn', 'rate_limit.exceeded', {
        limiter: this.name,
        keyKind: kind,
        key: key.slice(kind.length + 1, kind.length + 13),
        points: this.rule.points,
        durationSeconds: this.rule.durationSeconds,
        retryAfterSeconds,
      });
    }
    return { ok: false, retryAfterSeconds };
  }
}

/**
 * This process's limits, on `globalThis`: Next bundles proxy.ts, route handlers and server
 * actions apart, and a module variable would give each bundle its own counters. Rebuilt when the
 * shared store is replaced (tests).
 */
const GLOBAL_KEY = Symbol.for('cubby.rateLimits');

interface Holder {
  [GLOBAL_KEY]?: { store: SharedStore; limits: Map<RateLimitName, RateLimit> };
}

/** The process's limit `name` over {@link sharedStore}, built on first use. Server only. */
export function rateLimit(name: RateLimitName): RateLimit {
  const holder = globalThis as Holder;
  const store = sharedStore();
  let current = holder[GLOBAL_KEY];
  if (current?.store !== store) {
    current = { store, limits: new Map() };
    holder[GLOBAL_KEY] = current;
  }
  let limit = current.limits.get(name);
  if (!limit) {
    const env = getEnv();
    limit = new RateLimit(name, ruleFor(name, env), store, env.SESSION_SECRET[0] ?? '');
    current.limits.set(name, limit);
  }
  return limit;
}

/**
 * Counts one server action for a person (`personKey`: their Cognito `sub`) against
 * RATE_LIMIT_ACTIONS. For runAction (lib/actions.ts), which turns a refusal into the action answer
 * `rate_limited` with lib/errors.ts `rateLimitedMessage`. Never throws. Server only.
 */
export function limitAction(personKey: string): Promise<RateLimitDecision> {
  return withRequestLogs(() => rateLimit('actions').consume('person', personKey));
}

/**
 * Sign-in start (`step` `start`, /auth/login) or callback (`callback`, /auth/callback), counted
 * per client address against RATE_LIMIT_SIGN_IN: null to go on, or the 429 page to send. Without
 * TRUSTED_PROXY_HEADER (or when the request lacks a valid address in it) there is no address to
 * count by and nothing is limited. Server only.
 */
export function limitSignIn(request: Request, step: 'start' | 'callback'): Promise<Response | null> {
  const address = clientAddress(request.headers, getEnv().TRUSTED_PROXY_HEADER);
  if (address === null) return Promise.resolve(null);
  return withRequestLogs(async () => {
    const decision = await rateLimit(step === 'start' ? 'sign_in_start' : 'sign_in_callback').consume('address', address);
    return decision.ok ? null : tooManyRequestsPage(decision.retryAfterSeconds);
  });
}

/**
 * `/api/me` per client address against RATE_LIMIT_API, for every request before its token is
 * checked (skipped without an address, as in {@link limitSignIn}): null to go on, or the JSON 429
 * to send. Server only.
 */
export function limitApiAddress(request: Request): Promise<Response | null> {
  const address = clientAddress(request.headers, getEnv().TRUSTED_PROXY_HEADER);
  if (address === null) return Promise.resolve(null);
  return withRequestLogs(async () => {
    const decision = await rateLimit('api_me').consume('address', address);
    return decision.ok ? null : tooManyRequestsJson(decision.retryAfterSeconds);
  });
}

/**
 * `/api/me` per token subject (the verified access token's `sub`) against RATE_LIMIT_API: null to
 * go on, or the JSON 429 to send. Server only.
 */
export function limitApiSubject(subject: string): Promise<Response | null> {
  return withRequestLogs(async () => {
    const decision = await rateLimit('api_me').consume('person', subject);
    return decision.ok ? null : tooManyRequestsJson(decision.retryAfterSeconds);
  });
}
