import { randomBytes } from 'node:crypto';
import { getIronSession, sealData } from 'iron-session';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { createSession, readSession, updateSessionTokens } from '@/lib/auth/session';
import { chunksNeeded, MAX_SESSION_CHUNKS } from '@/lib/auth/session-config';
import { AppError } from '@/lib/errors';
import { mintTokens, realistic } from '../fixtures/tokens';
import { MemoryCookieStore, testSessionConfig } from '../helpers/session-cookie';

const config = testSessionConfig();

let errors: MockInstance<typeof console.error>;
beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  errors = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

/** Tokens whose ID token carries `bytes` of incompressible extra claims. */
function bloated(sub: string, bytes: number) {
  return mintTokens({ sub, extraIdClaims: { 'custom:blob': randomBytes(bytes).toString('base64url') } });
}

function sessionCookies(store: MemoryCookieStore) {
  return store.getAll().filter(({ name }) => name.startsWith(config.cookieName));
}

describe('cookie budget', () => {
  it('fits a realistic Cognito session (three groups) in at most 4 chunks and a Cookie header of at most 6144 bytes', async () => {
    const store = new MemoryCookieStore();
    await createSession(store, realistic.tokens, realistic.claims, { config });
    const cookies = sessionCookies(store);
    expect(cookies.length).toBeGreaterThanOrEqual(1);
    expect(cookies.length).toBeLessThanOrEqual(MAX_SESSION_CHUNKS);
    expect(Buffer.byteLength(store.header())).toBeLessThanOrEqual(6144);
  });

  it.each([
    [4020, 1],
    [4021, 2],
    [8036, 2],
    [8037, 3],
    [16_072, 4],
    [16_073, 5],
  ])('counts a %i-character seal as %i cookie(s) (Set-Cookie of at most 4096 bytes each)', (length, chunks) => {
    // `__Host-cubby-session=<seal>; Max-Age=86400; Path=/; HttpOnly; Secure; SameSite=Lax` is 76 bytes + seal,
    // and each `__Host-cubby-session.N=` chunk has 78 bytes of overhead.
    expect(chunksNeeded(config.cookieName, 'x'.repeat(length), { ...config.attributes, maxAge: 86_400 })).toBe(chunks);
  });

  it('predicts exactly how many cookies iron-session writes, and when it would refuse', async () => {
    const attributes = { ...config.attributes, maxAge: 86_400 };
    const baseline = (await sealData({ blob: '' }, { password: config.sealPassword, ttl: 86_400 })).length;
    // Around each chunk boundary, one AES block per step: every seal length iron can produce there is visited.
    const sizes = [4020, 8036, 12_054, 16_072].flatMap((boundary) => {
      const center = Math.round(((boundary - baseline) * 3) / 4);
      return Array.from({ length: 30 }, (_, step) => center - 240 + step * 16);
    });
    for (const size of sizes) {
      const data = { blob: 'x'.repeat(size) };
      const seal = await sealData(data, { password: config.sealPassword, ttl: 86_400 });
      const predicted = chunksNeeded(config.cookieName, seal, attributes);
      const store = new MemoryCookieStore();
      const iron = await getIronSession<{ blob: string }>(store, {
        cookieName: config.cookieName,
        password: config.sealPassword,
        chunk: true,
        ttl: 86_400,
        cookieOptions: attributes,
      });
      iron.blob = data.blob;
      if (predicted > MAX_SESSION_CHUNKS) {
        await expect(iron.save()).rejects.toThrow(/maximum is 4/);
      } else {
        await iron.save();
        expect(sessionCookies(store)).toHaveLength(predicted);
      }
    }
  });

  it('expires the stale chunk when a session shrinks from 3 chunks to 2', async () => {
    const sub = realistic.claims.sub;
    const big = await bloated(sub, 2300);
    const store = new MemoryCookieStore();
    const session = await createSession(store, big.tokens, big.claims, { config });
    expect(sessionCookies(store).map(({ name }) => name)).toEqual([
      '__Host-cubby-session.0',
      '__Host-cubby-session.1',
      '__Host-cubby-session.2',
    ]);
    store.writes.length = 0;
    await updateSessionTokens(store, session, { ...realistic.tokens, claims: realistic.claims }, { config });
    expect(sessionCookies(store).map(({ name }) => name)).toEqual(['__Host-cubby-session.0', '__Host-cubby-session.1']);
    expect(store.writes).toContainEqual(
      expect.objectContaining({
        name: '__Host-cubby-session.2',
        value: '',
        options: expect.objectContaining({ maxAge: 0, secure: true, path: '/' }),
      }),
    );
    expect((await readSession(store, { config }))?.tokens()).toEqual(realistic.tokens);
  });

  it('refuses tokens of 20 KB with session_too_large, a log line with the size, and no cookie', async () => {
    const huge = await bloated(realistic.claims.sub, 15_000);
    const size = huge.tokens.idToken.length + huge.tokens.accessToken.length + huge.tokens.refreshToken.length;
    expect(size).toBeGreaterThan(20_000);
    const store = new MemoryCookieStore();
    const error = await createSession(store, huge.tokens, huge.claims, { config }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'session_too_large' });
    expect(store.getAll()).toEqual([]);
    expect(store.writes.filter((write) => write.value !== '')).toEqual([]);
    const line = errors.mock.calls.map(([text]) => JSON.parse(String(text))).find((entry) => entry.event === 'session.too_large');
    expect(line).toMatchObject({ level: 'error', maxChunks: 4 });
    expect(line.sealBytes).toBeGreaterThan(4 * 4000);
    expect(line.chunks).toBeGreaterThan(4);
  });

  it('clears the previous session when the new sign-in does not fit', async () => {
    const store = new MemoryCookieStore();
    await createSession(store, realistic.tokens, realistic.claims, { config });
    const huge = await bloated('someone-else', 15_000);
    await expect(createSession(store, huge.tokens, huge.claims, { config })).rejects.toMatchObject({ code: 'session_too_large' });
    expect(store.getAll()).toEqual([]);
    expect(await readSession(store, { config })).toBeNull();
  });

  it('ends the session when refreshed tokens outgrow the budget, leaving no partial cookie', async () => {
    const store = new MemoryCookieStore();
    const session = await createSession(store, realistic.tokens, realistic.claims, { config });
    const huge = await bloated(realistic.claims.sub, 15_000);
    await expect(updateSessionTokens(store, session, { ...huge.tokens, claims: huge.claims }, { config })).rejects.toMatchObject({
      code: 'session_too_large',
    });
    expect(store.getAll()).toEqual([]);
  });
});
