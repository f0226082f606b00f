import 'server-only';
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError, ERROR_MESSAGES, type ErrorCode } from '@/lib/errors';
import { describeError, log } from '@/lib/log';
import { sealValue, unsealValue } from '@/lib/store/seal';
import type { SharedStore } from '@/lib/store/types';
import { IDP_TIMEOUT_SECONDS } from '@/lib/upstream';
import type { IdTokenClaims } from './id-token';

/**
 * Single-flight token refresh, per process and across instances (the machinery behind
 * lib/auth/refresh.ts `refreshTokens`). The tokens being replaced (ID token + refresh token) are
 * named by a hash, never stored themselves; for that key:
 * 1. in this process, concurrent and later callers (within {@link REFRESH_RESULT_GRACE_MS}) share
 *    one flight, whichever bundle (proxy, routes, actions) they come from;
 * 2. the flight looks for a result another instance already stored (sealed, lib/store/seal.ts);
 * 3. else takes a short lock in the shared store (setIfAbsent, {@link REFRESH_WAIT_MS}); the
 *    winner calls Cognito and stores the sealed result for the grace window, losers poll for it;
 * 4. an `invalid_grant` (the refresh token was rotated away) re-reads the stored result before
 *    the person counts as signed out;
 * 5. with the store unavailable, it falls back to calling Cognito with (1) only: with several
 *    instances and no store, two instances may then refresh the same tokens and, under rotation
 *    with no grace period, one of them signs the person out.
 */

/**
 * The longest a refresh holds a request: Cognito's 5 s bound plus a second for verifying the
 * answer and for the store. A refresh that ends later than its caller's deadline is not waited for
 * (the caller gets `idp_unavailable` and keeps the old tokens while valid); it still finishes and
 * is remembered for the next request. Also the lock's TTL: no second instance starts a refresh of
 * the same tokens while the first may still get an answer.
 */
export const REFRESH_WAIT_MS = IDP_TIMEOUT_SECONDS * 1000 + 1_000;

/**
 * How long a refresh's result is kept (in process memory and, sealed, in the shared store), so
 * requests that still carry the cookie from before it (sent before the browser saw the new one)
 * get the same new tokens instead of a second refresh, which under rotation with a short grace
 * period (Cognito allows 0-60 s) fails with `invalid_grant`. The longest grace Cognito allows.
 */
export const REFRESH_RESULT_GRACE_MS = 60_000;

/** A failed refresh is shared this long (requests arriving together do not each wait on a dead Cognito). */
export const REFRESH_FAILURE_MEMORY_MS = 1_000;

/** Losers poll the shared store this often for the winner's result. */
const POLL_INTERVAL_MS = 25;
/** Finished flights remembered per process at most (oldest dropped first). */
const MAX_REMEMBERED = 1_000;
/** What the seal is for (its key is derived per purpose). */
const SEAL_PURPOSE = 'refresh-result';

/** Tokens after a refresh. */
export interface RefreshedTokens {
  idToken: string;
  accessToken: string;
  /** The new refresh token under rotation, else the one that was used. */
  refreshToken: string;
  claims: IdTokenClaims;
}

/** The tokens a session holds now (its cookie's). */
export interface CurrentTokens {
  refreshToken: string;
  idToken: string;
  accessToken?: string;
  /**
   * The session's id (lib/auth/session.ts). Not part of the key: a refresh token belongs to one
   * sign-in, so the tokens alone name the session and every caller agrees on the key.
   */
  sessionId?: string;
}

/** One call to the token endpoint: tokens for a refresh token, or AppError `session_ended` / `idp_unavailable`. */
export type RefreshGrant = (refreshToken: string) => Promise<RefreshedTokens>;

/** What a {@link Refresher} works with; injectable for tests. */
export interface RefresherDependencies {
  /** The shared store, looked up per refresh (lib/store `sharedStore()`). */
  store: () => SharedStore;
  grant: RefreshGrant;
  /** SESSION_SECRET's list: the first seals results, any opens them. */
  secrets: () => readonly string[];
  /** Epoch ms; defaults to Date.now. */
  now?: () => number;
  /** Lock TTL and how long a flight waits for another instance's result; defaults to {@link REFRESH_WAIT_MS}. */
  lockTtlMs?: number;
  /** The process's flights (lib/auth/refresh.ts keeps them on globalThis); a new map by default. */
  flights?: FlightMap;
}

const ResultSchema = z.object({
  idToken: z.string().min(1),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  claims: z.looseObject({ sub: z.string().min(1), iat: z.number(), exp: z.number(), token_use: z.literal('id') }),
});

