import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { IDP_TIMEOUT_SECONDS } from '@/lib/upstream';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { createUser, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';

/**
 * Next bundles proxy.ts and the routes/actions separately, so lib/auth/refresh.ts is loaded twice
 * in one process. Here each "bundle" is its own module instance (vi.resetModules), against the
 * emulator's token endpoint:
 * - with rotation on and no grace period, a refresh in one bundle and the same cookie's refresh in
 *   the other make one call and get the same tokens (before, the second bundle used the
 *   rotated-away refresh token and got `invalid_grant`: most of the measured sign-outs);
 * - with the token endpoint stalled 30 s, two attempts in one request (proxy, then the gate) with
 *   the request's one deadline cost one wait, not two 5 s timeouts in a row.
 */

const EMAIL = 'bundles@example.com';
const PASSWORD = 'Passw0rd!x';
/** The request's budget for refreshing, as a caller would set it. */
const DEADLINE_MS = IDP_TIMEOUT_SECONDS * 1000;
/** One wait plus slack for a loaded CI machine; two waits in a row take twice DEADLINE_MS. */
const ONE_WAIT_BOUND_MS = DEADLINE_MS + 2_500;

interface Bundle {
  refreshTokens: typeof import('@/lib/auth/refresh')['refreshTokens'];
  /** The bundle's own AppError class (each bundle has its own copy of lib/errors.ts). */
  AppError: typeof import('@/lib/errors')['AppError'];
}

let emulator: EmulatorProcess;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator);
  await createUser(emulator, { email: EMAIL, password: PASSWORD });
});
afterEach(async () => {
  await emulator.hook('POST', '/_local/settings', { refreshTokenRotation: false, retryGracePeriodSeconds: 0 });
  await emulator.hook('DELETE', '/_local/faults');
});
afterAll(async () => {
  await emulator?.stop();
});

/** A fresh copy of lib/auth/refresh.ts and everything it imports, as a separate Next bundle has. */
async function loadBundle(): Promise<Bundle> {
  vi.resetModules();
  const { refreshTokens } = await import('@/lib/auth/refresh');
  const { AppError } = await import('@/lib/errors');
  return { refreshTokens, AppError };
}

async function refreshCalls(): Promise<number> {
  const stats = (await emulator.hook('GET', '/_local/stats')) as Record<string, number>;
  return stats['token:refresh_token'] ?? 0;
}

/** The code of the bundle's own AppError the work failed with (what its callers check with instanceof). */
async function codeOf(bundle: Bundle, work: Promise<unknown>): Promise<string> {
  return work.then(
    () => 'refreshed',
    (error: unknown) => (error instanceof bundle.AppError ? error.code : `not this bundle's AppError: ${String(error)}`),
  );
}

describe('two bundles of one process', () => {
  it('share one refresh of the same cookie, together or one after the other (rotation on, grace 0)', async () => {
    await emulator.hook('POST', '/_local/settings', { refreshTokenRotation: true, retryGracePeriodSeconds: 0 });
    const proxy = await loadBundle();
    const routes = await loadBundle();
    expect(routes.refreshTokens).not.toBe(proxy.refreshTokens);
    expect(routes.AppError).not.toBe(proxy.AppError);

    const together = await signIn(emulator, { email: EMAIL, password: PASSWORD });
    let before = await refreshCalls();
    const [a, b] = await Promise.all([proxy.refreshTokens(together), routes.refreshTokens(together)]);
    expect(b).toEqual(a);
    expect(await refreshCalls()).toBe(before + 1);

    const apart = await signIn(emulator, { email: EMAIL, password: PASSWORD });
    before = await refreshCalls();
    const first = await proxy.refreshTokens(apart);
    await expect(routes.refreshTokens(apart)).resolves.toEqual(first);
    expect(await refreshCalls()).toBe(before + 1);
  });

  it('with the token endpoint stalled, two attempts in one request end by its one deadline', async () => {
    const proxy = await loadBundle();
    const routes = await loadBundle();
    const current = await signIn(emulator, { email: EMAIL, password: PASSWORD });
    await emulator.hook('POST', '/_local/faults', { target: 'token', status: 200, delayMs: 30_000, times: -1 });

    const started = performance.now();
    const deadline = Date.now() + DEADLINE_MS;
    expect(await codeOf(proxy, proxy.refreshTokens(current, { deadline }))).toBe('idp_unavailable');
    expect(await codeOf(routes, routes.refreshTokens(current, { deadline }))).toBe('idp_unavailable');
    expect(performance.now() - started).toBeLessThan(ONE_WAIT_BOUND_MS);
  });
});
