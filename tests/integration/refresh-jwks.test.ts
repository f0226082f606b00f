import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyIdToken } from '@/lib/auth/id-token';
import { JWKS_REFETCH_COOLDOWN_MS, JWKS_REVALIDATE_AFTER_MS, lastGoodKeySet } from '@/lib/auth/jwks';
import { refreshTokens } from '@/lib/auth/refresh';
import { AppError } from '@/lib/errors';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { createUser, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';

/**
 * A JWKS outage must not sign anyone out: the app keeps the last key set it fetched, so tokens
 * signed by keys that verified before keep verifying while the emulator's JWKS endpoint answers
 * 503 (`POST /_local/faults {target: 'jwks'}`), also long after the 10 minutes at which jose's
 * remote key set used to drop its cache; only an unknown kid refetches, at most once per cooldown.
 */

const EMAIL = 'jwks@example.com';
const PASSWORD = 'Passw0rd!x';
/** Requests the outage fault answers; what is left of it counts the JWKS fetches made. */
const FAULT_BUDGET = 100;

let emulator: EmulatorProcess;
let sub: string;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator);
  ({ sub } = await createUser(emulator, { email: EMAIL, password: PASSWORD }));
});
afterEach(async () => {
  vi.useRealTimers();
  await emulator.hook('DELETE', '/_local/faults');
});
afterAll(async () => {
  await emulator?.stop();
});

const signInUser = () => signIn(emulator, { email: EMAIL, password: PASSWORD });

async function jwksDown(): Promise<void> {
  await emulator.hook('POST', '/_local/faults', { target: 'jwks', status: 503, times: FAULT_BUDGET });
}

/** JWKS requests met by the outage so far. */
async function jwksFetches(): Promise<number> {
  const { faults } = (await emulator.hook('GET', '/_local/faults')) as { faults: { target: string; times: number }[] };
  const left = faults.find((fault) => fault.target === 'jwks')?.times ?? 0;
  return FAULT_BUDGET - left;
}

async function codeOf(work: Promise<unknown>): Promise<string> {
  return work.then(
    () => 'verified',
    (error: unknown) => (error instanceof AppError ? error.code : String(error)),
  );
}

describe('the app keeps the last good JWKS', () => {
  it('refreshes (and verifies the new ID token) through a JWKS outage 11 minutes after the keys were fetched', async () => {
    const first = await signInUser();
    const second = await signInUser();
    // Discovery and the key set are fetched now, while the JWKS endpoint works.
    await refreshTokens(first);
    await jwksDown();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + JWKS_REVALIDATE_AFTER_MS + 60_000);
    const refreshed = await refreshTokens(second);
    expect(refreshed.claims.sub).toBe(sub);
    // One background revalidation was tried (and failed) without holding up the refresh.
    expect(await jwksFetches()).toBeLessThanOrEqual(1);
  });

  it('refetches only for an unknown kid, at most once per cooldown, and says idp_unavailable when that fails', async () => {
    const { idToken } = await signInUser();
    let now = Date.now();
    const keys = lastGoodKeySet(new URL(`${emulator.config.issuer}/.well-known/jwks.json`), { now: () => now });
    const expected = { issuer: emulator.config.issuer, clientId: emulator.config.clientId, nonce: null };
    const verify = (token: string) => codeOf(verifyIdToken(token, keys, expected));
    expect(await verify(idToken)).toBe('verified');

    const stranger = await generateKeyPair('RS256');
    const unknownKid = await new SignJWT({ token_use: 'id' })
      .setProtectedHeader({ alg: 'RS256', kid: 'not-in-the-pool', ...(await exportJWK(stranger.publicKey)) })
      .setIssuer(emulator.config.issuer)
      .setAudience(emulator.config.clientId)
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(stranger.privateKey);

    await jwksDown();
    now += JWKS_REVALIDATE_AFTER_MS + 60_000;
    // A known key verifies; the stale set is revalidated in the background (one fetch, failing).
    expect(await verify(idToken)).toBe('verified');
    await vi.waitFor(() => expect(keys.reloading).toBe(false));
    expect(await jwksFetches()).toBe(1);
    // An unknown kid inside the cooldown: no fetch, refused as a bad token.
    expect(await verify(unknownKid)).toBe('login_failed');
    expect(await jwksFetches()).toBe(1);
    // After the cooldown: one refetch, which fails, so the answer is "try again", not "bad token".
    now += JWKS_REFETCH_COOLDOWN_MS;
    expect(await verify(unknownKid)).toBe('idp_unavailable');
    expect(await jwksFetches()).toBe(2);
    expect(await verify(unknownKid)).toBe('login_failed');
    expect(await verify(idToken)).toBe('verified');
    expect(await jwksFetches()).toBe(2);
    expect(keys.fetchedAt).not.toBeNull();
  });
});
