import { expect, type Page, test } from '@playwright/test';
import { mintTokens } from '../fixtures/tokens.ts';
import { createUser } from '../helpers/cognito-login.ts';
import { E2E_APP_URL, e2eAppEnvironment } from '../helpers/e2e-env.ts';
import { mintSessionCookies } from '../helpers/session-cookie.ts';
import { e2eEmulator, PASSWORD, signInAs, submitManagedLogin, uniqueEmail } from './support.ts';

/**
 * A session that ends while /files is open (signed out in another tab, idle past the timeout)
 * must say so: a server action is never redirected to sign-in (that ended in a 405 and "Could not
 * reach Cubby"), it answers `unauthenticated`, and the page shows "signed out" with a way back.
 */

const UNREACHABLE = /could not reach cubby/i;

function row(page: Page, name: string) {
  return page.getByTestId('file-row').filter({ has: page.getByRole('button', { name, exact: true }) });
}

async function expectSignedOutNotice(page: Page): Promise<void> {
  const notice = page.getByTestId('signed-out-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('You’ve been signed out — sign in again');
  // The header no longer claims anyone is signed in.
  await expect(page.getByTestId('signed-in-as')).toHaveCount(0);
  await expect(page.getByTestId('sign-in')).toBeVisible();
  await expect(page.getByText(UNREACHABLE)).toHaveCount(0);
}

/** A person on /files with one small file in the list. */
async function onFilesWithOneFile(browser: Parameters<typeof signInAs>[0], label: string) {
  const email = uniqueEmail(label);
  await createUser(await e2eEmulator(), { email, password: PASSWORD });
  const page = await signInAs(browser, email, '/files');
  await page.getByTestId('file-input').setInputFiles({ name: 'kept.txt', mimeType: 'text/plain', buffer: Buffer.from('kept\n') });
  await expect(row(page, 'kept.txt')).toBeVisible();
  return { email, page };
}

test('signed out in another tab: an upload says so, the header follows, and "Sign in again" comes back here', async ({
  browser,
}) => {
  const { email, page: first } = await onFilesWithOneFile(browser, 'othertab');
  const second = await first.context().newPage();
  // This tab hears nothing from the other one: only the server's answer can tell it.
  await second.addInitScript(() => {
    Reflect.deleteProperty(window, 'BroadcastChannel');
  });
  await second.goto('/files?q=kept');
  await expect(row(second, 'kept.txt')).toBeVisible();

  await first.getByTestId('sign-out').click();
  await first.waitForURL(`${E2E_APP_URL}/`);

  await second
    .getByTestId('file-input')
    .setInputFiles({ name: 'late.txt', mimeType: 'text/plain', buffer: Buffer.from('late\n') });
  await expectSignedOutNotice(second);
  // Keyboard and screen-reader users land on the way out.
  await expect(second.getByTestId('sign-in-again')).toBeFocused();
  await expect(second.getByTestId('upload-row').filter({ hasText: 'late.txt' })).not.toHaveAttribute('data-status', 'done');

  await second.getByTestId('sign-in-again').click();
  await submitManagedLogin(second, email);
  await expect(second).toHaveURL(`${E2E_APP_URL}/files?q=kept`);
  await expect(row(second, 'kept.txt')).toBeVisible();
  await expect(row(second, 'late.txt')).toHaveCount(0);
  await expect(second.getByTestId('signed-in-as')).toHaveText(email);
});

test('signed out in another tab: this tab stops its uploads at once and downloads say signed out', async ({ browser }) => {
  test.setTimeout(90_000);
  const { page: first } = await onFilesWithOneFile(browser, 'broadcast');
  const second = await first.context().newPage();
  await second.goto('/files');
  await expect(row(second, 'kept.txt')).toBeVisible();

  // A 40 MB upload held back to 2 MB/s, so it is still travelling when the other tab signs out.
  const cdp = await second.context().newCDPSession(second);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 2 * 1024 * 1024,
  });
  await second
    .getByTestId('file-input')
    .setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(40 * 1024 * 1024, 7) });
  const upload = second.getByTestId('upload-row').filter({ hasText: 'big.bin' });
  await expect(upload).toHaveAttribute('data-status', 'uploading');

  await first.getByTestId('sign-out').click();
  await first.waitForURL(`${E2E_APP_URL}/`);

  await expect(second.getByTestId('signed-out-notice')).toBeVisible();
  await expect(upload).toHaveAttribute('data-status', 'cancelled');
  await row(second, 'kept.txt')
    .getByRole('button', { name: /download/i })
    .first()
    .click();
  await expectSignedOutNotice(second);
});

test('idle past the timeout: a rename says signed out instead of failing as a network error', async ({ browser }) => {
  const { page } = await onFilesWithOneFile(browser, 'idle');
  // The page stays open while the session idles out: the browser now holds a session whose last
  // activity was more than SESSION_IDLE_TIMEOUT_SECONDS (a day, as in production) ago.
  const env = e2eAppEnvironment();
  const { tokens, claims } = await mintTokens({});
  const dayAndAMinuteAgo = Date.now() - 86_400_000 - 120_000;
  const stale = await mintSessionCookies({
    tokens,
    claims,
    secret: env.SESSION_SECRET ?? '',
    appUrl: E2E_APP_URL,
    createdAt: dayAndAMinuteAgo,
    lastActiveAt: dayAndAMinuteAgo + 61_000,
  });
  await page.context().clearCookies();
  await page.context().addCookies(stale.map((cookie) => ({ ...cookie, url: E2E_APP_URL })));

  await row(page, 'kept.txt')
    .getByRole('button', { name: /rename/i })
    .first()
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox').fill('renamed.txt');
  await dialog.getByRole('button', { name: /^rename$/i }).click();
  await expectSignedOutNotice(page);
});
