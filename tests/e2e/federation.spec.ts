import AxeBuilder from '@axe-core/playwright';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { E2E_APP_URL, E2E_EMULATOR_URL, E2E_MANAGED_LOGIN_URL } from '../helpers/e2e-env.ts';
import { uniqueEmail } from './support.ts';

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Signing in through the user pool's identity providers (issue 14), as a person does it in
 * Chromium: Cubby's sign-in page, the emulated provider's own page, back on Cubby. The e2e app
 * runs with the emulator's providers (lib/local-defaults.ts): Google (a button), Acme (OIDC,
 * acme.example) and Globex (SAML, globex.example).
 */

/** The emulated providers' pages live on the emulator's origin under /_idp/<slug>/. */
function onProviderPage(page: Page, slug: 'google' | 'acme' | 'globex'): Promise<void> {
  return expect(page).toHaveURL(new RegExp(`^${literal(E2E_EMULATOR_URL)}/_idp/${slug}/`));
}

/** The profile's "Signed in with" value. */
function signedInWith(page: Page) {
  return page
    .getByTestId('profile-details')
    .locator('div')
    .filter({ has: page.locator('dt', { hasText: 'Signed in with' }) })
    .locator('dd');
}

/** Fills the emulated provider's sign-in page (email and name) and continues back to Cubby. */
async function continueAtProvider(page: Page, email: string, name: string): Promise<void> {
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/name/i).fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.origin === E2E_APP_URL);
}

/** A new browser signed in with "Continue with Google" as `email`, landed on /files. */
async function signInWithGoogle(browser: Browser, email: string, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/');
  await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${E2E_APP_URL}/sign-in?returnTo=%2Ffiles`);
  await page.getByRole('link', { name: 'Continue with Google' }).click();
  await onProviderPage(page, 'google');
  await continueAtProvider(page, email, name);
  await expect(page).toHaveURL(`${E2E_APP_URL}/files`);
  await expect(page.getByTestId('signed-in-as')).toHaveText(email);
  return page;
}

/** Cubby's sign-in page, company account: types `email` and continues. */
async function continueWithCompany(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in?returnTo=%2Ffiles');
  await page.getByLabel('Work email').fill(email);
  await page.getByRole('button', { name: 'Continue with your company account' }).click();
}

test.describe('signing in with an identity provider', () => {
  test('Continue with Google: files are that person’s own, the profile says Google and shows its picture, sign-out ends it', async ({
    browser,
  }) => {
    const first = uniqueEmail('google-one');
    const page = await signInWithGoogle(browser, first, 'Grace Google');

    await page.getByTestId('file-input').setInputFiles({
      name: 'from-google.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('only for the first Google person'),
    });
    await expect(page.getByTestId('file-row').filter({ hasText: 'from-google.txt' })).toBeVisible();

    const profile = await page.goto('/profile');
    await expect(signedInWith(page)).toHaveText('Google');
    // No avatar of their own: the provider's picture, from the one origin the profile's CSP allows for it.
    const picture = page.getByTestId('provider-picture');
    await expect(picture).toHaveAttribute('src', new RegExp(`^${literal(E2E_EMULATOR_URL)}/_idp/google/`));
    await expect(picture).toHaveAttribute('referrerpolicy', 'no-referrer');
    await expect
      .poll(() => picture.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth))
      .toBeGreaterThan(0);
    const imgSrc = /img-src ([^;]+)/.exec(profile?.headers()['content-security-policy'] ?? '')?.[1] ?? '';
    expect(imgSrc.split(' ')).toContain(E2E_EMULATOR_URL);

    await page.getByRole('banner').getByTestId('sign-out').click();
    await expect(page).toHaveURL(`${E2E_APP_URL}/`);
    await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
    await page.goto('/files');
    await expect(page).not.toHaveURL(`${E2E_APP_URL}/files`);

    const second = await signInWithGoogle(browser, uniqueEmail('google-two'), 'Gus Google');
    await expect(second.getByTestId('files-empty')).toBeVisible();
    await expect(second.getByText('from-google.txt')).toHaveCount(0);
    await second.goto('/profile');
    await expect(signedInWith(second)).toHaveText('Google');
  });

  test('company account: an email at acme.example goes to Acme (OIDC) and back, returnTo kept', async ({ page }) => {
    const email = uniqueEmail('acme').replace('@example.com', '@acme.example');
    await page.goto('/sign-in?returnTo=%2Fprofile');
    await page.getByLabel('Work email').fill(email);
    await page.getByRole('button', { name: 'Continue with your company account' }).click();
    await onProviderPage(page, 'acme');
    await continueAtProvider(page, email, 'Ada Acme');
    await expect(page).toHaveURL(`${E2E_APP_URL}/profile`);
    await expect(page.getByTestId('signed-in-as')).toHaveText(email);
    await expect(signedInWith(page)).toHaveText('Acme Corp');
  });

  test('company account: an email at globex.example signs in through Globex (SAML)', async ({ page }) => {
    const email = uniqueEmail('globex').replace('@example.com', '@globex.example');
    await continueWithCompany(page, email);
    await onProviderPage(page, 'globex');
    await continueAtProvider(page, email, 'Gil Globex');
    await expect(page).toHaveURL(`${E2E_APP_URL}/files`);
    await expect(page.getByTestId('signed-in-as')).toHaveText(email);
    await page.goto('/profile');
    await expect(signedInWith(page)).toHaveText('Globex');
  });

  test('an unknown company domain is answered on the sign-in page, and nothing goes to Cognito', async ({ page }) => {
    const toEmulator: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).origin !== E2E_APP_URL) toEmulator.push(request.url());
    });
    await continueWithCompany(page, 'ian@initech.example');
    await expect(page.getByTestId('sign-in-problem')).toHaveText(
      'No company sign-in is set up for initech.example. Check the address, or sign in with email.',
    );
    await expect(page).toHaveURL(new RegExp(`^${literal(E2E_APP_URL)}/sign-in\\?`));
    expect(toEmulator).toEqual([]);
  });

  test('a provider that is not configured is refused by /auth/login with a message, before Cognito', async ({ page }) => {
    for (const provider of ['Evil', 'google', 'COGNITO']) {
      await page.goto(`/auth/login?provider=${provider}&returnTo=%2Ffiles`);
      await expect(page).toHaveURL(`${E2E_APP_URL}/sign-in?returnTo=%2Ffiles&problem=unknown_provider`);
      await expect(page.getByTestId('sign-in-problem')).toHaveText(
        'That sign-in option is not available here. Choose one of the options below.',
      );
    }
  });

  test('the sign-in page offers Google, a company account and email, and is accessible', async ({ page }) => {
    await page.goto('/sign-in');
    await expect(page.getByRole('heading', { name: 'Sign in to Cubby' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Continue with Google' })).toHaveAttribute(
      'href',
      '/auth/login?provider=Google&returnTo=%2Ffiles',
    );
    await expect(page.getByRole('link', { name: /Acme|Globex/ })).toHaveCount(0);
    await page.getByRole('link', { name: 'Sign in with email' }).click();
    await expect(page).toHaveURL(new RegExp(`^${literal(E2E_MANAGED_LOGIN_URL)}/login\\?`));
    await page.goto('/sign-in');
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations).toEqual([]);
  });
});
