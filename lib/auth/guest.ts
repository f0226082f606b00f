import 'server-only';
import { sealData, unsealData } from 'iron-session';
import { createGuestIdentity } from '@/lib/aws/identity-pool';
import { log } from '@/lib/log';
import { type CookieStore, sessionConfig, toCookieJar } from './session-config';

/** A guest keeps the same unauthenticated identity this long (then gets a new one). */
const GUEST_TTL_SECONDS = 30 * 24 * 3600;
/** After the pool refused guests or was unreachable, don't ask again for this long (per process). */
const RETRY_AFTER_MS = 60_000;
let refusedUntil = 0;

function cookieName(): string {
  return sessionConfig().cookieName.replace('cubby-session', 'cubby-guest');
}

/** The guest identity id from its sealed cookie, or null. Read-only; safe in Server Components. */
export async function readGuestIdentity(store: CookieStore): Promise<string | null> {
  const seal = toCookieJar(store).read(cookieName());
  if (!seal) return null;
  try {
    const data = await unsealData<{ identityId?: unknown }>(seal, {
      password: sessionConfig().unsealPasswords,
      ttl: GUEST_TTL_SECONDS,
    });
    return typeof data.identityId === 'string' ? data.identityId : null;
  } catch {
    return null;
  }
}

/**
 * Gives a signed-out visitor a stable unauthenticated Identity Pool identity when the pool allows
 * guests: created once with GetId, then kept in a small sealed cookie. Best effort: when guests are
 * off or the pool is down, the visitor simply has none. Where cookies are writable (proxy.ts).
 */
export async function ensureGuestIdentity(store: CookieStore, now = Date.now()): Promise<string | null> {
  const existing = await readGuestIdentity(store);
  if (existing || now < refusedUntil) return existing;
  let identityId: string | null;
  try {
    identityId = await createGuestIdentity();
  } catch {
    identityId = null;
  }
  if (!identityId) {
    refusedUntil = now + RETRY_AFTER_MS;
    return null;
  }
  const config = sessionConfig();
  const seal = await sealData({ identityId }, { password: config.sealPassword, ttl: GUEST_TTL_SECONDS });
  toCookieJar(store).write(cookieName(), seal, { ...config.attributes, maxAge: GUEST_TTL_SECONDS - 60 });
  log('info', 'auth.guest_identity_set', {});
  return identityId;
}
