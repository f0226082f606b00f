import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type Route, test } from '@playwright/test';
import { png } from '../fixtures/png.ts';
import { createUser } from '../helpers/cognito-login.ts';
import { E2E_EMULATOR_URL } from '../helpers/e2e-env.ts';
import { readZip } from '../helpers/zip-reader.ts';
import { e2eEmulator, PASSWORD, signInAs, uniqueEmail } from './support.ts';

/**
 * "Download as zip": the selected files, zipped in the browser from presigned S3 GETs. Chromium
 * has the File System Access API, whose save picker needs a real dialog; these tests take it away
 * (the Blob path, saved through the browser's downloads) or put an in-memory one in its place (the
 * streaming path, to see a cancel discard the partial file).
 */

const FILES = [
  { name: 'notes.txt', type: 'text/plain', bytes: Buffer.from('Cubby notes\nline two\n') },
  { name: 'photo.png', type: 'image/png', bytes: png(64, 48, [40, 160, 90]) },
  { name: 'data café.bin', type: 'application/octet-stream', bytes: randomBytes(600 * 1024) },
];

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Without `showSaveFilePicker` the zip is built as a Blob and handed to the browser's downloads. */
const WITHOUT_SAVE_PICKER = () => {
  Reflect.deleteProperty(window, 'showSaveFilePicker');
  Reflect.deleteProperty(Window.prototype, 'showSaveFilePicker');
};

/** A save picker whose "file" counts what is written and records how it ended. */
const MEMORY_SAVE_PICKER = () => {
  const disk = { bytes: 0, closed: false, aborted: false, removed: false };
  Object.assign(window, {
    zipDisk: disk,
    showSaveFilePicker: async () => ({
      createWritable: async () =>
        new WritableStream<Uint8Array>({
          write(chunk) {
            disk.bytes += chunk.byteLength;
          },
          close() {
            disk.closed = true;
          },
          abort() {
            disk.aborted = true;
          },
        }),
      remove: async () => {
        disk.removed = true;
      },
    }),
  });
};

async function uploadedFiles(browser: Parameters<typeof signInAs>[0], label: string, picker: () => void): Promise<Page> {
  const email = uniqueEmail(label);
  await createUser(await e2eEmulator(), { email, password: PASSWORD });
  const page = await signInAs(browser, email, '/files');
  await page.context().addInitScript(picker);
  await page.reload();
  await expect(page.getByTestId('files-empty')).toBeVisible();
  await page.evaluate(
    (files) => {
      const transfer = new DataTransfer();
      for (const file of files) {
        const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
        transfer.items.add(new File([bytes], file.name, { type: file.type }));
      }
      const target = document.querySelector('[data-testid="drop-zone"]') ?? document.body;
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
      }
    },
    FILES.map((file) => ({ name: file.name, type: file.type, base64: file.bytes.toString('base64') })),
  );
  await expect(page.getByTestId('file-row')).toHaveCount(FILES.length);
  return page;
}

/**
 * Selects every file with the keyboard ("Select all", or on a phone, where the list has no header
 * row, each row's checkbox) and asks for the zip with the keyboard.
 */
async function zipAllWithKeyboard(page: Page, rowByRow = false): Promise<void> {
  const boxes = rowByRow
    ? await page.getByTestId('file-row').getByRole('checkbox').all()
    : [page.getByRole('checkbox', { name: 'Select all files shown' })];
  for (const box of boxes) {
    await box.focus();
    await page.keyboard.press('Space');
    await expect(box).toBeChecked();
  }
  const button = page.getByRole('button', { name: `Download as zip (${FILES.length})` });
  await button.focus();
  await page.keyboard.press('Enter');
}

