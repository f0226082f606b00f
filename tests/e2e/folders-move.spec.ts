import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { type S3Person, signedInS3Person } from '../helpers/s3-person.ts';
import { e2eEmulator, PASSWORD, signInAs, uniqueEmail } from './support.ts';

/**
 * Moving in Chromium (lib/files/move.ts through the move actions): a file dragged onto a folder
 * row, "Move to…" with the keyboard only, renaming a folder. The person's objects are seeded with
 * their own Identity Pool credentials (folders as the S3 console makes them: a marker and files).
 */

interface Seeded {
  page: Page;
  person: S3Person;
  bucket: string;
}

async function seeded(browser: Parameters<typeof signInAs>[0], label: string, objects: Record<string, string>): Promise<Seeded> {
  const emulator = await e2eEmulator();
  const email = uniqueEmail(label);
  const person = await signedInS3Person(emulator, email, {}, PASSWORD);
  const bucket = emulator.config.bucket;
  for (const [relative, body] of Object.entries(objects)) {
    await person.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${person.home}${relative}`, Body: body }));
  }
  const page = await signInAs(browser, email, '/files');
  await expect(page).toHaveURL(/\/files$/);
  return { page, person, bucket };
}

function fileRow(page: Page, name: string) {
  return page.getByTestId('file-row').filter({ has: page.getByRole('button', { name, exact: true }) });
}

function folderRow(page: Page, name: string) {
  return page.getByTestId('folder-row').filter({ has: page.getByRole('link', { name, exact: true }) });
}

async function read({ person, bucket }: Seeded, relative: string): Promise<string> {
  const answer = await person.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${person.home}${relative}` }));
  return (await answer.Body?.transformToString()) ?? '';
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help}`);
}

test('a file dragged onto a folder row moves into it, byte-identical, and onto a breadcrumb back out', async ({ browser }) => {
  const setup = await seeded(browser, 'move-drag', { 'Docs/': '', 'notes.txt': 'my notes', 'keep.txt': 'keep' });
  const { page } = setup;
  await expect(fileRow(page, 'notes.txt')).toBeVisible();

  await fileRow(page, 'notes.txt').dragTo(folderRow(page, 'Docs'));

  await expect(page.getByTestId('toasts')).toContainText('Moved a file to “Docs”.');
  await expect(fileRow(page, 'notes.txt')).toHaveCount(0);
  await expect(fileRow(page, 'keep.txt')).toBeVisible();
  expect(await read(setup, 'Docs/notes.txt')).toBe('my notes');

  await folderRow(page, 'Docs').getByRole('link', { name: 'Docs' }).click();
  await expect(page).toHaveURL(/\/files\/Docs$/);
  await expect(fileRow(page, 'notes.txt')).toBeVisible();

  // And back out, dropped on the "Your files" breadcrumb.
  await fileRow(page, 'notes.txt').dragTo(page.getByTestId('breadcrumbs').getByRole('link', { name: 'Your files' }));
  await expect(page.getByTestId('toasts')).toContainText('Moved a file to “Your files”.');
  await expect(fileRow(page, 'notes.txt')).toHaveCount(0);
  expect(await read(setup, 'notes.txt')).toBe('my notes');
});

test('“Move to…” with the keyboard only: open a folder in the picker, Move here', async ({ browser }) => {
  const setup = await seeded(browser, 'move-keys', {
    'Projects/': '',
    'Projects/2026/': '',
    'Projects/2026/plan.txt': 'existing',
    'report.txt': 'the report',
  });
  const { page } = setup;
  await expect(fileRow(page, 'report.txt')).toBeVisible();

  await page.getByRole('button', { name: 'Move report.txt to a folder', exact: true }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('move-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('move-location')).toContainText('Your files');
  await expect(dialog.getByRole('button', { name: 'Move here' })).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);

  // Into Projects, then 2026, with Tab and Enter.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(dialog.getByRole('button', { name: /^Projects/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('move-location')).toContainText('Projects');
  await expect(dialog.getByRole('button', { name: /^2026/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('move-location')).toContainText('Projects › 2026');
  await expect(dialog.getByRole('button', { name: 'Move here' })).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('toasts')).toContainText('Moved a file to “2026”.');
  await expect(fileRow(page, 'report.txt')).toHaveCount(0);
  expect(await read(setup, 'Projects/2026/report.txt')).toBe('the report');
  expect(await read(setup, 'Projects/2026/plan.txt')).toBe('existing');
});

test('renaming a folder moves everything in it to the new name; a taken name offers the next free one', async ({ browser }) => {
  const setup = await seeded(browser, 'move-rename', {
    'Old/': '',
    'Old/a.txt': 'first',
    'Old/inner/b.txt': 'second',
    'Taken/x.txt': 'x',
  });
  const { page } = setup;
  await expect(folderRow(page, 'Old')).toBeVisible();

  await page.getByRole('button', { name: 'Rename the folder Old', exact: true }).click();
  const dialog = page.getByTestId('rename-folder-dialog');
  const name = dialog.getByLabel('New name');
  await name.fill('Taken');
  await name.press('Enter');
  await expect(dialog.getByRole('alert')).toContainText('already a folder with that name');
  await expect(dialog.getByRole('button', { name: 'Rename to “Taken (1)”' })).toBeVisible();

  await name.fill('New');
  await name.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('toasts')).toContainText('Renamed “Old” to “New”.');
  await expect(folderRow(page, 'New')).toBeVisible();
  await expect(folderRow(page, 'Old')).toHaveCount(0);
  expect(await read(setup, 'New/a.txt')).toBe('first');
  expect(await read(setup, 'New/inner/b.txt')).toBe('second');
  expect(await read(setup, 'Taken/x.txt')).toBe('x');
});

test('a move S3 interrupts says what did not move, and Resume finishes it', async ({ browser }) => {
  const emulator = await e2eEmulator();
  const setup = await seeded(browser, 'move-resume', { 'Docs/': '', 'a.txt': 'alpha', 'b.txt': 'beta' });
  const { page } = setup;
  await expect(fileRow(page, 'b.txt')).toBeVisible();
  await page.getByRole('checkbox', { name: 'Select a.txt' }).check();
  await page.getByRole('checkbox', { name: 'Select b.txt' }).check();
  try {
    // Every CopyObject (a PUT) fails until cleared.
    await emulator.hook('POST', '/_local/faults', { target: 's3', method: 'PUT', status: 503, times: -1 });
    await fileRow(page, 'a.txt').dragTo(folderRow(page, 'Docs'));
    const panel = page.getByTestId('move-panel');
    await expect(panel.getByRole('alert')).toContainText('Some items could not be moved. They are still where they were.');
    await expect(panel.getByRole('alert')).toContainText('a.txt');
    await expect(panel.getByTestId('move-progress')).toContainText('Moved 0 of 2 · 2 not moved yet');
    await expect(fileRow(page, 'a.txt')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  } finally {
    await emulator.hook('DELETE', '/_local/faults');
  }
  await page.getByTestId('move-panel').getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('toasts')).toContainText('Moved 2 items to “Docs”.');
  await expect(page.getByTestId('move-panel')).toHaveCount(0);
  await expect(fileRow(page, 'a.txt')).toHaveCount(0);
  expect(await read(setup, 'Docs/a.txt')).toBe('alpha');
  expect(await read(setup, 'Docs/b.txt')).toBe('beta');
});

test('a folder dragged onto another moves whole; “Move to…” never offers a folder’s own subfolders; fits 360 px', async ({
  browser,
}) => {
  const setup = await seeded(browser, 'move-folder', {
    'Inbox/': '',
    'Inbox/Later/': '',
    'Inbox/mail.txt': 'mail',
    'Inbox/Later/todo.txt': 'todo',
    'Archive/': '',
  });
  const { page } = setup;
  await page.setViewportSize({ width: 360, height: 740 });
  await expect(folderRow(page, 'Inbox')).toBeVisible();

  await page.getByRole('button', { name: 'Move the folder Inbox', exact: true }).click();
  const dialog = page.getByTestId('move-dialog');
  await dialog.getByRole('button', { name: /^Inbox/ }).waitFor();
  await expect(dialog.getByRole('button', { name: /^Inbox/ })).toBeDisabled();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.setViewportSize({ width: 1280, height: 800 });
  await folderRow(page, 'Inbox').dragTo(folderRow(page, 'Archive'));
  await expect(page.getByTestId('toasts')).toContainText('Moved a folder to “Archive”.');
  await expect(folderRow(page, 'Inbox')).toHaveCount(0);
  expect(await read(setup, 'Archive/Inbox/mail.txt')).toBe('mail');
  expect(await read(setup, 'Archive/Inbox/Later/todo.txt')).toBe('todo');
});
