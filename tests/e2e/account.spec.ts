import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { createUser } from '../helpers/cognito-login.ts';
import { E2E_APP_URL, E2E_MANAGED_LOGIN_URL } from '../helpers/e2e-env.ts';
import { e2eEmulator, PASSWORD, restoreEmulator, signInAs, submitManagedLogin, uniqueEmail } from './support.ts';

/**
 * /account as a person uses it: a new password works at the next sign-in, two-step verification
 * set up from the shown secret is asked for at the next sign-in, signing out everywhere ends
 * another browser's session, and the page is accessible in light and dark.
 */

test.afterEach(async () => restoreEmulator(await e2eEmulator()));

async function newAccount(label: string): Promise<string> {
  const email = uniqueEmail(label);
  await createUser(await e2eEmulator(), { email, password: PASSWORD });
  return email;
}

/** Signs out through the header's button and waits to be back on Cubby, signed out. */
async function signOut(page: Page): Promise<void> {
  await page.getByRole('banner').getByTestId('sign-out').click();
  await page.waitForURL(`${E2E_APP_URL}/`);
  await expect(page.getByRole('banner').getByTestId('sign-in')).toBeVisible();
}

test('a changed password is the one the next sign-in takes', async ({ browser }) => {
  const email = await newAccount('password');
  const page = await signInAs(browser, email, '/account');
  await expect(page.getByRole('heading', { name: 'Your account', exact: true })).toBeVisible();
  await page.getByLabel('Current password').fill('Not-my-passw0rd');
  await page.getByLabel('New password').fill('Brand-New-Passw0rd');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByTestId('password-status')).toHaveText('That is not your current password. Check it and try again.');

  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('New password').fill('brand-new');
  await expect(page.locator('[data-rule="uppercase"]')).toContainText('(not yet met)');
  await page.getByLabel('New password').fill('Brand-New-Passw0rd');
  await expect(page.locator('[data-rule="uppercase"]')).toContainText('(met)');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByTestId('password-status')).toHaveText(/Your password was changed/);

  await signOut(page);
  await page.goto('/auth/login?returnTo=/account');
  await submitManagedLogin(page, email, 'Brand-New-Passw0rd');
  await expect(page).toHaveURL(`${E2E_APP_URL}/account`);
  await expect(page.getByTestId('account-email')).toHaveText(email);
});

test('two-step verification set up from the shown key is asked for at the next sign-in', async ({ browser }) => {
  const email = await newAccount('totp');
  const page = await signInAs(browser, email, '/account');
  await expect(page.getByTestId('two-step-state')).toHaveText('Off');
  await page.getByRole('button', { name: 'Set up two-step verification' }).click();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' }).locator('svg')).toBeVisible();
  const key = (await page.getByTestId('totp-secret').textContent()) ?? '';
  const app = new TOTP({ secret: Secret.fromBase32(key.replace(/\s+/g, '')) });
  await page.getByLabel('Code from your app').fill(app.generate());
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByTestId('two-step-state')).toHaveText('On');

  await signOut(page);
  await page.goto('/auth/login?returnTo=/account');
  await expect(page).toHaveURL(new RegExp(`^${E2E_MANAGED_LOGIN_URL}/login`));
  await page
    .getByLabel(/email|username/i)
    .first()
    .fill(email);
  await page
    .getByLabel(/password/i)
    .first()
    .fill(PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.getByLabel('Enter the 6-digit code from your authenticator app').fill(app.generate());
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL(`${E2E_APP_URL}/account`);
  await expect(page.getByTestId('two-step-state')).toHaveText('On');
});

test('turning two-step verification off takes a fresh sign-in with a code', async ({ browser }) => {
  const emulator = await e2eEmulator();
  const email = await newAccount('totp-off');
  // Signed in ten minutes ago, as far as the app can tell (the ID token's auth_time).
  await emulator.hook('POST', '/_local/clock', { offsetSeconds: -600 });
  const page = await signInAs(browser, email, '/account');
  await page.getByRole('button', { name: 'Set up two-step verification' }).click();
  const key = (await page.getByTestId('totp-secret').textContent()) ?? '';
  const app = new TOTP({ secret: Secret.fromBase32(key.replace(/\s+/g, '')) });
  await page.getByLabel('Code from your app').fill(app.generate({ timestamp: Date.now() - 600_000 }));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByTestId('two-step-state')).toHaveText('On');
  await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });

  await expect(page.getByRole('button', { name: 'Turn off two-step verification' })).toHaveCount(0);
  await page.getByTestId('two-step-reauth').click();
  // prompt=login: managed login asks again although its own session is still live.
  await expect(page).toHaveURL(new RegExp(`^${E2E_MANAGED_LOGIN_URL}/login`));
  await page
    .getByLabel(/email|username/i)
    .first()
    .fill(email);
  await page
    .getByLabel(/password/i)
    .first()
    .fill(PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.getByLabel('Enter the 6-digit code from your authenticator app').fill(app.generate());
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL(`${E2E_APP_URL}/account#account-two-step`);
  await page.getByRole('button', { name: 'Turn off two-step verification' }).click();
  await expect(page.getByTestId('two-step-state')).toHaveText('Off');
});

test("signing out everywhere ends another browser's session", async ({ browser }) => {
  const email = await newAccount('everywhere');
  const laptop = await signInAs(browser, email, '/account');
  const phone = await signInAs(browser, email, '/account');
  await expect(phone.getByTestId('account-email')).toHaveText(email);

  await laptop.getByTestId('sign-out-everywhere').click();
  await laptop.waitForURL(`${E2E_APP_URL}/`);
  await expect(laptop.getByRole('banner').getByTestId('sign-in')).toBeVisible();

  // The phone's page is still open: its next action is refused and the page says it is signed out.
  await phone.getByLabel('Name others see').fill('Still here?');
  await phone.getByRole('button', { name: 'Save name' }).click();
  await expect(phone.getByTestId('signed-out-notice')).toBeVisible();
  await expect(phone.getByTestId('profile-status')).toHaveText(/sign in/i);
  // A page load goes through sign-in again (GlobalSignOut leaves managed login's own session, as on
  // AWS, so the phone comes back with a new session rather than stopping on the sign-in form).
  const throughSignIn = phone.waitForRequest((request) => new URL(request.url()).pathname === '/auth/login');
  await phone.goto('/account');
  await throughSignIn;
});

test('/account is accessible in light and dark', async ({ browser }) => {
  const email = await newAccount('axe');
  const page = await signInAs(browser, email, '/account');
  await page.getByRole('button', { name: 'Set up two-step verification' }).click();
  await expect(page.getByTestId('totp-secret')).toBeVisible();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
  }
});