/** S3 GETs of one file, by its name in the key. */
function s3Get(name: string) {
  const path = `/${encodeURIComponent(name)}`;
  return (url: URL) => url.origin === E2E_EMULATOR_URL && url.pathname.endsWith(path);
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help}`);
}

test('select all → Download as zip: one zip whose every entry has the uploaded bytes', async ({ browser }) => {
  const page = await uploadedFiles(browser, 'zip', WITHOUT_SAVE_PICKER);
  const [download] = await Promise.all([page.waitForEvent('download'), zipAllWithKeyboard(page)]);
  expect(download.suggestedFilename()).toMatch(/^Cubby files \d{4}-\d{2}-\d{2}\.zip$/);
  const entries = readZip(await readFile(await download.path()));
  expect(entries.map((entry) => entry.name).sort()).toEqual(FILES.map((file) => file.name).sort());
  for (const file of FILES) {
    const entry = entries.find((candidate) => candidate.name === file.name);
    expect(entry && sha256(entry.bytes), file.name).toBe(sha256(file.bytes));
  }
  await expect(page.getByTestId('toasts')).toContainText(`Zipped ${FILES.length} files into “${download.suggestedFilename()}”.`);
  await expect(page.getByTestId('zip-panel')).toBeHidden();
});

test('a file that cannot be fetched ends with a retryable message and no zip; Try again makes it (360 px, axe clean)', async ({
  browser,
}) => {
  const page = await uploadedFiles(browser, 'zip-fail', WITHOUT_SAVE_PICKER);
  await page.setViewportSize({ width: 360, height: 740 });
  const broken = s3Get('notes.txt');
  await page.route(broken, (route) => (route.request().method() === 'GET' ? route.abort('connectionreset') : route.continue()));
  let downloads = 0;
  page.on('download', () => {
    downloads += 1;
  });

  await zipAllWithKeyboard(page, true);
  await expect(page.getByTestId('zip-error')).toHaveText(
    '“notes.txt” could not be downloaded, so the zip was not saved. Try again.',
  );
  expect(downloads).toBe(0);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);

  await page.unroute(broken);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('zip-panel').getByRole('button', { name: 'Try again' }).click(),
  ]);
  expect(readZip(await readFile(await download.path()))).toHaveLength(FILES.length);
  expect(downloads).toBe(1);
});

test('Cancel stops the fetches and the write, and the partial file is discarded', async ({ browser }) => {
  const page = await uploadedFiles(browser, 'zip-cancel', MEMORY_SAVE_PICKER);
  // The big file's answer is held back, so the zip is mid-way when Cancel is pressed.
  let held: Route | undefined;
  const reached = new Promise<void>((resolve) => {
    void page.route(s3Get('data café.bin'), (route) => {
      if (route.request().method() !== 'GET') return route.continue();
      held = route;
      resolve();
    });
  });
  await zipAllWithKeyboard(page);
  const panel = page.getByTestId('zip-panel');
  await expect(panel.getByRole('heading', { name: `Zipping ${FILES.length} files` })).toBeVisible();
  await reached;
  await expect(panel.getByTestId('zip-progress')).toContainText(`of ${FILES.length}`);
  expect(await seriousViolations(page)).toEqual([]);

  await panel.getByRole('button', { name: 'Cancel zip' }).click();
  await expect(page.getByTestId('toasts')).toContainText('Zip download cancelled. Nothing was saved.');
  await expect(panel).toBeHidden();
  const disk = await page.evaluate(() => (window as unknown as { zipDisk: Record<string, unknown> }).zipDisk);
  expect(disk).toMatchObject({ closed: false, aborted: true, removed: true });
  await held?.abort().catch(() => {});
});

test('a folder row and the open folder download as one zip that keeps the tree, every entry byte-identical', async ({
  browser,
}) => {
  const email = uniqueEmail('zip-folder');
  await createUser(await e2eEmulator(), { email, password: PASSWORD });
  const page = await signInAs(browser, email, '/files');
  await page.context().addInitScript(WITHOUT_SAVE_PICKER);
  await page.reload();
  await expect(page.getByTestId('files-empty')).toBeVisible();

  const tree: Record<string, Buffer> = {
    'Trip/day 1.txt': Buffer.from('we left early\n'),
    'Trip/Pics/beach.png': png(32, 24, [20, 90, 200]),
    'Trip/Pics/Raw/big café.bin': randomBytes(300 * 1024),
    'Trip/Pics/Raw/empty.txt': Buffer.alloc(0),
  };
  const root = mkdtempSync(join(tmpdir(), 'cubby-zip-tree-'));
  for (const [path, bytes] of Object.entries(tree)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), bytes);
  }
  await page.getByTestId('folder-input').setInputFiles(join(root, 'Trip'));
  await expect(page.getByTestId('toasts')).toContainText('Uploaded 4 files.');

  const expectZip = async (bytes: Buffer, expected: Record<string, Buffer>) => {
    const entries = readZip(bytes);
    expect(entries.map((entry) => entry.name).sort()).toEqual(Object.keys(expected).sort());
    for (const entry of entries) expect(sha256(entry.bytes), entry.name).toBe(sha256(expected[entry.name] ?? Buffer.alloc(1)));
  };

  // From the folder's row, with the keyboard.
  const row = page.getByTestId('folder-row').filter({ has: page.getByRole('link', { name: 'Trip', exact: true }) });
  const zipRow = row.getByRole('button', { name: 'Download the folder Trip as zip' });
  await zipRow.focus();
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(download.suggestedFilename()).toBe('Trip.zip');
  await expectZip(await readFile(await download.path()), tree);
  await expect(page.getByTestId('toasts')).toContainText('Zipped 4 files into “Trip.zip”.');

  // The folder that is open, from next to New folder: its entries start at its own name.
  await page.goto('/files/Trip/Pics');
  await expect(page.getByTestId('folder-row')).toHaveCount(1);
  const [inner] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download folder as zip' }).click(),
  ]);
  expect(inner.suggestedFilename()).toBe('Pics.zip');
  const pics = Object.fromEntries(
    Object.entries(tree)
      .filter(([path]) => path.startsWith('Trip/Pics/'))
      .map(([path, bytes]) => [path.slice('Trip/'.length), bytes]),
  );
  await expectZip(await readFile(await inner.path()), pics);
  expect(await seriousViolations(page)).toEqual([]);
});
