import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_BUCKET, LOCAL_CLIENT_ID, LOCAL_IDENTITY_POOL_ID, LOCAL_USER_POOL_ID } from '@/lib/local-defaults';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';

let emulator: EmulatorProcess;
beforeAll(async () => {
  emulator = await startEmulatorProcess();
});
afterAll(async () => {
  await emulator?.stop();
});

describe('emulator /_local hooks', () => {
  it('serves the configuration the app defaults to', () => {
    expect(emulator.config).toMatchObject({
      userPoolId: LOCAL_USER_POOL_ID,
      clientId: LOCAL_CLIENT_ID,
      identityPoolId: LOCAL_IDENTITY_POOL_ID,
      bucket: LOCAL_BUCKET,
      issuer: `${emulator.url}/${LOCAL_USER_POOL_ID}`,
      domain: emulator.url.replace('127.0.0.1', 'localhost'),
      appUrl: 'http://localhost:3000',
    });
  });

  it('changes settings, refusing unknown or mistyped fields', async () => {
    const updated = await emulator.hook('POST', '/_local/settings', { refreshTokenRotation: true, idTokenValiditySeconds: 360 });
    expect(updated).toMatchObject({ refreshTokenRotation: true, idTokenValiditySeconds: 360, allowGuests: true });
    await expect(emulator.hook('POST', '/_local/settings', { bogus: 1 })).rejects.toThrow(/unknown setting/);
    await expect(emulator.hook('POST', '/_local/settings', { allowGuests: 'yes' })).rejects.toThrow(/must be a boolean/);
  });

  it('moves the clock and resets everything', async () => {
    const moved = (await emulator.hook('POST', '/_local/clock', { offsetSeconds: 3600 })) as { now: string };
    expect(Date.parse(moved.now) - Date.now()).toBeGreaterThan(3500_000);
    await emulator.hook('POST', '/_local/reset');
    const clock = (await emulator.hook('GET', '/_local/clock')) as { offsetSeconds: number };
    expect(clock.offsetSeconds).toBe(0);
    expect(await emulator.hook('GET', '/_local/settings')).toMatchObject({ refreshTokenRotation: false });
  });

  it('accepts and clears faults', async () => {
    await expect(emulator.hook('POST', '/_local/faults', { target: 'nowhere' })).rejects.toThrow(/target must be/);
    expect(await emulator.hook('POST', '/_local/faults', { target: 'token', status: 503 })).toMatchObject({
      faults: [{ target: 'token', status: 503, delayMs: 0, times: 1 }],
    });
    expect(await emulator.hook('DELETE', '/_local/faults')).toEqual({ faults: [] });
  });
});
