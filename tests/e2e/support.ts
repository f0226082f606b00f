import { randomUUID } from 'node:crypto';
import { type Browser, expect, type Page } from '@playwright/test';
import { E2E_APP_URL, E2E_EMULATOR_URL, E2E_MANAGED_LOGIN_URL } from '../helpers/e2e-env.ts';
import { connectToEmulator, type EmulatorProcess } from '../helpers/emulator-process.ts';

export const PASSWORD = 'Correct-Horse-9';

/** The emulator the e2e stack started (playwright.config.ts), shaped like the integration helper's. */
export async function e2eEmulator(): Promise<EmulatorProcess> {
  return { url: E2E_EMULATOR_URL, ...(await connectToEmulator(E2E_EMULATOR_URL)), stop: async () => {} };
}

/** A fresh address per test, so tests never share a user. */
export function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

/** Fills and sends the managed-login form the browser is on (any emulator, any app). */
export async function fillManagedLogin(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page
    .getByLabel(/email|username/i)
    .first()
    .fill(email);
  await page
    .getByLabel(/password/i)
    .first()
    .fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
}

/** Fills the e2e stack's managed-login form the browser is on and waits to be back on Cubby. */
export async function submitManagedLogin(page: Page, email: string, password = PASSWORD): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${E2E_MANAGED_LOGIN_URL}/login`));
  await fillManagedLogin(page, email, password);
  await page.waitForURL((url) => url.origin === E2E_APP_URL);
}

/** Restores the emulator's clock, faults and token settings after a test that changed them. */
export async function restoreEmulator(emulator: EmulatorProcess): Promise<void> {
  await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
  await emulator.hook('DELETE', '/_local/faults');
  await emulator.hook('POST', '/_local/settings', {
    idTokenValiditySeconds: 3600,
    accessTokenValiditySeconds: 3600,
    refreshTokenRotation: false,
    retryGracePeriodSeconds: 0,
  });
}

/** A new browser context signed in as `email` through the managed-login page, landed on `returnTo`. */
export async function signInAs(browser: Browser, email: string, returnTo = '/'): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  await submitManagedLogin(page, email);
  return page;
}

/**
 * Waits until a signed-out visitor gets a guest identity again. After the pool refused guests (a
 * test switched them off), each app process waits a minute before asking again (lib/auth/guest.ts),
 * so a test that needs a guest (share links, the gallery) waits out what is left of that minute.
 */
export async function guestsReady(): Promise<void> {
  const emulator = await e2eEmulator();
  await emulator.hook('POST', '/_local/settings', { allowGuests: true });
  await expect
    .poll(
      async () => {
        const response = await fetch(`${E2E_APP_URL}/`, { redirect: 'manual' });
        await response.arrayBuffer();
        return response.headers.getSetCookie().some((line) => line.startsWith('cubby-guest='));
      },
      { message: 'a signed-out visitor never got a guest identity', timeout: 75_000, intervals: [1_000] },
    )
    .toBe(true);
}
