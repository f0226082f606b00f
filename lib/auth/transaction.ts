import { sealData, unsealData } from 'iron-session';
import { z } from 'zod';
import { log } from '../log.ts';
import { type CookieStore, expireCookie, type SessionConfig, sessionConfig, toCookieJar } from './session-config.ts';

/**
 * Login transactions: what `/auth/callback` needs to finish a sign-in started by `/auth/login`
 * (PKCE verifier, state, nonce, returnTo). Each lives in its own sealed cookie named by its state
 * (`cubby-txn-<state>`, `__Host-` prefixed over https; HttpOnly, SameSite=Lax, Path=/ since
 * `__Host-` forbids a narrower path) for ten minutes, so several tabs can sign in at once. At
 * most {@link MAX_TRANSACTIONS} exist: starting another drops the oldest. Sealed with the session
 * secrets. Route handlers only (they write cookies).
 */

export type { CookieStore } from './session-config.ts';

/** How long a sign-in may take between /auth/login and /auth/callback. */
export const TRANSACTION_TTL_SECONDS = 600;
/** Transaction cookies kept at once; the oldest is dropped first. */
export const MAX_TRANSACTIONS = 3;

/**
 * A transaction up to this far in the future is still accepted. Without it a sign-in started on
 * an instance whose clock runs ahead and finished on another would be refused as not yet created.
 */
const INSTANCE_CLOCK_SKEW_MS = 60_000;
/** Shape of state values Cubby creates (openid-client's randomState: 43 base64url characters). */
const STATE = /^[A-Za-z0-9_-]{16,128}$/;

export const TransactionSchema = z.object({
  verifier: z.string().min(43).max(128),
  state: z.string().regex(STATE),
  nonce: z.string().min(1).max(256),
  /** A same-origin path (lib/auth/safe-redirect.ts made it); never protocol-relative. */
  returnTo: z.string().regex(/^\/(?![/\\])/),
  /** Epoch ms. */
  createdAt: z.number().int().nonnegative(),
});
export type Transaction = z.infer<typeof TransactionSchema>;

export interface TransactionCallOptions {
  /** Epoch ms; defaults to Date.now(). */
  now?: number;
  config?: SessionConfig;
}

/** The cookie name for a state, or null for a state Cubby would never have created. */
export function transactionCookieName(state: string, config: SessionConfig = sessionConfig()): string | null {
  return STATE.test(state) ? `${config.transactionCookiePrefix}${state}` : null;
}

/** Names of the transaction cookies on the request (needs a store that can list its cookies). */
export function listTransactionCookieNames(store: CookieStore, config: SessionConfig = sessionConfig()): string[] {
  return (toCookieJar(store).names?.() ?? []).filter(
    (name) => name.startsWith(config.transactionCookiePrefix) && STATE.test(name.slice(config.transactionCookiePrefix.length)),
  );
}

/**
 * Which cookies to delete so that one more fits under `max`: unreadable ones first, then the
 * oldest by createdAt (FIFO). Pure.
 */
export function transactionsToEvict(
  existing: readonly { name: string; createdAt: number | null }[],
  max = MAX_TRANSACTIONS,
): string[] {
  const unreadable = existing.filter((entry) => entry.createdAt === null);
  const readable = existing.filter((entry) => entry.createdAt !== null);
  readable.sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0));
  const excess = Math.max(0, readable.length - (max - 1));
  return [...unreadable, ...readable.slice(0, excess)].map((entry) => entry.name);
}

/** Unseals and validates one transaction cookie value; null for anything unusable. Pure but async. */
export async function openTransaction(value: string, config: SessionConfig, now: number): Promise<Transaction | null> {
  const data = await unsealData<unknown>(value, {
    password: config.unsealPasswords,
    ttl: TRANSACTION_TTL_SECONDS,
    onUnsealError: (reason) => log(reason === 'expired' ? 'info' : 'warn', 'auth.transaction_unseal_failed', { reason }),
  });
  const parsed = TransactionSchema.safeParse(data);
  if (!parsed.success) return null;
  const age = now - parsed.data.createdAt;
  // A little negative age is tolerated: another server instance's clock may run ahead.
  return age > -INSTANCE_CLOCK_SKEW_MS && age < TRANSACTION_TTL_SECONDS * 1000 ? parsed.data : null;
}

/**
 * Stores a new login transaction in its own cookie, first dropping unreadable transaction cookies
 * and, beyond {@link MAX_TRANSACTIONS}, the oldest ones. Route handlers only.
 */
export async function createTransaction(
  store: CookieStore,
  input: Omit<Transaction, 'createdAt'>,
  options: TransactionCallOptions = {},
): Promise<Transaction> {
  const config = options.config ?? sessionConfig();
  const now = options.now ?? Date.now();
  const transaction = TransactionSchema.parse({ ...input, createdAt: now });
  const name = `${config.transactionCookiePrefix}${transaction.state}`;
  const jar = toCookieJar(store);
  const existing = await Promise.all(
    listTransactionCookieNames(store, config)
      .filter((other) => other !== name)
      .map(async (other) => {
        const value = jar.read(other);
        const opened = value ? await openTransaction(value, config, now) : null;
        return { name: other, createdAt: opened?.createdAt ?? null };
      }),
  );
  for (const evicted of transactionsToEvict(existing)) expireCookie(jar, evicted, config.attributes);
  const sealed = await sealData(transaction, { password: config.sealPassword, ttl: TRANSACTION_TTL_SECONDS });
  jar.write(name, sealed, { ...config.attributes, maxAge: TRANSACTION_TTL_SECONDS });
  return transaction;
}

/**
 * Takes the transaction for `state` exactly once: reads its cookie and deletes it whatever it
 * holds. Null when it is missing, expired, tampered, sealed with an unknown secret, or sealed for
 * another state. Route handlers only.
 */
export async function takeTransaction(
  store: CookieStore,
  state: string,
  options: TransactionCallOptions = {},
): Promise<Transaction | null> {
  const config = options.config ?? sessionConfig();
  const name = transactionCookieName(state, config);
  if (name === null) return null;
  const jar = toCookieJar(store);
  const value = jar.read(name);
  if (!value) return null;
  expireCookie(jar, name, config.attributes);
  const transaction = await openTransaction(value, config, options.now ?? Date.now());
  // A valid seal moved to another state's cookie name must not be accepted.
  return transaction && transaction.state === state ? transaction : null;
}
