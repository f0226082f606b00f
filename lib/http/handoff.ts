import type { SessionDecision } from '@/lib/auth/fresh-session';

/**
 * How proxy.ts hands its session decision (read, refreshed) to the render or server action of the
 * same request, so nothing is unsealed or refreshed twice. The proxy puts a fresh random id in the
 * {@link HANDOFF_HEADER} request header (overwriting whatever a client sent) and files its decision
 * under it; lib/dal.ts looks it up. The decisions live on `globalThis` (Next bundles the proxy and
 * the app apart) for a few seconds. An id nobody filed (a client's own header, a proxy that did
 * not run, another process) finds nothing, and lib/dal.ts then reads the cookies itself: the
 * handoff saves work, it never decides access.
 */

export const HANDOFF_HEADER = 'x-cubby-handoff';
/** A decision is kept this long: a request's render or action starts within milliseconds of its proxy. */
const HANDOFF_TTL_MS = 30_000;
const MAX_HANDOFFS = 10_000;
const GLOBAL_KEY = Symbol.for('cubby.sessionHandoffs');

interface Filed {
  decision: SessionDecision;
  expiresAt: number;
}

function handoffs(): Map<string, Filed> {
  const holder = globalThis as { [GLOBAL_KEY]?: Map<string, Filed> };
  holder[GLOBAL_KEY] ??= new Map();
  return holder[GLOBAL_KEY];
}

/** A new unguessable handoff id (128 random bits). */
export function newHandoffId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
}

/** Files the proxy's decision for this request. */
export function fileHandoff(id: string, decision: SessionDecision, now = Date.now()): void {
  const map = handoffs();
  for (const [key, filed] of map) {
    if (filed.expiresAt > now && map.size < MAX_HANDOFFS) break;
    map.delete(key);
  }
  map.set(id, { decision, expiresAt: now + HANDOFF_TTL_MS });
}

/** The decision filed under `id`, if any and still fresh. */
export function findHandoff(id: string | null | undefined, now = Date.now()): SessionDecision | undefined {
  if (!id) return undefined;
  const filed = handoffs().get(id);
  return filed && filed.expiresAt > now ? filed.decision : undefined;
}
