import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { createUser } from '../helpers/cognito-login.ts';
import { E2E_APP_URL, E2E_MANAGED_LOGIN_URL } from '../helpers/e2e-env.ts';
import { mailedCodes } from '../helpers/user-tokens.ts';
import { e2eEmulator, PASSWORD, signInAs, uniqueEmail } from './support.ts';

/** Axe's violations inside `selector`, in light and dark. */
async function violationsIn(page: Page, selector: string): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).include(selector).analyze();
    found.push(...results.violations.map((violation) => `${colorScheme} ${violation.id}: ${violation.help}`));
  }
  return found;
}

/**
 * Leaving Cubby in Chromium: download links for every file, then deleting the account behind the
 * typed email address; the person lands signed out on the landing page with a summary, and the
 * same email address can sign up again and finds none of the old files.
 */

test('deletes the account and its files; the same email signs up again to an empty cubby', async ({ browser }) => {
  const emulator = await e2eEmulator();
  const email = uniqueEmail('leaver');
  await createUser(emulator, { email, password: PASSWORD });
  const page = await signInAs(browser, email, '/files');
  await page.getByTestId('file-input').setInputFiles([
    { name: 'diary.txt', mimeType: 'text/plain', buffer: Buffer.from('dear diary') },
    { name: 'budget.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') },
  ]);
  await expect(page.getByTestId('file-row')).toHaveCount(2);

  await page.goto('/account');
  const section = page.getByTestId('delete-section');
  await section.getByTestId('download-all').click();
  const links = section.getByTestId('download-links').getByRole('link');
  await expect(links).toHaveCount(2);
  await expect(section.getByTestId('download-links')).toContainText('diary.txt');
  const href = (await links.first().getAttribute('href')) ?? '';
  const download = await page.request.get(href);
  expect(download.status()).toBe(200);
  expect(download.headers()['content-disposition']).toMatch(/^attachment/);
  expect(await violationsIn(page, '[data-testid="delete-section"]')).toEqual([]);

  // A second browser, fresh from sign-in (no action run in its session yet), deletes the account.
  const leaving = await signInAs(browser, email, '/account');
  const form = leaving.getByTestId('delete-section');
  const button = form.getByTestId('delete-account');
  await form.getByTestId('delete-confirmation').fill('DELETE');
  await expect(button).toBeDisabled();
  await form.getByTestId('delete-confirmation').fill(email.toUpperCase());
  await expect(button).toBeEnabled();
  await button.click();

  await leaving.waitForURL(`${E2E_APP_URL}/`);
  await expect(leaving.getByTestId('account-deleted')).toContainText('Your account was deleted');
  await expect(leaving.getByTestId('account-deleted')).toContainText('2 files');
  expect(await violationsIn(leaving, '[data-testid="account-deleted"]')).toEqual([]);
  expect((await leaving.context().cookies(E2E_APP_URL)).some((cookie) => cookie.name.startsWith('cubby-session'))).toBe(false);
  // The summary is shown once.
  await leaving.reload();
  await expect(leaving.getByTestId('account-deleted')).toHaveCount(0);

  // The first browser's session ended too: its next page asks for a sign-in.
  await page.goto('/files');
  await expect(page).toHaveURL(new RegExp(`^${E2E_MANAGED_LOGIN_URL}/login`));

  // Managed login forgot the person too: signing in again starts at its form, where the same address signs up anew.
  await leaving.goto('/auth/login?returnTo=%2Ffiles');
  await expect(leaving).toHaveURL(new RegExp(`^${E2E_MANAGED_LOGIN_URL}/login`));
  await leaving.getByRole('link', { name: /sign up/i }).click();
  await leaving.getByLabel('Email address').fill(email);
  await leaving.getByLabel('Password').fill(PASSWORD);
  await leaving.getByRole('button', { name: 'Sign up' }).click();
  const code = (await mailedCodes(emulator, email)).at(-1) ?? '';
  expect(code).toMatch(/^\d{6}$/);
  await leaving.getByLabel('Verification code').fill(code);
  await leaving.getByRole('button', { name: 'Confirm account' }).click();
  await leaving.waitForURL(`${E2E_APP_URL}/files`);
  await expect(leaving.getByTestId('files-empty')).toBeVisible();
  await expect(leaving.getByTestId('file-row')).toHaveCount(0);
});