interface Outcome {
  tokens: RefreshedTokens;
  /** `cognito`: this flight called the token endpoint; `store`: another instance (or bundle) had. */
  via: 'cognito' | 'store';
}

/** One refresh of one set of tokens, pending or remembered. */
export interface Flight {
  promise: Promise<RefreshedTokens>;
  /** Epoch ms after which the flight is forgotten; null while pending. */
  forgetAt: number | null;
}

/** The flights by {@link refreshKey}: one map per process, shared by every bundle's refresher. */
export type FlightMap = Map<string, Flight>;

/** The key for the tokens being replaced: a hash, so neither memory keys nor the store hold a token. */
export function refreshKey(current: Pick<CurrentTokens, 'idToken' | 'refreshToken'>): string {
  return createHash('sha256').update(`${current.idToken}\n${current.refreshToken}`).digest('base64url');
}

const resultKey = (key: string) => `refresh:result:${key}`;
const lockKey = (key: string) => `refresh:lock:${key}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isStoreDown = (error: unknown) => error instanceof AppError && error.code === 'store_unavailable';
const isSessionEnded = (error: unknown) => error instanceof AppError && error.code === 'session_ended';

/**
 * `error` as this bundle's AppError. Flights are shared by the bundles of a process, so a flight
 * started by another bundle rejects with that bundle's AppError class, which `instanceof` here
 * would not recognise.
 */
function asAppError(error: unknown): unknown {
  if (error instanceof AppError || !(error instanceof Error) || error.name !== 'AppError') return error;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code in ERROR_MESSAGES
    ? new AppError(code as ErrorCode, error.message, { cause: error.cause ?? error })
    : error;
}

function deadlinePassed(): AppError {
  return new AppError('idp_unavailable', 'refresh deadline passed');
}

/** setTimeout's longest delay; a longer one (or Infinity) would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** Settles like `promise`, or rejects with `idp_unavailable` once `deadline` (epoch ms) passes first. */
function until<T>(promise: Promise<T>, deadline: number, now: number): Promise<T> {
  if (deadline - now > MAX_TIMER_MS) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(deadlinePassed()), Math.max(0, deadline - now));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Refreshes tokens single-flight per session (see the module comment). In production one per
 * bundle, all over the process's one {@link FlightMap} (lib/auth/refresh.ts); tests build
 * several with their own maps to stand for several instances.
 */
export class Refresher {
  readonly #flights: FlightMap;
  readonly #deps: RefresherDependencies;
  readonly #now: () => number;
  readonly #lockTtlMs: number;

  constructor(deps: RefresherDependencies) {
    this.#deps = deps;
    this.#flights = deps.flights ?? new Map();
    this.#now = deps.now ?? Date.now;
    this.#lockTtlMs = deps.lockTtlMs ?? REFRESH_WAIT_MS;
  }

  /**
   * New tokens for `current`, the same ones for every caller holding `current` (see the module
   * comment). Waits at most until `deadline` (epoch ms): a refresh still running then is left to
   * finish for later requests, and this call rejects with `idp_unavailable`; past the deadline
   * nothing new is started.
   * @throws {AppError} `session_ended` when Cognito refuses (revoked, expired, signed out
   *   everywhere, or rotated away with no newer result stored); `idp_unavailable` when Cognito
   *   cannot be reached in time or the deadline passed.
   */
  refresh(current: CurrentTokens, deadline: number): Promise<RefreshedTokens> {
    const now = this.#now();
    this.#forgetOld(now);
    const key = refreshKey(current);
    let flight = this.#flights.get(key);
    if (!flight) {
      if (now >= deadline) return Promise.reject(deadlinePassed());
      flight = this.#start(key, current);
    }
    return until(flight.promise, deadline, now).catch((error: unknown) => {
      throw asAppError(error);
    });
  }

  #forgetOld(now: number): void {
    for (const [key, flight] of this.#flights) {
      if (flight.forgetAt !== null && now >= flight.forgetAt) this.#flights.delete(key);
    }
    // Beyond the cap, the oldest finished ones go first; a pending flight is never dropped.
    for (const [key, flight] of this.#flights) {
      if (this.#flights.size <= MAX_REMEMBERED) break;
      if (flight.forgetAt !== null) this.#flights.delete(key);
    }
  }

  #start(key: string, current: CurrentTokens): Flight {
    const outcome = this.#fly(key, current);
    const flight: Flight = { promise: outcome.then(({ tokens }) => tokens), forgetAt: null };
    this.#flights.set(key, flight);
    outcome.then(
      ({ tokens, via }) => {
        flight.forgetAt = this.#now() + REFRESH_RESULT_GRACE_MS;
        log('info', 'auth.refreshed', { sub: tokens.claims.sub, rotated: tokens.refreshToken !== current.refreshToken, via });
      },
      (error: unknown) => {
        flight.forgetAt = this.#now() + REFRESH_FAILURE_MEMORY_MS;
        log('warn', 'auth.refresh_failed', {
          code: error instanceof AppError ? error.code : 'internal',
          // An AppError's message names Cognito's error code (invalid_grant...), never a token.
          reason: error instanceof AppError ? error.message : describeError(error),
        });
      },
    );
    // Waiters may all have given up (deadline): the rejection is handled above, not unhandled.
    flight.promise.catch(() => {});
    return flight;
  }

  async #fly(key: string, current: CurrentTokens): Promise<Outcome> {
    const bound = this.#now() + this.#lockTtlMs;
    let store: SharedStore;
    try {
      store = this.#deps.store();
    } catch (error) {
      log('warn', 'auth.refresh_store_unavailable', { reason: describeError(error) });
      return { tokens: await this.#deps.grant(current.refreshToken), via: 'cognito' };
    }
    try {
      for (;;) {
        const stored = await this.#readResult(store, key);
        if (stored) return { tokens: stored, via: 'store' };
        const lock = randomUUID();
        if (await store.setIfAbsent(lockKey(key), lock, this.#lockTtlMs)) return await this.#win(store, key, lock, current);
        const waited = await this.#awaitOther(store, key, bound);
        if (waited) return { tokens: waited, via: 'store' };
        // The other refresh ended without a result (it failed; the next caller may try again).
        if (this.#now() >= bound) throw new AppError('idp_unavailable', 'another instance is refreshing these tokens');
      }
    } catch (error) {
      if (!isStoreDown(error)) throw error;
      log('warn', 'auth.refresh_store_unavailable', { reason: describeError((error as AppError).cause ?? error) });
      return { tokens: await this.#deps.grant(current.refreshToken), via: 'cognito' };
    }
  }

  /** Holding the lock: re-check (a refresh may have ended between the read and the lock), call Cognito, store the result. */
  async #win(store: SharedStore, key: string, lock: string, current: CurrentTokens): Promise<Outcome> {
    const storedMeanwhile = () => this.#readResult(store, key).catch(() => null);
    try {
      const stored = await storedMeanwhile();
      if (stored) return { tokens: stored, via: 'store' };
      let tokens: RefreshedTokens;
      try {
        tokens = await this.#deps.grant(current.refreshToken);
      } catch (error) {
        // A refresh token rotated away: another instance may have refreshed it after all (its lock
        // expired before it stored the result). Its result, if any, is the current state.
        const newer = isSessionEnded(error) ? await storedMeanwhile() : null;
        if (newer) return { tokens: newer, via: 'store' };
        throw error;
      }
      await this.#writeResult(store, key, tokens);
      return { tokens, via: 'cognito' };
    } finally {
      await store.deleteIfEquals(lockKey(key), lock).catch(() => {});
    }
  }

  /** Polls for another instance's result while its lock lasts; null once the lock is gone without one. */
  async #awaitOther(store: SharedStore, key: string, bound: number): Promise<RefreshedTokens | null> {
    for (;;) {
      await sleep(POLL_INTERVAL_MS);
      const stored = await this.#readResult(store, key);
      if (stored) return stored;
      if ((await store.get(lockKey(key))) === null) return this.#readResult(store, key);
      if (this.#now() >= bound) throw new AppError('idp_unavailable', 'another instance is refreshing these tokens');
    }
  }

  async #readResult(store: SharedStore, key: string): Promise<RefreshedTokens | null> {
    const sealed = await store.get(resultKey(key));
    if (sealed === null) return null;
    const opened = unsealValue(sealed, this.#deps.secrets(), SEAL_PURPOSE);
    if (opened === null) return null;
    try {
      const parsed = ResultSchema.safeParse(JSON.parse(opened));
      return parsed.success ? (parsed.data as RefreshedTokens) : null;
    } catch {
      return null;
    }
  }

  async #writeResult(store: SharedStore, key: string, tokens: RefreshedTokens): Promise<void> {
    const sealed = sealValue(JSON.stringify(tokens), this.#deps.secrets(), SEAL_PURPOSE);
    try {
      await store.set(resultKey(key), sealed, REFRESH_RESULT_GRACE_MS);
    } catch (error) {
      // The tokens are good: this caller uses them; other instances may refresh again.
      log('warn', 'auth.refresh_result_not_stored', { reason: describeError(error) });
    }
  }
}
