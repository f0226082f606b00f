import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, expect, type Page, type Route, test } from '@playwright/test';
import { png } from '../fixtures/png.ts';
import { createUser, signIn } from '../helpers/cognito-login.ts';
import { E2E_APP_URL } from '../helpers/e2e-env.ts';
import { credentialsFor } from '../helpers/identity-credentials.ts';
import { s3ClientFor } from '../helpers/s3-person.ts';
import { e2eEmulator, PASSWORD, signInAs, uniqueEmail } from './support.ts';

async function signedInOnFiles(browser: Browser, label: string): Promise<{ page: Page; email: string }> {
  const email = uniqueEmail(label);
  await createUser(await e2eEmulator(), { email, password: PASSWORD });
  const page = await signInAs(browser, email, '/files');
  await expect(page).toHaveURL(/\/files$/);
  await expect(page.getByTestId('files-empty')).toBeVisible();
  return { page, email };
}

function row(page: Page, name: string) {
  return page.getByTestId('file-row').filter({ has: page.getByRole('button', { name, exact: true }) });
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help}`);
}

/** Holds matching requests until released, one by one, in arrival order. */
function gate(page: Page, matches: (route: Route) => boolean) {
  const held: Route[] = [];
  const waiting: (() => void)[] = [];
  let open = false;
  void page.route('**/*', async (route) => {
    if (open || !matches(route)) return route.fallback();
    held.push(route);
    waiting.shift()?.();
  });
  return {
    /** Resolves once at least `count` requests are held. */
    async held(count: number): Promise<void> {
      while (held.length < count) await new Promise<void>((resolve) => waiting.push(resolve));
    },
    async releaseOne(): Promise<void> {
      await held.shift()?.continue();
    },
    async releaseAll(): Promise<void> {
      open = true;
      for (const route of held.splice(0)) await route.continue();
    },
  };
}

const isS3Put = (route: Route) => route.request().method() === 'PUT' && !route.request().url().startsWith(E2E_APP_URL);

test('a batch of uploads gives one toast, then folds into a one-line summary whose rows say Done', async ({ browser }) => {
  const { page } = await signedInOnFiles(browser, 'batch');
  const puts = gate(page, isS3Put);
  const names = ['one.txt', 'two.txt', 'three.txt'];
  await page
    .getByTestId('file-input')
    .setInputFiles(names.map((name) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(`body of ${name}`) })));
  await puts.held(3);

  // The first file arrives and is listed; the batch is not finished, so no toast yet.
  await puts.releaseOne();
  await expect(row(page, 'one.txt')).toBeVisible();
  await expect(page.getByTestId('upload-row').filter({ hasText: 'one.txt' })).toHaveAttribute('data-status', 'done');
  // Read once, not retried: a toast shown now would be gone again within an expect's retry window.
  expect(await page.locator('.toast').count()).toBe(0);

  await puts.releaseAll();
  await expect(page.getByTestId('file-row')).toHaveCount(3);
  const summary = page.getByTestId('uploads-summary');
  await expect(summary).toHaveText('3 uploads complete');
  await expect(page.locator('.toast')).toHaveCount(1);
  await expect(page.locator('.toast')).toHaveText('Uploaded 3 files.');
  await expect(page.getByTestId('upload-row').filter({ visible: true })).toHaveCount(0);

  // Expand: every row says Done, with no speed or time left.
  const uploads = page.getByTestId('uploads');
  await uploads.getByRole('button', { name: 'Show uploads' }).click();
  await expect(page.getByTestId('upload-row').filter({ visible: true })).toHaveCount(3);
  for (const upload of await page.getByTestId('upload-row').all()) {
    await expect(upload).toContainText('Done');
    await expect(upload).not.toContainText('MB/s');
    await expect(upload).not.toContainText('left');
  }
  await uploads.getByRole('button', { name: 'Hide uploads' }).click();
  await expect(page.getByTestId('upload-row').filter({ visible: true })).toHaveCount(0);
  await uploads.getByRole('button', { name: 'Dismiss uploads' }).click();
  await expect(uploads).toBeHidden();
});

test('a row whose bytes are all sent waits as “Finishing”, not “0 s left”, then says Done', async ({ browser }) => {
  const { page } = await signedInOnFiles(browser, 'finishing');
  // completeUpload is the server action whose only argument is the key of the file.
  const completes = gate(
    page,
    (route) => route.request().method() === 'POST' && /^\[\{"key":"private\/[^"]+"\}\]$/.test(route.request().postData() ?? ''),
  );
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 1024 * 1024,
  });
  await page
    .getByTestId('file-input')
    .setInputFiles({ name: 'slow.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(1536 * 1024, 7) });
  const upload = page.getByTestId('upload-row').filter({ hasText: 'slow.bin' });
  await expect(upload).toContainText('MB/s', { timeout: 20_000 });
  await completes.held(1);
  await expect(upload.getByTestId('upload-percent')).toHaveText('100%');
  await expect(upload).toContainText('Finishing');
  await expect(upload).not.toContainText('MB/s');
  await expect(upload).not.toContainText('left');
  await completes.releaseAll();
  await expect(page.getByTestId('uploads-summary')).toHaveText('1 upload complete');
});

test('publish marks the row Public, a stale tab is told it already is, and Unpublish takes it out of the gallery', async ({
  browser,
}) => {
  const { page, email } = await signedInOnFiles(browser, 'publish');
  await page.getByTestId('file-input').setInputFiles([
    { name: 'sunrise.png', mimeType: 'image/png', buffer: png(30, 20, [220, 120, 40]) },
    { name: 'private.txt', mimeType: 'text/plain', buffer: Buffer.from('mine only') },
  ]);
  await expect(page.getByTestId('file-row')).toHaveCount(2);
  // Stale like a tab on another device: it does not hear this browser's "files changed" nudge.
  const stale = await page.context().newPage();
  await stale.addInitScript(() => {
    Reflect.deleteProperty(window, 'BroadcastChannel');
  });
  await stale.goto('/files');
  await expect(stale.getByTestId('file-row')).toHaveCount(2);

  const sunrise = row(page, 'sunrise.png');
  await expect(sunrise.getByTestId('public-marker')).toHaveCount(0);
  await sunrise.getByRole('button', { name: 'Publish sunrise.png to the gallery' }).click();
  await expect(page.getByTestId('toasts')).toContainText('Published “sunrise.png” to the gallery.');
  await expect(sunrise.getByTestId('public-marker')).toHaveText('Public');
  await expect(row(page, 'private.txt').getByTestId('public-marker')).toHaveCount(0);
  await expect(sunrise.getByRole('button', { name: 'Publish sunrise.png to the gallery' })).toHaveCount(0);
  await expect(sunrise.getByRole('button', { name: 'Unpublish sunrise.png from the gallery' })).toBeVisible();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await seriousViolations(page)).toEqual([]);
  }

  // The other tab still offers Publish; the server says it is already public and the row catches up.
  await row(stale, 'sunrise.png').getByRole('button', { name: 'Publish sunrise.png to the gallery' }).click();
  await expect(stale.getByTestId('toasts')).toContainText('“sunrise.png” is already in the gallery.');
  await expect(stale.getByTestId('toasts')).not.toContainText('Published');
  await expect(row(stale, 'sunrise.png').getByTestId('public-marker')).toHaveText('Public');

  // A reload reads the marker from S3.
  await page.reload();
  await expect(row(page, 'sunrise.png').getByTestId('public-marker')).toHaveText('Public');

  await row(page, 'sunrise.png').getByRole('button', { name: 'Unpublish sunrise.png from the gallery' }).click();
  await expect(page.getByTestId('toasts')).toContainText('Removed “sunrise.png” from the gallery.');
  await expect(row(page, 'sunrise.png').getByTestId('public-marker')).toHaveCount(0);
  await expect(row(page, 'sunrise.png').getByRole('button', { name: 'Publish sunrise.png to the gallery' })).toBeVisible();

  const emulator = await e2eEmulator();
  const { idToken } = await signIn(emulator, { email, password: PASSWORD });
  const { identityId, credentials } = await credentialsFor(emulator, idToken);
  const s3 = s3ClientFor(emulator, credentials);
  await expect(
    s3.send(new HeadObjectCommand({ Bucket: emulator.config.bucket, Key: `public/${identityId}/sunrise.png` })),
  ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  await page.goto('/');
  await expect(page.getByTestId('gallery-item').filter({ hasText: 'sunrise.png' })).toHaveCount(0);

  // Published outside this app process (another instance, another tool): /files learns it from S3.
  await s3.send(
    new PutObjectCommand({ Bucket: emulator.config.bucket, Key: `public/${identityId}/private.txt`, Body: 'mine only' }),
  );
  await expect(async () => {
    await page.goto('/files');
    await expect(row(page, 'private.txt').getByTestId('public-marker')).toHaveText('Public', { timeout: 1000 });
  }).toPass({ timeout: 30_000, intervals: [1000] });
});

test('only the active sort column shows an arrow', async ({ browser }) => {
  const { page } = await signedInOnFiles(browser, 'arrows');
  await page.getByTestId('file-input').setInputFiles({ name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('a') });
  await expect(page.getByTestId('file-row')).toHaveCount(1);
  const header = (name: string) => page.getByRole('columnheader', { name: new RegExp(`^${name}`) }).getByRole('button');
  await expect(header('Modified')).toContainText('↓');
  await expect(header('Name')).not.toContainText(/[↑↓↕]/);
  await expect(header('Size')).not.toContainText(/[↑↓↕]/);
  await header('Name').click();
  await expect(header('Name')).toContainText('↑');
  await expect(header('Modified')).not.toContainText(/[↑↓↕]/);
  await expect(header('Size')).not.toContainText(/[↑↓↕]/);
});
