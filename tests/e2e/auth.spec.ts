import { expect, test } from '@playwright/test';
import { createUser } from '../helpers/cognito-login.ts';
import { E2E_APP_URL, E2E_MANAGED_LOGIN_URL } from '../helpers/e2e-env.ts';
import { e2eEmulator, PASSWORD, restoreEmulator, submitManagedLogin, uniqueEmail } from './support.ts';

test.describe('signing in through the managed-login pages', () => {
  test.afterEach(async () => restoreEmulator(await e2eEmulator()));

  test('a new person signs up with the emailed code and lands on their files', async ({ page }) => {
    const emulator = await e2eEmulator();
    const email = uniqueEmail('signup');
    await page.goto('/');
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
    // Cubby's sign-in page (identity providers configured), then the managed-login page.
    await page.getByRole('link', { name: 'Sign in with email' }).click();
    await expect(page).toHaveURL(new RegExp(`^${E2E_MANAGED_LOGIN_URL}/login`));
    await page.getByRole('link', { name: /sign up/i }).click();
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill('weak');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect(page.getByText(/Password did not conform with policy/)).toBeVisible();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    const mailbox = (await emulator.hook('GET', `/_local/mailbox?to=${encodeURIComponent(email)}`)) as {
      messages: { code: string | null }[];
    };
    const code = mailbox.messages.at(-1)?.code;
    expect(code).toMatch(/^\d{6}$/);
    await page.getByLabel('Verification code').fill(code ?? '');
    await page.getByRole('button', { name: 'Confirm account' }).click();
    await page.waitForURL((url) => url.origin === E2E_APP_URL);
    await expect(page).toHaveURL(`${E2E_APP_URL}/files`);
    await expect(page.getByTestId('signed-in-as')).toHaveText(email);
  });

  test('sign-in honours returnTo, keeps tokens out of page scripts, and shows the profile', async ({ page, context }) => {
    const emulator = await e2eEmulator();
    const email = uniqueEmail('returnto');
    await createUser(emulator, { email, password: PASSWORD, groups: ['editors'] });
    await page.goto('/profile?tab=details');
    await page.getByLabel('Password').fill('Wrong-password-1');
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: /sign in/i }).click();
    await expect(page.getByText('Incorrect username or password.')).toBeVisible();
    await submitManagedLogin(page, email);
    await expect(page).toHaveURL(`${E2E_APP_URL}/profile?tab=details`);
    await expect(page.getByTestId('profile-details')).toContainText(email);
    await expect(page.getByTestId('profile-details')).toContainText('editors');

    const cookies = await context.cookies(E2E_APP_URL);
    const session = cookies.filter((cookie) => cookie.name.startsWith('cubby-session'));
    expect(session.length).toBeGreaterThan(0);
    for (const cookie of session) {
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite).toBe('Lax');
      expect(cookie.path).toBe('/');
    }
    expect(cookies.some((cookie) => cookie.name.startsWith('cubby-txn-'))).toBe(false);
    const visible = await page.evaluate(() => document.cookie);
    expect(visible).not.toContain('cubby-session');
    const html = await page.content();
    expect(html).not.toMatch(/eyJ[\w-]{20,}\.[\w-]{20,}/);
  });

  test('two tabs can sign in at the same time', async ({ context }) => {
    const emulator = await e2eEmulator();
    const email = uniqueEmail('tabs');
    await createUser(emulator, { email, password: PASSWORD });
    const [first, second] = [await context.newPage(), await context.newPage()];
    await first.goto('/files');
    await second.goto('/profile');
    await expect(first).toHaveURL(new RegExp(`^${E2E_MANAGED_LOGIN_URL}/login`));
    await expect(second).toHaveURL(new RegExp(`^${E2E_MANAGED_LOGIN_URL}/login`));
    await submitManagedLogin(first, email);
    await submitManagedLogin(second, email);
    await expect(first).toHaveURL(`${E2E_APP_URL}/files`);
    await expect(second).toHaveURL(`${E2E_APP_URL}/profile`);
    await expect(second.getByTestId('profile-details')).toContainText(email);
  });

  test('sign-out ends the Cubby session and the managed-login session', async ({ page }) => {
    const emulator = await e2eEmulator();
    const email = uniqueEmail('signout');
    await createUser(emulator, { email, password: PASSWORD });
    await page.goto('/files');
    await submitManagedLogin(page, email);
    await expect(page.getByTestId('signed-in-as')).toHaveText(email);

    // Within the managed-login session a second sign-in would skip the password...
    await page.getByTestId('sign-out').click();
    await expect(page).toHaveURL(`${E2E_APP_URL}/`);
    await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
    // ...but sign-out ended it: the password is asked again.
    await page.goto('/files');
    await expect(page).toHaveURL(new RegExp(`^${E2E_MANAGED_LOGIN_URL}/login`));
    await expect(page.getByLabel('Password')).toBeVisible();
  });

  test('an expired session sends you back to sign-in and then where you were going', async ({ page }) => {
    test.setTimeout(90_000);
    const emulator = await e2eEmulator();
    const email = uniqueEmail('expired');
    await createUser(emulator, { email, password: PASSWORD });
    await emulator.hook('POST', '/_local/settings', { idTokenValiditySeconds: 120, accessTokenValiditySeconds: 120 });
    // Tokens issued 80 s ago by Cognito's clock: 40 s of their 120 left, just outside the refresh
    // margin (a quarter of the life, 30 s), so signing in and landing refresh nothing.
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: -80 });
    await page.goto('/files');
    await submitManagedLogin(page, email);
    await expect(page.getByTestId('signed-in-as')).toHaveText(email);
    // Thirty-one days later at Cognito: the refresh token has expired.
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 31 * 24 * 3600 });
    // Then the tokens come due for the app (its own clock): the next page load refreshes, and is refused.
    await page.waitForTimeout(12_000);
    await page.goto('/profile');
    await expect(page).toHaveURL(new RegExp(`^${E2E_MANAGED_LOGIN_URL}/login`));
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
    await submitManagedLogin(page, email);
    await expect(page).toHaveURL(`${E2E_APP_URL}/profile`);
  });
});
