import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { MANAGED_LOGIN_SETTINGS } from '../../lib/branding/managed-login.ts';
import { createUser } from '../helpers/cognito-login.ts';
import { E2E_APP_URL, E2E_MANAGED_LOGIN_URL } from '../helpers/e2e-env.ts';
import { e2eEmulator, PASSWORD, restoreEmulator, uniqueEmail } from './support.ts';

/** `rrggbbaa` (opaque) → the `rgb(r, g, b)` getComputedStyle reports. */
function rgb(color: string): string {
  const [r, g, b] = [0, 2, 4].map((at) => Number.parseInt(color.slice(at, at + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

/** Collects CSP violations the page reports in its console. */
function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

async function openSignIn(page: Page): Promise<void> {
  await page.goto('/auth/login?returnTo=/files');
  await expect(page).toHaveURL(new RegExp(`^${E2E_MANAGED_LOGIN_URL}/login`));
}

async function openSignUp(page: Page): Promise<void> {
  await openSignIn(page);
  await page.getByRole('link', { name: /sign up/i }).click();
  await expect(page.getByRole('heading', { name: 'Sign up' })).toBeVisible();
}

test.describe("managed-login pages in Cubby's branding", () => {
  test.afterEach(async () => restoreEmulator(await e2eEmulator()));

  test('show the password on request, under the pages’ own CSP', async ({ page }) => {
    const violations = cspViolations(page);
    await openSignIn(page);
    const password = page.locator('#password');
    await password.fill('Secret-Passw0rd');
    await expect(password).toHaveAttribute('type', 'password');
    const toggle = page.getByRole('button', { name: 'Show password' });
    await toggle.click();
    await expect(password).toHaveAttribute('type', 'text');
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(password).toHaveValue('Secret-Passw0rd');
    await toggle.click();
    await expect(password).toHaveAttribute('type', 'password');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(violations).toEqual([]);
  });

  test('list every password rule on sign-up and tick each as it is met', async ({ page }) => {
    await openSignUp(page);
    const rules = page.locator('[data-password-rules] li');
    await expect(rules).toHaveText([/At least 8 characters/, /A lower-case letter/, /An upper-case letter/, /A number/]);
    const met = () => rules.evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.met));
    await expect.poll(met).toEqual(['false', 'false', 'false', 'false']);
    const password = page.locator('#password');
    await password.pressSequentially('ab');
    await expect.poll(met).toEqual(['false', 'true', 'false', 'false']);
    await password.pressSequentially('cdefG');
    await expect.poll(met).toEqual(['false', 'true', 'true', 'false']);
    await password.pressSequentially('1');
    await expect.poll(met).toEqual(['true', 'true', 'true', 'true']);
    await page.getByRole('button', { name: 'Show password' }).click();
    await expect(password).toHaveAttribute('type', 'text');
  });

  test('name every rule a weak password fails', async ({ page }) => {
    await openSignUp(page);
    await page.getByLabel('Email address').fill(uniqueEmail('weak'));
    await page.locator('#password').fill('weak');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect(page.getByRole('alert')).toHaveText(
      'Password did not conform with policy: Password not long enough; Password must have uppercase characters; ' +
        'Password must have numeric characters',
    );
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`use Cubby's ${colorScheme} colours, logo and favicon, accessibly`, async ({ page }) => {
      const violations = cspViolations(page);
      await page.emulateMedia({ colorScheme });
      await openSignUp(page);
      const mode = colorScheme === 'dark' ? 'darkMode' : 'lightMode';
      const { pageBackground, form, primaryButton } = MANAGED_LOGIN_SETTINGS.components;
      await expect(page.locator('body')).toHaveCSS('background-color', rgb(pageBackground[mode].color));
      await expect(page.locator('main')).toHaveCSS('background-color', rgb(form[mode].backgroundColor));
      await expect(page.getByRole('button', { name: 'Sign up' })).toHaveCSS(
        'background-color',
        rgb(primaryButton[mode].defaults.backgroundColor),
      );
      const logo = page.getByRole('img', { name: 'Cubby' });
      await expect(logo).toBeVisible();
      expect(await logo.evaluate((image) => (image as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
      expect(serious.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
      expect(violations).toEqual([]);
    });
  }

  test('serve a favicon from the emulator for every icon the pages link', async ({ page }) => {
    await openSignIn(page);
    const hrefs = await page
      .locator('link[rel="icon"]')
      .evaluateAll((links) => links.map((link) => (link as HTMLLinkElement).href));
    expect(hrefs).toContain(`${E2E_MANAGED_LOGIN_URL}/favicon.ico`);
    for (const href of hrefs) {
      const response = await page.request.get(href);
      expect(response.status(), href).toBe(200);
      expect(response.headers()['content-type'], href).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon|svg\+xml)/);
      expect((await response.body()).length).toBeGreaterThan(0);
    }
  });

  test('link the confirm page to the emulator’s mailbox, where the code was "sent"', async ({ page }) => {
    const email = uniqueEmail('mailbox');
    await openSignUp(page);
    await page.getByLabel('Email address').fill(email);
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect(page.getByRole('heading', { name: 'Confirm your account' })).toBeVisible();
    await expect(page.getByText(/no real email is sent/)).toBeVisible();
    const [mailbox] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('link', { name: `open the mailbox for ${email}` }).click(),
    ]);
    await expect(mailbox).toHaveURL(`${E2E_MANAGED_LOGIN_URL}/_local/mailbox?to=${encodeURIComponent(email)}`);
    const code = (await mailbox.locator('tbody tr').first().locator('strong').textContent()) ?? '';
    expect(code).toMatch(/^\d{6}$/);
    await page.getByLabel('Verification code').fill(code);
    await page.getByRole('button', { name: 'Confirm account' }).click();
    await page.waitForURL((url) => url.origin === E2E_APP_URL);
    await expect(page.getByTestId('signed-in-as')).toHaveText(email);
  });

  test('answer the 6th attempt after 5 wrong passwords with a kind "wait" message', async ({ page }) => {
    const emulator = await e2eEmulator();
    const email = uniqueEmail('lockout');
    await createUser(emulator, { email, password: PASSWORD });
    await openSignIn(page);
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await page.getByLabel('Email address').fill(email);
      await page.locator('#password').fill(`Wrong-passw0rd-${attempt}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert')).toHaveText('Incorrect username or password.');
    }
    // The first lockout lasts 1 s: the clock goes back so the 6th attempt lands inside it however slow this machine is.
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: -30 });
    await page.getByLabel('Email address').fill(email);
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText(/^Too many failed attempts\. Wait \d+ seconds and try again\.$/);
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 2 });
    await page.getByLabel('Email address').fill(email);
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.origin === E2E_APP_URL);
    await expect(page.getByTestId('signed-in-as')).toHaveText(email);
  });
});
