import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type Route, test } from '@playwright/test';
import { png } from '../fixtures/png.ts';
import { createUser, signIn } from '../helpers/cognito-login.ts';
import { E2E_APP_URL } from '../helpers/e2e-env.ts';
import { credentialsFor } from '../helpers/identity-credentials.ts';
import { s3ClientFor } from '../helpers/s3-person.ts';
import { e2eEmulator, PASSWORD, signInAs, uniqueEmail } from './support.ts';

/** A person who published `name` to the gallery with their own credentials (straight to S3, as the app would copy it). */
async function publisher(name: string, body = png(40, 30, [30, 120, 200])): Promise<{ key: string; email: string }> {
  const emulator = await e2eEmulator();
  const email = uniqueEmail('publisher');
  await createUser(emulator, { email, password: PASSWORD });
  const { idToken } = await signIn(emulator, { email, password: PASSWORD });
  const { identityId, credentials } = await credentialsFor(emulator, idToken);
  const key = `public/${identityId}/${name}`;
  await s3ClientFor(emulator, credentials).send(
    new PutObjectCommand({
      Bucket: emulator.config.bucket,
      Key: key,
      Body: body,
      ContentType: 'image/png',
    }),
  );
  return { key, email };
}

function tile(page: Page, name: string) {
  return page.getByTestId('gallery-item').filter({ hasText: name });
}

/**
 * Reloads until the tile shows: files published straight to S3 (not through this app process)
 * appear once the shared gallery listing (kept 10 s) is read again.
 */
async function waitForTile(page: Page, name: string): Promise<void> {
  await expect(async () => {
    await page.goto('/');
    await expect(tile(page, name)).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000, intervals: [1000] });
}

async function imageLoaded(page: Page, alt: string): Promise<number> {
  const image = page.getByRole('img', { name: alt });
  await expect(image).toBeVisible();
  return image.evaluate(async (element) => {
    const img = element as HTMLImageElement;
    await img.decode();
    return img.naturalWidth;
  });
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help}`);
}

test('a guest browses the public gallery through the unauthenticated role', async ({ page }) => {
  const name = `harbour-${Date.now()}.png`;
  await publisher(name);
  await waitForTile(page, name);
  await expect(page.getByRole('heading', { name: 'Public gallery' })).toBeVisible();
  expect(await imageLoaded(page, name)).toBe(40);
  await expect(tile(page, name).getByRole('button', { name: /^Remove/ })).toHaveCount(0);
});

test('an admin removes someone else’s public file; a member cannot', async ({ browser }) => {
  const name = `moderate-${Date.now()}.png`;
  const { key } = await publisher(name);
  const emulator = await e2eEmulator();

  const memberEmail = uniqueEmail('member');
  await createUser(emulator, { email: memberEmail, password: PASSWORD });
  const member = await signInAs(browser, memberEmail);
  await waitForTile(member, name);
  await expect(tile(member, name).getByRole('button', { name: /^Remove/ })).toHaveCount(0);

  const adminEmail = uniqueEmail('admin');
  await createUser(emulator, { email: adminEmail, password: PASSWORD, groups: ['admins'] });
  const admin = await signInAs(browser, adminEmail);
  await waitForTile(admin, name);
  await tile(admin, name)
    .getByRole('button', { name: `Remove ${name} from the gallery` })
    .click();
  await tile(admin, name).getByRole('button', { name: 'Yes, remove' }).click();
  await expect(tile(admin, name)).toHaveCount(0);

  const { idToken } = await signIn(emulator, { email: memberEmail, password: PASSWORD });
  const s3 = s3ClientFor(emulator, (await credentialsFor(emulator, idToken)).credentials);
  await expect(s3.send(new HeadObjectCommand({ Bucket: emulator.config.bucket, Key: key }))).rejects.toMatchObject({
    $metadata: { httpStatusCode: 404 },
  });
});

test('a person sets, sees and removes their avatar on the profile page', async ({ browser }) => {
  const emulator = await e2eEmulator();
  const email = uniqueEmail('avatar');
  await createUser(emulator, { email, password: PASSWORD });
  const page = await signInAs(browser, email, '/profile');
  await expect(page).toHaveURL(/\/profile$/);
  await page
    .getByTestId('avatar-input')
    .setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: png(600, 400, [200, 80, 40]) });
  await expect(page.getByRole('status')).toHaveText('Your picture was updated.');
  await expect(page.getByTestId('avatar-image')).toBeVisible();
  expect(await imageLoaded(page, 'You')).toBe(256);

  await page.reload();
  await expect(page.getByTestId('avatar-image')).toBeVisible();
  await page.getByRole('button', { name: 'Remove picture' }).click();
  await expect(page.getByTestId('avatar-image')).toHaveCount(0);
});

test('a tile keeps its size while its image loads, and a click opens a viewer with Download that Esc closes', async ({
  page,
}) => {
  const name = `tall-${Date.now()}.png`;
  await publisher(name, png(40, 160, [200, 60, 90]));
  await waitForTile(page, name);

  // Hold the image's bytes, measure the placeholder, let them through, measure again.
  const held: Route[] = [];
  const theImage = (url: URL) => !url.href.startsWith(E2E_APP_URL) && url.pathname.endsWith(encodeURIComponent(name));
  await page.route(theImage, (route) => {
    held.push(route);
  });
  await page.reload();
  const preview = tile(page, name).getByTestId('gallery-preview');
  await expect(preview).toBeVisible();
  await expect.poll(() => held.length).toBeGreaterThan(0);
  const before = await preview.boundingBox();
  expect(before?.height).toBeGreaterThan(0);
  for (const route of held.splice(0)) await route.continue();
  await page.unroute(theImage);
  expect(await imageLoaded(page, name)).toBe(40);
  const after = await preview.boundingBox();
  expect(after).toEqual(before);

  // The viewer: an accessible dialog with the image, the name and a Download button.
  await preview.click();
  const viewer = page.getByRole('dialog', { name });
  await expect(viewer).toBeVisible();
  await expect(page).toHaveURL(/\/(#.*|\?.*)?$/);
  expect(
    await viewer
      .getByRole('img', { name })
      .evaluate((element: HTMLImageElement) => element.decode().then(() => element.naturalWidth)),
  ).toBe(40);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await seriousViolations(page)).toEqual([]);
  }
  const [download] = await Promise.all([page.waitForEvent('download'), viewer.getByRole('link', { name: 'Download' }).click()]);
  expect(download.suggestedFilename()).toBe(name);
  await page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();
  await expect(tile(page, name).getByRole('button', { name: `View ${name}` })).toBeFocused();
});

test('long gallery names wrap on a phone, with no sideways scroll', async ({ page }) => {
  const name = `a-photo-with-a-name-far-too-long-for-one-line-of-a-phone-screen-${Date.now()}.png`;
  await publisher(name);
  await page.setViewportSize({ width: 360, height: 740 });
  await waitForTile(page, name);
  const label = tile(page, name).getByText(name, { exact: true });
  await expect(label).toBeVisible();
  expect(await label.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
  ).toBeLessThanOrEqual(0);
});
