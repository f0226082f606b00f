import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isSessionRevoked, personRevocationKey, revokePersonSessions } from '@/lib/auth/revocation';
import { createSession, readSession } from '@/lib/auth/session';
import { MemoryStore } from '@/lib/store/memory';
import { realistic } from '../fixtures/tokens';
import { MemoryCookieStore, testSessionConfig } from '../helpers/session-cookie';

/**
 * "Sign out everywhere" in the shared store: every session of the person that exists when it is
 * recorded reads as signed out (other browsers, saved copies of cookies), sessions started later
 * do not, other people are untouched, and the record ends with the longest session.
 */

const config = testSessionConfig();

beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

async function signIn(now: number) {
  const cookies = new MemoryCookieStore();
  const session = await createSession(cookies, realistic.tokens, realistic.claims, { config, now });
  return { cookies, session };
}

describe('revokePersonSessions', () => {
  it('signs out every session of the person that exists, in every browser, and none started later', async () => {
    const store = new MemoryStore();
    const now = Date.now();
    const laptop = await signIn(now - 60_000);
    const phone = await signIn(now - 1_000);
    expect(laptop.session.id).not.toBe(phone.session.id);

    await revokePersonSessions(realistic.claims.sub, now + config.absoluteTimeoutMs, { store, now });

    expect(await readSession(laptop.cookies, { config, revocations: store, now: now + 10 })).toBeNull();
    expect(await readSession(phone.cookies, { config, revocations: store, now: now + 10 })).toBeNull();
    const later = await signIn(now + 5_000);
    expect(await readSession(later.cookies, { config, revocations: store, now: now + 6_000 })).not.toBeNull();
  });

  it('leaves other people signed in and a bare session id unaffected', async () => {
    const store = new MemoryStore();
    const now = Date.now();
    await revokePersonSessions(realistic.claims.sub, now + 60_000, { store, now });
    expect(await isSessionRevoked({ id: 'other', sub: 'someone-else', createdAt: now - 1 }, { store })).toBe(false);
    expect(await isSessionRevoked({ id: 'mine', sub: realistic.claims.sub, createdAt: now - 1 }, { store })).toBe(true);
    expect(await isSessionRevoked('mine', { store })).toBe(false);
  });

  it('keeps its record until the given time only', async () => {
    const clock = { now: 1_000_000 };
    const store = new MemoryStore(() => clock.now);
    await revokePersonSessions('p', clock.now + 60_000, { store, now: clock.now });
    expect(await store.get(personRevocationKey('p'))).toBe(String(1_000_000));
    clock.now += 60_000;
    expect(await isSessionRevoked({ id: 's', sub: 'p', createdAt: 1 }, { store })).toBe(false);
    await revokePersonSessions('p', clock.now - 1, { store, now: clock.now });
    expect(await store.get(personRevocationKey('p'))).toBeNull();
  });
});
