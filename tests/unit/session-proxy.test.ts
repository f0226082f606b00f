import { nextProxyCookies } from 'iron-session';
import { NextRequest, NextResponse } from 'next/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readSession, touchSession, updateSessionTokens } from '@/lib/auth/session';
import { mintTokens, realistic } from '../fixtures/tokens';
import { cookieHeader, mintSessionCookies, testSessionConfig } from '../helpers/session-cookie';

const SECRET = 'test-secret-A-0123456789abcdefghijklmnop';
const config = testSessionConfig({ secrets: [SECRET] });

beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

async function proxyRequest(createdAt: number) {
  const cookies = await mintSessionCookies({
    tokens: realistic.tokens,
    claims: realistic.claims,
    secret: SECRET,
    appUrl: 'https://cubby.example.com',
    createdAt,
  });
  const request = new NextRequest('https://cubby.example.com/files', { headers: { cookie: cookieHeader(cookies) } });
  const response = NextResponse.next();
  return { request, response, jar: nextProxyCookies(request, response) };
}

describe('the session through Next.js proxy cookies (nextProxyCookies)', () => {
  it('reads a session from the request without writing a response cookie', async () => {
    const { response, jar } = await proxyRequest(Date.now());
    expect((await readSession(jar, { config }))?.sub).toBe(realistic.claims.sub);
    expect(response.cookies.getAll()).toEqual([]);
  });

  it('writes refreshed tokens to the response and to the request, so the same render sees them', async () => {
    const t0 = Date.now() - 600_000;
    const { request, response, jar } = await proxyRequest(t0);
    const session = await readSession(jar, { config });
    if (!session) throw new Error('no session');
    const fresh = await mintTokens({ sub: realistic.claims.sub });
    await updateSessionTokens(jar, session, { ...fresh.tokens, claims: fresh.claims }, { config });
    const written = response.cookies.getAll();
    expect(written.map((cookie) => cookie.name)).toEqual(['__Host-cubby-session.0', '__Host-cubby-session.1']);
    expect(written[0]).toMatchObject({ httpOnly: true, secure: true, sameSite: 'lax', path: '/' });
    const later = await readSession(nextProxyCookies(request, NextResponse.next()), { config });
    expect(later?.tokens()).toEqual(fresh.tokens);
    expect(later?.createdAt).toBe(t0);
  });

  it('clears a session past its idle timeout on the response', async () => {
    const { response, jar } = await proxyRequest(Date.now());
    expect(await readSession(jar, { config, now: Date.now() + 2 * 86_400_000 })).toBeNull();
    const cleared = response.cookies.getAll().filter((cookie) => cookie.name.startsWith('__Host-cubby-session'));
    expect(cleared.length).toBeGreaterThanOrEqual(2);
    expect(cleared.every((cookie) => cookie.value === '' && cookie.maxAge === 0)).toBe(true);
  });

  it('rolls the idle timeout through touchSession', async () => {
    const t0 = Date.now() - 300_000;
    const { response, jar } = await proxyRequest(t0);
    const session = await readSession(jar, { config });
    if (!session) throw new Error('no session');
    const touched = await touchSession(jar, session, { config });
    expect(touched.lastActiveAt).toBeGreaterThan(t0);
    expect(response.cookies.getAll().length).toBeGreaterThan(0);
  });
});
