import { sealData } from 'iron-session';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { createSession, destroySession, readSession, touchSession } from '@/lib/auth/session';
import { keyIdOf } from '@/lib/auth/session-config';
import { realistic } from '../fixtures/tokens';
import { MemoryCookieStore, mintSessionCookies, testSessionConfig } from '../helpers/session-cookie';

const SECRET_A = 'secret-A-0123456789abcdefghijklmnopqrstuvwxyz';
const SECRET_B = 'secret-B-0123456789abcdefghijklmnopqrstuvwxyz';
const config = testSessionConfig({ secrets: [SECRET_A] });

let logs: MockInstance<typeof console.log>;
let errors: MockInstance<typeof console.error>;
beforeEach(() => {
  logs = vi.spyOn(console, 'log').mockImplementation(() => {});
  errors = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Every log line written so far, parsed. */
function logLines(): Record<string, unknown>[] {
  return [...logs.mock.calls, ...errors.mock.calls].map(([line]) => JSON.parse(String(line)));
}

async function signedIn(sessionConfig = config) {
  const store = new MemoryCookieStore();
  await createSession(store, realistic.tokens, realistic.claims, { config: sessionConfig });
  return store;
}

/** The key id a session was sealed with: the second `*` field of the reassembled seal. */
function sealKeyId(store: MemoryCookieStore): string | undefined {
  const seal = store
    .getAll()
    .filter(({ name }) => name.startsWith('__Host-cubby-session'))
    .map(({ value }) => value)
    .join('');
  return seal.split('*')[1];
}

describe('session seal and unseal', () => {
  it('reads back what createSession sealed, tokens decoded only on demand', async () => {
    const store = await signedIn();
    const session = await readSession(store, { config });
    expect(session).not.toBeNull();
    expect(session?.sub).toBe(realistic.claims.sub);
    expect(session?.username).toBe(realistic.claims['cognito:username']);
    expect(session?.email).toBe(realistic.claims.email);
    expect(session?.groups).toEqual(['admins', 'editors', 'photographers']);
    expect(session?.authTime).toBe(realistic.claims.auth_time * 1000);
    expect(session?.tokensExpireAt).toBe(realistic.claims.exp * 1000);
    expect(session?.identityId).toBeNull();
    expect(session?.tokens()).toEqual(realistic.tokens);
  });

  it('sets HttpOnly, SameSite=Lax, Path=/, Secure and __Host- names over https', async () => {
    const store = await signedIn();
    const names = store.getAll().map(({ name }) => name);
    expect(names).toEqual(['__Host-cubby-session.0', '__Host-cubby-session.1']);
    for (const write of store.writes) {
      expect(write.options).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/', secure: true });
      expect(write.options.domain).toBeUndefined();
    }
  });

  it('uses plain names without Secure over http (local development)', async () => {
    const local = testSessionConfig({ appUrl: 'http://localhost:3000' });
    const store = await signedIn(local);
    expect(store.getAll().map(({ name }) => name)).toEqual(['cubby-session.0', 'cubby-session.1']);
    expect(store.writes.every((write) => write.options.secure === false)).toBe(true);
    expect((await readSession(store, { config: local }))?.sub).toBe(realistic.claims.sub);
  });

  it('sets a cookie lifetime that ends with the session (idle timeout, 1 day by default)', async () => {
    const store = await signedIn();
    expect(store.writes.map((write) => write.options.maxAge)).toEqual([86_400, 86_400]);
  });

  it.each([
    [
      'a changed character in chunk .1',
      (value: string) => `${value.slice(0, 100)}${value[100] === 'a' ? 'b' : 'a'}${value.slice(101)}`,
    ],
    ['a truncated chunk .1', (value: string) => value.slice(0, -10)],
    ['a chunk .1 from another session', () => 'x'.repeat(500)],
  ])('reads %s as signed out and clears every chunk', async (_name, tamper) => {
    const store = await signedIn();
    const chunk = store.get('__Host-cubby-session.1')?.value ?? '';
    const tampered = new MemoryCookieStore([
      ...store.getAll().filter(({ name }) => !name.endsWith('.1')),
      { name: '__Host-cubby-session.1', value: tamper(chunk) },
    ]);
    expect(await readSession(tampered, { config })).toBeNull();
    expect(tampered.getAll()).toEqual([]);
    expect(logLines()).toContainEqual(expect.objectContaining({ event: 'session.unseal_failed', reason: 'invalid' }));
    expect(JSON.stringify(logLines())).not.toContain(chunk.slice(0, 40));
  });

  it('never writes while reading when readOnly (Server Components)', async () => {
    const store = await signedIn();
    const broken = new MemoryCookieStore([{ name: '__Host-cubby-session.0', value: 'garbage' }]);
    expect(await readSession(broken, { config, readOnly: true })).toBeNull();
    expect(broken.writes).toEqual([]);
    const writesBefore = store.writes.length;
    expect(await readSession(store, { config, readOnly: true, now: Date.now() + 2 * 86_400_000 })).toBeNull();
    expect(store.writes).toHaveLength(writesBefore);
  });

  it('reads no cookie at all as signed out without writing anything', async () => {
    const store = new MemoryCookieStore([{ name: 'unrelated', value: '1' }]);
    expect(await readSession(store, { config })).toBeNull();
    expect(store.writes).toEqual([]);
  });

  it('reads an expired seal as signed out', async () => {
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    const store = await signedIn();
    // Past the seal's own expiry (1 day + iron's 60 s skew), while the session's clock says 30 s.
    vi.setSystemTime(start + 86_400_000 + 120_000);
    expect(await readSession(store, { config, now: start + 30_000 })).toBeNull();
    expect(logLines()).toContainEqual(expect.objectContaining({ event: 'session.unseal_failed', reason: 'expired' }));
    expect(store.getAll()).toEqual([]);
  });

  it('reads a seal made with an unknown secret as signed out', async () => {
    const store = await signedIn(testSessionConfig({ secrets: [SECRET_B] }));
    expect(await readSession(store, { config })).toBeNull();
    expect(logLines()).toContainEqual(expect.objectContaining({ event: 'session.unseal_failed', reason: 'unknown-password' }));
  });

  it.each([
    ['an unrelated object', { hello: 'world' }],
    ['a future version', { v: 2, sub: 'x' }],
    [
      'a missing sub',
      {
        v: 1,
        tokens: 'abc',
        tokensExpireAt: 1,
        username: 'u',
        email: null,
        groups: [],
        authTime: 1,
        createdAt: 1,
        lastActiveAt: 1,
      },
    ],
    [
      'groups of the wrong type',
      {
        v: 1,
        tokens: 'abc',
        tokensExpireAt: 1,
        sub: 's',
        username: 'u',
        email: null,
        groups: 'admins',
        authTime: 1,
        createdAt: 1,
        lastActiveAt: 1,
      },
    ],
  ])('reads a genuine seal of %s as signed out and clears it', async (_name, data) => {
    const seal = await sealData(data, { password: config.sealPassword, ttl: 3600 });
    const store = new MemoryCookieStore([{ name: '__Host-cubby-session', value: seal }]);
    expect(await readSession(store, { config })).toBeNull();
    expect(store.getAll()).toEqual([]);
    expect(logLines()).toContainEqual(expect.objectContaining({ event: 'session.rejected', reason: 'invalid_shape' }));
  });

  it('clears every chunk on destroySession', async () => {
    const store = await signedIn();
    await destroySession(store, { config });
    expect(store.getAll()).toEqual([]);
    expect(store.writes.filter((write) => write.options.maxAge === 0).map((write) => write.name)).toEqual(
      expect.arrayContaining(['__Host-cubby-session.0', '__Host-cubby-session.1']),
    );
  });
});

describe('secret rotation', () => {
  it('reads a session sealed with [A] under [B, A], and re-seals it with B', async () => {
    const store = await signedIn(testSessionConfig({ secrets: [SECRET_A] }));
    expect(sealKeyId(store)).toBe(keyIdOf(SECRET_A));
    const rotated = testSessionConfig({ secrets: [SECRET_B, SECRET_A] });
    const session = await readSession(store, { config: rotated });
    expect(session?.sub).toBe(realistic.claims.sub);
    if (!session) return;
    await touchSession(store, session, { config: rotated, now: session.lastActiveAt + 120_000 });
    expect(sealKeyId(store)).toBe(keyIdOf(SECRET_B));
    expect(await readSession(store, { config: testSessionConfig({ secrets: [SECRET_B] }) })).not.toBeNull();
    expect(await readSession(store, { config: testSessionConfig({ secrets: [SECRET_A] }) })).toBeNull();
  });

  it('keeps people signed in when the old secret is finally dropped ([A] -> [B, A] -> [B])', async () => {
    const store = await signedIn(testSessionConfig({ secrets: [SECRET_B, SECRET_A] }));
    expect(await readSession(store, { config: testSessionConfig({ secrets: [SECRET_B] }) })).not.toBeNull();
  });

  it('seals new sessions with the first secret of the list', async () => {
    const store = await signedIn(testSessionConfig({ secrets: [SECRET_B, SECRET_A] }));
    expect(sealKeyId(store)).toBe(keyIdOf(SECRET_B));
  });
});

describe('mintSessionCookies', () => {
  it('mints the cookies the app itself reads as a signed-in session', async () => {
    const createdAt = Date.now() - 3_600_000;
    const cookies = await mintSessionCookies({
      tokens: realistic.tokens,
      claims: realistic.claims,
      secret: SECRET_A,
      appUrl: 'https://cubby.example.com',
      createdAt,
      lastActiveAt: createdAt + 600_000,
    });
    expect(cookies.map(({ name }) => name)).toEqual(['__Host-cubby-session.0', '__Host-cubby-session.1']);
    const session = await readSession(new MemoryCookieStore(cookies), { config });
    expect(session?.sub).toBe(realistic.claims.sub);
    expect(session?.createdAt).toBe(createdAt);
    expect(session?.lastActiveAt).toBe(createdAt + 600_000);
  });
});
