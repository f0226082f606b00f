import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ID_TOKEN_CLOCK_SKEW_SECONDS } from '@/lib/auth/id-token';
import { refreshTokens } from '@/lib/auth/refresh';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { createUser, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';

/**
 * Clock skew is one number (ID_TOKEN_CLOCK_SKEW_SECONDS): with the emulator's clock set back, it
 * issues ID tokens that are already expired by Cubby's clock, and a refresh (openid-client's
 * check, then Cubby's) accepts one expired less than the tolerance ago and refuses one expired
 * longer ago. Before, openid-client's own 30 s default refused the first.
 */

const EMAIL = 'skew@example.com';
const PASSWORD = 'Passw0rd!x';
/** The emulator's ID token lifetime, made short so the clock moves less. */
const ID_TOKEN_SECONDS = 300;

let emulator: EmulatorProcess;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator);
  await createUser(emulator, { email: EMAIL, password: PASSWORD });
  await emulator.hook('POST', '/_local/settings', { idTokenValiditySeconds: ID_TOKEN_SECONDS });
});
afterEach(async () => {
  await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
});
afterAll(async () => {
  await emulator?.stop();
});

/** Signs in fresh (each case its own tokens: refreshes are single-flight per token pair), then refreshes with Cognito's clock `behindSeconds` past the ID token's life. */
async function refreshExpiredBy(expiredSeconds: number) {
  const { idToken, refreshToken } = await signIn(emulator, { email: EMAIL, password: PASSWORD });
  await emulator.hook('POST', '/_local/clock', { offsetSeconds: -(ID_TOKEN_SECONDS + expiredSeconds) });
  return refreshTokens({ idToken, refreshToken });
}

describe(`an ID token's exp, with ${ID_TOKEN_CLOCK_SKEW_SECONDS} s of tolerated clock skew`, () => {
  it('is accepted when it expired less than the tolerance ago (beyond openid-client’s 30 s default)', async () => {
    const expiredSeconds = ID_TOKEN_CLOCK_SKEW_SECONDS - 15;
    expect(expiredSeconds).toBeGreaterThan(30);
    const refreshed = await refreshExpiredBy(expiredSeconds);
    const exp = decodeJwt(refreshed.idToken).exp ?? 0;
    expect(Math.floor(Date.now() / 1000) - exp).toBeGreaterThanOrEqual(expiredSeconds - 5);
    expect(refreshed.claims.exp).toBe(exp);
  });

  it('is refused when it expired longer than the tolerance ago', async () => {
    await expect(refreshExpiredBy(ID_TOKEN_CLOCK_SKEW_SECONDS + 30)).rejects.toMatchObject({ name: 'AppError' });
  });
});
