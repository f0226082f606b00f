import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { expect, type Page, test } from '@playwright/test';
import { png } from '../fixtures/png.ts';
import { createUser, signIn } from '../helpers/cognito-login.ts';
import { credentialsFor } from '../helpers/identity-credentials.ts';
import { s3ClientFor } from '../helpers/s3-person.ts';
import { e2eEmulator, PASSWORD, signInAs, uniqueEmail } from './support.ts';

/** A person who published `name` to the gallery with their own credentials (straight to S3, as the app would copy it). */
async function publisher(name: string): Promise<{ key: string; email: string }> {
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
      Body: png(40, 30, [30, 120, 200]),
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

test('a guest browses the public gallery through the unauthenticated role', async ({ page }) => {
  const name = `harbour-${Date.now()}.png`;
  await publisher(name);
  await waitForTile(page, name);
  await expect(page.getByRole('heading', { name: 'Public gallery' })).toBeVisible();
  expect(await imageLoaded(page, name)).toBe(40);
  await expect(tile(page, name).getByRole('button')).toHaveCount(0);
});

test('an admin removes someone else’s public file; a member cannot', async ({ browser }) => {
  const name = `moderate-${Date.now()}.png`;
  const { key } = await publisher(name);
  const emulator = await e2eEmulator();

  const memberEmail = uniqueEmail('member');
  await createUser(emulator, { email: memberEmail, password: PASSWORD });
  const member = await signInAs(browser, memberEmail);
  await waitForTile(member, name);
  await expect(tile(member, name).getByRole('button')).toHaveCount(0);

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
