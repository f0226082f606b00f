import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { createUser } from '../helpers/cognito-login.ts';
import { e2eEmulator, PASSWORD, signInAs, uniqueEmail } from './support.ts';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help}`);
}

async function signedInWith(
  browser: Parameters<typeof signInAs>[0],
  label: string,
  files: Record<string, string>,
): Promise<Page> {
  const email = uniqueEmail(label);
  await createUser(await e2eEmulator(), { email, password: PASSWORD });
  const page = await signInAs(browser, email, '/files');
  await expect(page).toHaveURL(/\/files$/);
  await page
    .getByTestId('file-input')
    .setInputFiles(Object.entries(files).map(([name, text]) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(text) })));
  for (const name of Object.keys(files)) await expect(row(page, name)).toBeVisible();
  return page;
}

function row(page: Page, name: string) {
  return page.getByTestId('file-row').filter({ has: page.getByRole('button', { name, exact: true }) });
}

async function deleteFile(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
  const confirm = page.getByTestId('delete-dialog');
  await expect(confirm).toContainText('moved to the trash');
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(row(page, name)).toHaveCount(0);
}

test('delete, then Undo in the toast brings the file back', async ({ browser }) => {
  const page = await signedInWith(browser, 'trash-undo', { 'notes.txt': 'my notes', 'keep.txt': 'keep' });
  await deleteFile(page, 'notes.txt');
  const toast = page.getByTestId('toasts');
  await expect(toast).toContainText('Moved “notes.txt” to the trash.');
  await expect(page.getByTestId('storage-trash')).toContainText('in Trash');
  expect(await seriousViolations(page)).toEqual([]);

  // Undo from the keyboard.
  await toast.getByRole('button', { name: 'Undo' }).focus();
  await page.keyboard.press('Enter');
  await expect(toast).toContainText('Restored.');
  await expect(row(page, 'notes.txt')).toBeVisible();
  await expect(row(page, 'keep.txt')).toBeVisible();
  await expect(page.getByTestId('storage-trash')).toHaveCount(0);

  // It is back for good: a reload reads S3, and the trash is empty.
  await page.reload();
  await expect(row(page, 'notes.txt')).toBeVisible();
  await page.getByTestId('trash-link').click();
  await expect(page).toHaveURL(/\/trash$/);
  await expect(page.getByTestId('trash-empty')).toBeVisible();
});

test('delete, open Trash, Restore onto a taken name: the next free name, nothing overwritten', async ({ browser }) => {
  const page = await signedInWith(browser, 'trash-restore', { 'report.txt': 'first draft' });
  await deleteFile(page, 'report.txt');
  // A new file takes the name meanwhile.
  await page
    .getByTestId('file-input')
    .setInputFiles({ name: 'report.txt', mimeType: 'text/plain', buffer: Buffer.from('second') });
  await expect(row(page, 'report.txt')).toBeVisible();

  await page.getByTestId('trash-link').click();
  await expect(page.getByRole('heading', { name: 'Trash', level: 1 })).toBeVisible();
  const entry = page.getByTestId('trash-entry').filter({ hasText: 'report.txt' });
  await expect(entry).toContainText('From Your files');
  await expect(entry).toContainText('30 days left');
  expect(await seriousViolations(page)).toEqual([]);

  // 360 px wide: no horizontal scroll.
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.setViewportSize({ width: 1280, height: 800 });

  await entry.getByRole('button', { name: 'Restore report.txt' }).click();
  await expect(page.getByTestId('trash-status')).toHaveText('Restored “report.txt” as “report (1).txt” (the name was taken).');
  await expect(page.getByTestId('trash-empty')).toBeVisible();

  await page.goto('/files');
  await expect(row(page, 'report.txt')).toBeVisible();
  await expect(row(page, 'report (1).txt')).toBeVisible();
  await expect(page.getByTestId('file-row')).toHaveCount(2);
});

test('Empty trash, with the keyboard, after a confirmation', async ({ browser }) => {
  const page = await signedInWith(browser, 'trash-empty', { 'a.txt': 'a', 'b.txt': 'b' });
  await deleteFile(page, 'a.txt');
  await deleteFile(page, 'b.txt');
  await page.goto('/trash');
  await expect(page.getByTestId('trash-entry')).toHaveCount(2);
  await expect(page.getByTestId('trash-count')).toContainText('2 items');

  await page.getByRole('button', { name: 'Empty trash' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('empty-trash-dialog');
  await expect(dialog).toContainText('All 2 items in the trash will be deleted for good.');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
  // Escape keeps everything.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('trash-entry')).toHaveCount(2);

  await page.getByRole('button', { name: 'Empty trash' }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Empty trash' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('trash-status')).toHaveText('Deleted 2 items for good.');
  await expect(page.getByTestId('trash-empty')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('trash-empty')).toBeVisible();
  await page.goto('/files');
  await expect(page.getByTestId('files-empty')).toBeVisible();
});
