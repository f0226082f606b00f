import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { png } from '../fixtures/png.ts';
import { createUser } from '../helpers/cognito-login.ts';
import { e2eEmulator, guestsReady, PASSWORD, signInAs, uniqueEmail } from './support.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help}`);
}

async function expectGone(page: Page, url: string): Promise<void> {
  const response = await page.goto(url);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'This link has expired or was removed' })).toBeVisible();
  await expect(page.getByTestId('shared-file')).toHaveCount(0);
}

// The stranger opening a link reads it as a guest; guest.spec switches guests off for a moment.
test.beforeAll(async () => {
  test.setTimeout(90_000);
  await guestsReady();
});

test('share a file as a link, open and download it with no account, revoke it: the link is then gone', async ({ browser }) => {
  const email = uniqueEmail('share');
  await createUser(await e2eEmulator(), { email, password: PASSWORD });
  const owner = await signInAs(browser, email, '/files');
  await expect(owner).toHaveURL(/\/files$/);
  const photo = png(40, 30, [200, 60, 90]);
  await owner.getByTestId('file-input').setInputFiles({ name: 'beach photo.png', mimeType: 'image/png', buffer: photo });
  const row = owner.getByTestId('file-row').filter({ hasText: 'beach photo.png' });
  await expect(row).toBeVisible();

  // Share it for a day.
  await row.getByRole('button', { name: 'Share a link to beach photo.png' }).click();
  const dialog = owner.getByTestId('share-dialog');
  await expect(dialog.getByRole('radio', { name: '7 days' })).toBeChecked();
  await dialog.getByRole('radio', { name: '1 day' }).check();
  expect(await seriousViolations(owner)).toEqual([]);
  await dialog.getByRole('button', { name: 'Create link' }).click();
  const field = dialog.getByTestId('share-url');
  await expect(field).toHaveValue(/\/s\/1d\.[a-z0-9-]+\.[0-9a-f-]{36}\.[0-9a-f]{32}$/);
  const url = await field.inputValue();
  await dialog.getByRole('button', { name: 'Done' }).click();

  // Someone with no account opens it in a fresh browser.
  const stranger = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await stranger.goto(url);
  const shared = stranger.getByTestId('shared-file');
  await expect(shared.getByRole('heading', { name: 'beach photo.png' })).toBeVisible();
  await expect(shared).toContainText(/the link works until/);
  const preview = shared.getByRole('img', { name: 'beach photo.png' });
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(40);
  expect(await seriousViolations(stranger)).toEqual([]);
  const [download] = await Promise.all([stranger.waitForEvent('download'), shared.getByTestId('shared-file-download').click()]);
  expect(download.suggestedFilename()).toBe('beach photo.png');
  expect(sha256(await readFile((await download.path()) ?? ''))).toBe(sha256(photo));

  // A guessed link (another secret) is the same "gone" page, no hint that something is near.
  await expectGone(
    stranger,
    url.replace(/[0-9a-f]{4}$/, (tail) => (tail === '0000' ? '0001' : '0000')),
  );
  expect(await seriousViolations(stranger)).toEqual([]);

  // The owner sees the link, with its end, and revokes it.
  await owner.goto('/shared-links');
  const item = owner.getByTestId('shared-link').filter({ hasText: 'beach photo.png' });
  await expect(item).toContainText(/ends/);
  await expect(item.locator('time')).toHaveAttribute('datetime', /Z$/);
  expect(await seriousViolations(owner)).toEqual([]);
  await item.getByRole('button', { name: 'Revoke the link to beach photo.png' }).click();
  await expect(owner.getByTestId('shared-links-status')).toHaveText('Revoked the link to “beach photo.png”.');
  await expect(owner.getByTestId('shared-links-empty')).toBeVisible();
  await owner.reload();
  await expect(owner.getByTestId('shared-links-empty')).toBeVisible();

  // The stranger's link is now gone.
  await expectGone(stranger, url);
});

test('a shared link page fits a phone and is keyboard-usable', async ({ browser }) => {
  const email = uniqueEmail('share-phone');
  await createUser(await e2eEmulator(), { email, password: PASSWORD });
  const owner = await signInAs(browser, email, '/files');
  const body = Buffer.from('a'.repeat(300));
  await owner.getByTestId('file-input').setInputFiles({
    name: `a-very-long-name-${'x'.repeat(120)}.txt`,
    mimeType: 'text/plain',
    buffer: body,
  });
  const row = owner.getByTestId('file-row').first();
  await expect(row).toBeVisible();
  // Keyboard: the row's Share button, Enter, the radios with arrows, Enter to create.
  await row.getByRole('button', { name: /^Share a link to / }).focus();
  await owner.keyboard.press('Enter');
  const dialog = owner.getByTestId('share-dialog');
  await expect(dialog.getByRole('radio', { name: '7 days' })).toBeFocused();
  await owner.keyboard.press('ArrowRight');
  await expect(dialog.getByRole('radio', { name: '30 days' })).toBeChecked();
  await dialog.getByRole('button', { name: 'Create link' }).focus();
  await owner.keyboard.press('Enter');
  const url = await dialog.getByTestId('share-url').inputValue();
  expect(url).toMatch(/\/s\/30d\./);

  const phone = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  await phone.goto(url);
  await expect(phone.getByTestId('shared-file-download')).toBeVisible();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
