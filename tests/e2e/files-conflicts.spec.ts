import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, type Page, type Route, test } from '@playwright/test';
import { createUser } from '../helpers/cognito-login.ts';
import { E2E_EMULATOR_URL } from '../helpers/e2e-env.ts';
import { e2eEmulator, PASSWORD, signInAs, uniqueEmail } from './support.ts';

/**
 * Two tabs of one person writing the same name at the same moment: nothing is ever replaced.
 * Each upload's PUT is a create-only write (If-None-Match: *); the one S3 refuses asks for the
 * next free name and sends again. Renames are create-only copies.
 */

function row(page: Page, name: string) {
  return page.getByTestId('file-row').filter({ has: page.getByRole('button', { name, exact: true }) });
}

function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function downloaded(page: Page, name: string): Promise<Buffer> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: `Download ${name}`, exact: true }).click(),
  ]);
  return readFile(await download.path());
}

/** Holds each tab's first S3 PUT until both tabs have one in hand, then lets both go together. */
function holdFirstPutsUntilBoth(pages: Page[]): Promise<void> {
  let release: () => void = () => {};
  const bothHeld = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held = 0;
  return Promise.all(
    pages.map((page) => {
      let first = true;
      return page.route(`${E2E_EMULATOR_URL}/**`, async (route: Route) => {
        if (route.request().method() !== 'PUT' || !first) return route.continue();
        first = false;
        held += 1;
        if (held === pages.length) release();
        await bothHeld;
        await route.continue();
      });
    }),
  ).then(() => undefined);
}

test('two tabs upload the same name at the same moment: both files exist, each byte-identical to what its tab sent', async ({
  browser,
}) => {
  const email = uniqueEmail('sametime');
  await createUser(await e2eEmulator(), { email, password: PASSWORD });
  const first = await signInAs(browser, email, '/files');
  const second = await first.context().newPage();
  await second.goto('/files');
  await expect(second.getByTestId('files-empty')).toBeVisible();
  await holdFirstPutsUntilBoth([first, second]);

  const texts = ['written by the first tab\n', 'written by the second tab, a little longer\n'];
  await Promise.all(
    [first, second].map((page, index) =>
      page
        .getByTestId('file-input')
        .setInputFiles({ name: 'same.txt', mimeType: 'text/plain', buffer: Buffer.from(texts[index] ?? '') }),
    ),
  );

  for (const page of [first, second]) {
    await expect(page.getByTestId('file-row')).toHaveCount(2);
    await expect(row(page, 'same.txt')).toBeVisible();
    await expect(row(page, 'same (1).txt')).toBeVisible();
  }
  const stored = [sha256(await downloaded(first, 'same.txt')), sha256(await downloaded(first, 'same (1).txt'))];
  expect(stored.sort()).toEqual(texts.map(sha256).sort());
});

test('renaming onto a name another tab just took says it is taken, and keeps both files', async ({ browser }) => {
  const email = uniqueEmail('renamerace');
  await createUser(await e2eEmulator(), { email, password: PASSWORD });
  const first = await signInAs(browser, email, '/files');
  await first.getByTestId('file-input').setInputFiles([
    { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('aaa\n') },
    { name: 'b.txt', mimeType: 'text/plain', buffer: Buffer.from('bbb\n') },
  ]);
  await expect(first.getByTestId('file-row')).toHaveCount(2);
  const second = await first.context().newPage();
  await second.goto('/files');
  await expect(second.getByTestId('file-row')).toHaveCount(2);

  // The second tab opens the rename dialog while the first tab takes the name.
  await second.getByRole('button', { name: 'Rename b.txt' }).click();
  const dialog = second.getByTestId('rename-dialog');
  await dialog.getByLabel('New name').fill('final.txt');
  await first.getByRole('button', { name: 'Rename a.txt' }).click();
  await first.getByTestId('rename-dialog').getByLabel('New name').fill('final.txt');
  await first.getByTestId('rename-dialog').getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(row(first, 'final.txt')).toBeVisible();

  await dialog.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(dialog).toContainText('already a file with that name');
  await dialog.getByRole('button', { name: 'Rename to “final (1).txt”' }).click();
  await expect(row(second, 'final (1).txt')).toBeVisible();
  expect((await downloaded(second, 'final.txt')).toString()).toBe('aaa\n');
  expect((await downloaded(second, 'final (1).txt')).toString()).toBe('bbb\n');
});

test('a file uploaded in one tab shows in the other tab at once, without a click', async ({ browser }) => {
  const email = uniqueEmail('othertab');
  await createUser(await e2eEmulator(), { email, password: PASSWORD });
  const first = await signInAs(browser, email, '/files');
  const second = await first.context().newPage();
  await second.goto('/files');
  await expect(second.getByTestId('files-empty')).toBeVisible();
  await first
    .getByTestId('file-input')
    .setInputFiles({ name: 'fresh.txt', mimeType: 'text/plain', buffer: Buffer.from('new\n') });
  await expect(row(second, 'fresh.txt')).toBeVisible();
  await second.reload();
  await expect(row(second, 'fresh.txt')).toBeVisible();
});
