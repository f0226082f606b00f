import AxeBuilder from '@axe-core/playwright';
import { type Browser, expect, type Locator, type Page, test } from '@playwright/test';
import { createUser } from '../helpers/cognito-login.ts';
import { e2eEmulator, PASSWORD, submitManagedLogin, uniqueEmail } from './support.ts';

/** A phone-sized window (the 360 × 740). */
const PHONE = { width: 360, height: 740 };

/** A new person signed in, in a phone-sized window, landed on `returnTo`. */
async function phoneSignedIn(browser: Browser, label: string, returnTo: string): Promise<{ page: Page; email: string }> {
  const email = uniqueEmail(label);
  await createUser(await e2eEmulator(), { email, password: PASSWORD });
  const page = await (await browser.newContext({ viewport: PHONE })).newPage();
  await page.goto(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  await submitManagedLogin(page, email);
  return { page, email };
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help}`);
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Every visible button of `scope` lies outside every toast on screen. */
async function expectNoToastOver(page: Page, scope: Locator): Promise<void> {
  const toasts = await page
    .locator('.toast')
    .evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().toJSON() as DOMRect));
  const buttons = await scope
    .getByRole('button')
    .evaluateAll((elements) =>
      elements
        .filter((element) => element.checkVisibility())
        .map((element) => element.getBoundingClientRect().toJSON() as DOMRect),
    );
  expect(buttons.length).toBeGreaterThan(0);
  for (const toast of toasts) for (const button of buttons) expect(overlaps(toast, button)).toBe(false);
}

test('below 540 px the profile is one keyboard-reachable link away, labelled for screen readers', async ({ browser }) => {
  const { page, email } = await phoneSignedIn(browser, 'phone-header', '/files');
  const profile = page.getByRole('banner').getByRole('link', { name: `Profile: ${email}` });
  await expect(profile).toBeVisible();
  const box = await profile.boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= PHONE.width).toBe(true);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  // Every header link and button shows its whole label (no "Fi…" for Files).
  const clippedInHeader = await page
    .getByRole('banner')
    .locator('a, button')
    .evaluateAll((elements) =>
      elements.filter((element) => element.scrollWidth > element.clientWidth).map((element) => element.textContent),
    );
  expect(clippedInHeader).toEqual([]);
  // Shared links and Trash stay reachable on a phone.
  await expect(page.getByTestId('shared-links-link')).toBeVisible();
  await expect(page.getByTestId('trash-link')).toBeVisible();

  // Keyboard only: Tab from the top of the page reaches it, Enter follows it.
  await page.locator('body').focus();
  let reached = false;
  for (let step = 0; step < 8 && !reached; step += 1) {
    await page.keyboard.press('Tab');
    reached = await profile.evaluate((element) => element === document.activeElement);
  }
  expect(reached).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/profile$/);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await seriousViolations(page)).toEqual([]);
  }
});

test('on a phone, /files shows whole names and the first file without scrolling; the toast leaves the upload panel free', async ({
  browser,
}) => {
  const { page } = await phoneSignedIn(browser, 'phone-files', '/files');
  await expect(page.getByTestId('files-empty')).toBeVisible();
  const name = 'quarterly-report-for-the-board-of-directors-2025-final-v2.txt';
  await page.getByTestId('file-input').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from('numbers') });

  const row = page.getByTestId('file-row');
  await expect(row).toHaveCount(1);
  await expect(page.getByTestId('uploads-summary')).toHaveText(/1 upload complete/);
  // One line: the summary and its buttons side by side.
  const summaryBox = await page.getByTestId('uploads-summary').boundingBox();
  const showBox = await page.getByRole('button', { name: 'Show uploads' }).boundingBox();
  expect(summaryBox && showBox && showBox.y < summaryBox.y + summaryBox.height && summaryBox.y < showBox.y + showBox.height).toBe(
    true,
  );
  await expect(page.getByTestId('toasts')).toContainText(`Uploaded “${name}”.`);
  await expectNoToastOver(page, page.getByTestId('uploads'));

  // The first row is on screen at the top of the page, with its whole name.
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  const rowBox = await row.boundingBox();
  expect(rowBox).not.toBeNull();
  expect((rowBox?.y ?? Infinity) + (rowBox?.height ?? 0)).toBeLessThanOrEqual(PHONE.height);
  const button = row.getByRole('button', { name, exact: true });
  await expect(button).toBeVisible();
  const clipped = await button.evaluate((element) => element.scrollWidth > element.clientWidth);
  expect(clipped).toBe(false);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await seriousViolations(page)).toEqual([]);
  }
});
