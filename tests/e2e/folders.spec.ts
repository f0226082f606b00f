import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { createUser } from '../helpers/cognito-login.ts';
import { e2eEmulator, PASSWORD, signInAs, uniqueEmail } from './support.ts';

/** A phone-sized window (the 360 × 740). */
const PHONE = { width: 360, height: 740 };

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help}`);
}

async function signedIn(browser: Parameters<typeof signInAs>[0], label: string): Promise<Page> {
  const email = uniqueEmail(label);
  await createUser(await e2eEmulator(), { email, password: PASSWORD });
  const page = await signInAs(browser, email, '/files');
  await expect(page).toHaveURL(/\/files$/);
  return page;
}

function folderRow(page: Page, name: string) {
  return page.getByTestId('folder-row').filter({ has: page.getByRole('link', { name, exact: true }) });
}

function fileRow(page: Page, name: string) {
  return page.getByTestId('file-row').filter({ has: page.getByRole('button', { name, exact: true }) });
}

async function newFolder(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New folder' }).click();
  const dialog = page.getByTestId('new-folder-dialog');
  await dialog.getByLabel('Folder name').fill(name);
  await dialog.getByLabel('Folder name').press('Enter');
  await expect(folderRow(page, name)).toBeVisible();
}

function crumbs(page: Page) {
  return page.getByTestId('breadcrumbs');
}

test('create folders, open them, upload into one; the URL, breadcrumbs, back and forward follow', async ({ browser }) => {
  const page = await signedIn(browser, 'folders-nav');
  await newFolder(page, 'Photos');
  await expect(page.getByTestId('toasts')).toContainText('Created the folder “Photos”.');

  // A folder that exists is never made twice.
  await page.getByRole('button', { name: 'New folder' }).click();
  const dialog = page.getByTestId('new-folder-dialog');
  await dialog.getByLabel('Folder name').fill('Photos');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByRole('alert')).toContainText('already a folder with that name');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await folderRow(page, 'Photos').getByRole('link', { name: 'Photos' }).click();
  await expect(page).toHaveURL(/\/files\/Photos$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Photos');
  await expect(crumbs(page).getByRole('link', { name: 'Your files' })).toBeVisible();
  await expect(crumbs(page).locator('[aria-current="page"]')).toHaveText('Photos');
  await expect(page.getByTestId('files-empty')).toContainText('This folder is empty');

  // A name that needs encoding in the URL, opened with the keyboard.
  const odd = '50% off 日本';
  await newFolder(page, odd);
  await folderRow(page, odd).getByRole('link', { name: odd }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(`/files/Photos/${encodeURIComponent(odd)}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(odd);

  await page
    .getByTestId('file-input')
    .setInputFiles({ name: 'beach.txt', mimeType: 'text/plain', buffer: Buffer.from('sand and sea') });
  await expect(fileRow(page, 'beach.txt')).toBeVisible();

  // The server renders the folder from the URL alone.
  await page.reload();
  await expect(fileRow(page, 'beach.txt')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  // Back and forward walk the folders; the file is only in its folder.
  await page.goBack();
  await expect(page).toHaveURL(/\/files\/Photos$/);
  await expect(folderRow(page, odd)).toBeVisible();
  await expect(fileRow(page, 'beach.txt')).toHaveCount(0);
  await page.goBack();
  await expect(page).toHaveURL(/\/files$/);
  await expect(folderRow(page, 'Photos')).toBeVisible();
  await page.goForward();
  await expect(page).toHaveURL(/\/files\/Photos$/);
  await expect(folderRow(page, odd)).toBeVisible();

  // Breadcrumbs lead back up; a search across all folders finds the file and names its folder.
  await crumbs(page).getByRole('link', { name: 'Your files' }).click();
  await expect(page).toHaveURL(/\/files$/);
  await page.getByLabel('Search all folders').check();
  await page.getByLabel('Search files by name').fill('beach');
  await expect(fileRow(page, 'beach.txt')).toBeVisible();
  await expect(fileRow(page, 'beach.txt').getByTestId('file-folder')).toHaveText(`in Photos / ${odd}`);

  // A path no folder can have is not found.
  const refused = await page.goto('/files/Photos/..%2F..');
  expect(refused?.status()).toBe(404);
});

test('a picked folder tree keeps its structure; deleting a folder says what it holds, and Undo brings it back', async ({
  browser,
}) => {
  const page = await signedIn(browser, 'folders-tree');
  const root = mkdtempSync(join(tmpdir(), 'cubby-tree-'));
  const trip = join(root, 'Trip');
  mkdirSync(join(trip, 'Pics', 'Raw'), { recursive: true });
  writeFileSync(join(trip, 'day 1.txt'), 'we left early');
  writeFileSync(join(trip, 'Pics', 'a.txt'), 'a');
  writeFileSync(join(trip, 'Pics', 'Raw', 'b.txt'), 'bb');

  await page.getByTestId('folder-input').setInputFiles(trip);
  await expect(page.getByTestId('toasts')).toContainText('Uploaded 3 files.');
  await expect(folderRow(page, 'Trip')).toBeVisible();
  await folderRow(page, 'Trip').getByRole('link', { name: 'Trip' }).click();
  await expect(page).toHaveURL(/\/files\/Trip$/);
  await expect(fileRow(page, 'day 1.txt')).toBeVisible();
  await folderRow(page, 'Pics').getByRole('link', { name: 'Pics' }).click();
  await expect(page).toHaveURL(/\/files\/Trip\/Pics$/);
  await expect(fileRow(page, 'a.txt')).toBeVisible();
  await expect(folderRow(page, 'Raw')).toBeVisible();

  // Delete the tree from the top, from the keyboard, after its counts.
  await crumbs(page).getByRole('link', { name: 'Your files' }).click();
  await expect(page).toHaveURL(/\/files$/);
  await page.getByRole('button', { name: 'Delete the folder Trip' }).focus();
  await page.keyboard.press('Enter');
  const confirm = page.getByTestId('delete-folder-dialog');
  await expect(confirm.getByTestId('delete-folder-counts')).toContainText('3 files and 2 folders inside it');
  expect(await seriousViolations(page)).toEqual([]);
  await confirm.getByRole('button', { name: 'Delete folder' }).click();
  await expect(page.getByTestId('toasts')).toContainText('Moved the folder “Trip” to the trash.');
  await expect(folderRow(page, 'Trip')).toHaveCount(0);

  // Undo brings the whole tree back.
  await page.getByTestId('toasts').getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('toasts')).toContainText('Restored the folder “Trip”.');
  await folderRow(page, 'Trip').getByRole('link', { name: 'Trip' }).click();
  await folderRow(page, 'Pics').getByRole('link', { name: 'Pics' }).click();
  await folderRow(page, 'Raw').getByRole('link', { name: 'Raw' }).click();
  await expect(fileRow(page, 'b.txt')).toBeVisible();
});

test('at 360 px a deep folder with long names scrolls nothing sideways', async ({ browser }) => {
  const page = await signedIn(browser, 'folders-phone');
  await page.setViewportSize(PHONE);
  const long = 'A rather long folder name that wraps';
  await newFolder(page, long);
  await folderRow(page, long).getByRole('link', { name: long }).click();
  await newFolder(page, 'Another long folder name inside it');
  await folderRow(page, 'Another long folder name inside it').getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Another long folder name inside it');
  await expect(crumbs(page).getByRole('link', { name: long })).toBeVisible();
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
  ).toBeLessThanOrEqual(0);
  expect(await seriousViolations(page)).toEqual([]);
});
