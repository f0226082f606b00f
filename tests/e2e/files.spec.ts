import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { png } from '../fixtures/png.ts';
import { createUser } from '../helpers/cognito-login.ts';
import { e2eEmulator, PASSWORD, signInAs, uniqueEmail } from './support.ts';

const BIG_BYTES = 50 * 1024 * 1024;

/** Upload bandwidth while the big file goes up, so its progress is on screen long enough to see. */
const THROTTLED_UPLOAD_BYTES_PER_SECOND = 16 * 1024 * 1024;

async function signedInOnFiles(browser: Parameters<typeof signInAs>[0], label: string): Promise<Page> {
  const email = uniqueEmail(label);
  await createUser(await e2eEmulator(), { email, password: PASSWORD });
  const page = await signInAs(browser, email, '/files');
  await expect(page).toHaveURL(/\/files$/);
  await expect(page.getByTestId('files-empty')).toBeVisible();
  return page;
}

/**
 * Drops files on the page the way a person's drag from the desktop does (dragenter, dragover, drop
 * with a DataTransfer of Files). The 50 MB file is made in the page (deterministic bytes) and its
 * SHA-256 returned, so nothing that large crosses the test protocol.
 */
async function dropFiles(page: Page, small: { name: string; type: string; base64: string }[]): Promise<string> {
  return page.evaluate(
    async ({ small, bigBytes }) => {
      const big = new Uint8Array(bigBytes);
      let state = 0x2545f491;
      for (let index = 0; index < big.length; index += 4) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        big[index] = state & 0xff;
        big[index + 1] = (state >>> 8) & 0xff;
        big[index + 2] = (state >>> 16) & 0xff;
        big[index + 3] = (state >>> 24) & 0xff;
      }
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', big));
      const transfer = new DataTransfer();
      transfer.items.add(new File([big], 'big video.bin', { type: 'application/octet-stream' }));
      for (const file of small) {
        const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
        transfer.items.add(new File([bytes], file.name, { type: file.type }));
      }
      const target = document.querySelector('[data-testid="drop-zone"]') ?? document.body;
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
      }
      return [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    },
    { small, bigBytes: BIG_BYTES },
  );
}

function row(page: Page, name: string) {
  return page.getByTestId('file-row').filter({ has: page.getByRole('button', { name, exact: true }) });
}

test('drop three files (one of 50 MB, with progress), preview, download byte-identical, publish, rename and delete', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const page = await signedInOnFiles(browser, 'files');
  const photo = png(64, 48, [40, 160, 90]);
  const notes = 'Cubby notes\nline two\n';

  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: THROTTLED_UPLOAD_BYTES_PER_SECOND,
  });

  const bigSha256 = await dropFiles(page, [
    { name: 'photo.png', type: 'image/png', base64: photo.toString('base64') },
    { name: 'notes.txt', type: 'text/plain', base64: Buffer.from(notes).toString('base64') },
  ]);

  // Progress: the big file shows a partial percentage and a speed while it travels to S3.
  const bigUpload = page.getByTestId('upload-row').filter({ hasText: 'big video.bin' });
  await expect(bigUpload).toHaveAttribute('data-status', 'uploading');
  await expect(bigUpload.getByTestId('upload-percent')).toHaveText(/^([1-9]|[1-9]\d)%$/, { timeout: 20_000 });
  await expect(bigUpload).toContainText('MB/s');
  await expect(page.getByTestId('upload-row')).toHaveCount(3);
  await expect(page.getByTestId('upload-row').and(page.locator('[data-status="done"]'))).toHaveCount(3, { timeout: 60_000 });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });

  // The list: three rows, with sizes and a thumbnail for the image.
  await expect(page.getByTestId('file-row')).toHaveCount(3);
  await expect(page.getByTestId('file-count')).toHaveText('3 files');
  await expect(row(page, 'big video.bin')).toContainText('50 MB');
  await expect(row(page, 'photo.png').getByRole('img', { name: 'photo.png' })).toBeVisible();
  await expect(page.getByTestId('storage')).toContainText('50 MB of 1 GB used');

  // Image preview.
  await page.getByRole('button', { name: 'photo.png', exact: true }).click();
  const preview = page.getByTestId('preview-dialog');
  const image = preview.getByRole('img', { name: 'photo.png' });
  await expect(image).toBeVisible();
  const width = await image.evaluate(async (element: HTMLImageElement) => {
    await element.decode();
    return element.naturalWidth;
  });
  expect(width).toBe(64);
  await preview.getByRole('button', { name: 'Close' }).click();
  await expect(preview).toBeHidden();

  // Text preview.
  await page.getByRole('button', { name: 'notes.txt', exact: true }).click();
  await expect(page.getByTestId('preview')).toContainText('line two');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('preview-dialog')).toBeHidden();

  // Download: the bytes are the ones uploaded.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download big video.bin' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('big video.bin');
  const path = await download.path();
  const downloaded = await readFile(path);
  expect(downloaded.length).toBe(BIG_BYTES);
  expect(createHash('sha256').update(downloaded).digest('hex')).toBe(bigSha256);

  // Publish to the gallery on the landing page.
  await page.getByRole('button', { name: 'Publish photo.png to the gallery' }).click();
  await expect(page.getByTestId('toasts')).toContainText('Published “photo.png” to the gallery.');

  // Rename, with the extension kept selected out of the way.
  await page.getByRole('button', { name: 'Rename notes.txt' }).click();
  const rename = page.getByTestId('rename-dialog');
  await rename.getByLabel('New name').fill('../../etc/passwd');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(rename.getByRole('alert')).toHaveText('A name cannot contain / or \\.');
  await rename.getByLabel('New name').fill('meeting notes.txt');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(rename).toBeHidden();
  await expect(row(page, 'meeting notes.txt')).toBeVisible();
  await expect(row(page, 'notes.txt')).toHaveCount(0);

  // Delete, after confirming.
  await page.getByRole('button', { name: 'Delete photo.png' }).click();
  const confirm = page.getByTestId('delete-dialog');
  await expect(confirm).toContainText('photo.png');
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(row(page, 'photo.png')).toHaveCount(0);
  await expect(page.getByTestId('file-count')).toHaveText('2 files');

  // Search.
  await page.getByRole('searchbox', { name: 'Search files by name' }).fill('meeting');
  await expect(page.getByTestId('file-row')).toHaveCount(1);
  await expect(page.getByTestId('file-count')).toHaveText('1 file match “meeting”');

  // A reload shows the same files: they are in S3, not in the page.
  await page.reload();
  await expect(page.getByTestId('file-row')).toHaveCount(2);

  // The published copy stays in the gallery after the original is deleted.
  await page.goto('/');
  await expect(page.getByTestId('gallery-item').filter({ hasText: 'photo.png' })).toBeVisible();
});

