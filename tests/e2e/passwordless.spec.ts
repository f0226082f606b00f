import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { createUser } from '../helpers/cognito-login.ts';
import { E2E_APP_URL, E2E_MANAGED_LOGIN_URL } from '../helpers/e2e-env.ts';
import { mailedCodes } from '../helpers/user-tokens.ts';
import { e2eEmulator, fillManagedLogin, PASSWORD, uniqueEmail } from './support.ts';

/**
 * Choice-based sign-in on the emulator's managed login in Chromium: a passkey added after a
 * password sign-in (Chromium's virtual authenticator through CDP) then used without the password,
 * and an emailed one-time code.
 */

async function addVirtualAuthenticator(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}

async function expectSignedIn(page: Page, context: BrowserContext): Promise<void> {
  await page.waitForURL((url) => url.origin === E2E_APP_URL);
  expect(new URL(page.url()).pathname).not.toMatch(/^\/auth\/error/);
  expect((await context.cookies(E2E_APP_URL)).length).toBeGreaterThan(0);
}

test.describe('passwordless sign-in', () => {
  test('adds a passkey after a password sign-in, then signs in with it and no password', async ({ page, context }) => {
    const emulator = await e2eEmulator();
    const email = uniqueEmail('passkey');
    await createUser(emulator, { email, password: PASSWORD });
    await emulator.hook('POST', '/_local/settings', { offerPasskeyAfterSignIn: true });
    try {
      await addVirtualAuthenticator(context, page);
      await page.goto('/auth/login');
      await expect(page).toHaveURL(new RegExp(`^${E2E_MANAGED_LOGIN_URL}/login`));
      await fillManagedLogin(page, email);
      await expect(page).toHaveURL(new RegExp(`^${E2E_MANAGED_LOGIN_URL}/passkeys/add`));
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await expectSignedIn(page, context);
    } finally {
      await emulator.hook('POST', '/_local/settings', { offerPasskeyAfterSignIn: false });
    }

    // Signed out everywhere (app and managed-login cookies gone); the authenticator stays.
    await context.clearCookies();
    await page.goto('/auth/login');
    await expect(page).toHaveURL(new RegExp(`^${E2E_MANAGED_LOGIN_URL}/login`));
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in with a passkey' })).toBeVisible();
    await page.getByRole('button', { name: 'Continue with my passkey' }).click();
    await expectSignedIn(page, context);
  });

  test('signs in with a one-time code from the mailbox', async ({ page, context }) => {
    const emulator = await e2eEmulator();
    const email = uniqueEmail('email-code');
    await createUser(emulator, { email, password: PASSWORD });
    await page.goto('/auth/login');
    await expect(page).toHaveURL(new RegExp(`^${E2E_MANAGED_LOGIN_URL}/login`));
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Email me a one-time code' }).click();
    await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
    const [code = ''] = await mailedCodes(emulator, email);
    await page.getByLabel('One-time code').fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectSignedIn(page, context);
  });
});
