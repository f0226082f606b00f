import { expect, test } from '@playwright/test';
import { createUser } from '../helpers/cognito-login.ts';
import { e2eEmulator, PASSWORD, signInAs, uniqueEmail } from './support.ts';

/**
 * The per-person action limit (RATE_LIMIT_ACTIONS, 300 per 10 s by default) is for runaway
 * clients, not for people: 60 files dropped at once (a createUpload and a completeUpload each,
 * list refreshes, thumbnails) all arrive, and nobody is told to wait.
 */
test('60 files dropped at once all upload, with no "too many requests"', async ({ browser }) => {
  test.setTimeout(120_000);
  const email = uniqueEmail('sixty');
  await createUser(await e2eEmulator(), { email, password: PASSWORD });
  const page = await signInAs(browser, email, '/files');
  await expect(page.getByTestId('files-empty')).toBeVisible();
  await page.getByTestId('file-input').setInputFiles(
    Array.from({ length: 60 }, (_, index) => ({
      name: `photo-${String(index).padStart(2, '0')}.txt`,
      mimeType: 'text/plain',
      buffer: Buffer.from(`file ${index}\n`),
    })),
  );
  await expect(page.getByTestId('toasts')).toContainText('Uploaded 60 files.', { timeout: 60_000 });
  await expect(page.getByText(/too many requests/i)).toHaveCount(0);
  await page.reload();
  await expect(page.getByText('60 files')).toBeVisible();
});