test('a second person sees none of the first person’s files', async ({ browser }) => {
  const first = await signedInOnFiles(browser, 'owner');
  await first.getByTestId('file-input').setInputFiles({
    name: 'only-mine.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('private'),
  });
  await expect(row(first, 'only-mine.txt')).toBeVisible();

  const second = await signedInOnFiles(browser, 'other');
  await expect(second.getByTestId('file-row')).toHaveCount(0);
  await expect(second.getByText('only-mine.txt')).toHaveCount(0);
  await second.reload();
  await expect(second.getByTestId('files-empty')).toBeVisible();
});

test('a failed upload says why and can be retried', async ({ browser }) => {
  const page = await signedInOnFiles(browser, 'retry');
  await page.context().setOffline(true);
  await page.getByTestId('file-input').setInputFiles({ name: 'later.txt', mimeType: 'text/plain', buffer: Buffer.from('x') });
  const upload = page.getByTestId('upload-row').filter({ hasText: 'later.txt' });
  await expect(upload).toHaveAttribute('data-status', 'failed');
  await expect(upload).toContainText(/Could not reach Cubby|connection/);
  await page.context().setOffline(false);
  await upload.getByRole('button', { name: 'Retry upload of later.txt' }).click();
  await expect(upload).toHaveAttribute('data-status', 'done');
  await expect(row(page, 'later.txt')).toBeVisible();
});

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help}`);
}

test('the file manager is accessible, keyboard-driven and fits a phone', async ({ browser }) => {
  const page = await signedInOnFiles(browser, 'a11y');
  await page.getByTestId('file-input').setInputFiles([
    { name: 'photo.png', mimeType: 'image/png', buffer: png(20, 20, [10, 20, 200]) },
    { name: 'readme.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') },
  ]);
  await expect(page.getByTestId('file-row')).toHaveCount(2);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await seriousViolations(page)).toEqual([]);
  }

  // Keyboard only: focus the rename button, open the dialog, type, submit with Enter.
  await page.getByRole('button', { name: 'Rename readme.txt' }).focus();
  await page.keyboard.press('Enter');
  const rename = page.getByTestId('rename-dialog');
  await expect(rename.getByLabel('New name')).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('read me first.txt');
  await page.keyboard.press('Enter');
  await expect(row(page, 'read me first.txt')).toBeVisible();

  await page.setViewportSize({ width: 360, height: 740 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.getByLabel('Sort')).toBeVisible();
  await page.getByLabel('Sort').selectOption('name:asc');
  await expect(page.getByTestId('file-row').first()).toContainText('photo.png');
});
