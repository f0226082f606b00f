import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, type CDPSession, expect, type Page, test } from '@playwright/test';
import { createUser } from '../helpers/cognito-login.ts';
import { e2eEmulator, PASSWORD, signInAs, uniqueEmail } from './support.ts';

/** Axe's violations inside `selector`, in light and dark. */
async function violationsIn(page: Page, selector: string): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).include(selector).analyze();
    found.push(...results.violations.map((violation) => `${colorScheme} ${violation.id}: ${violation.help}`));
  }
  return found;
}

/**
 * Passkeys on /account in Chromium: added through the page's small client component with
 * Chromium's virtual authenticator (CDP WebAuthn), listed from Cognito, removed after a
 * confirmation; a second add on the same authenticator and a browser without WebAuthn get
 * friendly words. Signing in with a passkey is passwordless.spec.ts's.
 */

async function virtualAuthenticator(context: BrowserContext, page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

async function signedInOnAccount(browser: Browser, label: string): Promise<Page> {
  const email = uniqueEmail(label);
  await createUser(await e2eEmulator(), { email, password: PASSWORD });
  const page = await signInAs(browser, email, '/account');
  await expect(page.getByTestId('passkeys-section')).toBeVisible();
  return page;
}

test('adds a passkey with the virtual authenticator, lists it, and removes it', async ({ browser }) => {
  const page = await signedInOnAccount(browser, 'passkey-add');
  const { cdp, authenticatorId } = await virtualAuthenticator(page.context(), page);
  const section = page.getByTestId('passkeys-section');
  await expect(section.getByTestId('passkeys-empty')).toBeVisible();

  await section.getByTestId('passkey-add').click();
  await expect(section.getByTestId('passkey-status')).toHaveText(/Your passkey was added/);
  await expect(section.getByTestId('passkey-item')).toHaveCount(1);
  await expect(section.getByTestId('passkey-item')).toContainText('Built into a device');
  // The credential Cognito stored is the one on the authenticator (a resident key for `localhost`).
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0]?.rpId).toBe('localhost');
  expect(credentials[0]?.isResidentCredential).toBe(true);

  // The same authenticator again: Cognito excludes it and the browser says so in friendly words.
  await section.getByTestId('passkey-add').click();
  await expect(section.getByTestId('passkey-status')).toHaveText(/already holds a passkey/);
  await expect(section.getByTestId('passkey-item')).toHaveCount(1);

  // Still there after a reload: the list comes from Cognito.
  await page.reload();
  await expect(section.getByTestId('passkey-item')).toHaveCount(1);

  await section.getByTestId('passkey-remove').click();
  await expect(section.getByTestId('passkey-item')).toContainText('You will no longer be able to sign in with it');
  expect(await violationsIn(page, '[data-testid="passkeys-section"]')).toEqual([]);
  await section.getByTestId('passkey-remove-confirm').click();
  await expect(section.getByTestId('passkeys-empty')).toBeVisible();
  await page.reload();
  await expect(section.getByTestId('passkeys-empty')).toBeVisible();
});

test('a browser without WebAuthn is told so, and nothing is asked of Cognito', async ({ browser }) => {
  const page = await signedInOnAccount(browser, 'passkey-none');
  await page.addInitScript(() => {
    Reflect.deleteProperty(window, 'PublicKeyCredential');
  });
  await page.reload();
  const section = page.getByTestId('passkeys-section');
  await section.getByTestId('passkey-add').click();
  await expect(section.getByTestId('passkey-status')).toHaveText(/cannot create passkeys/);
  await expect(section.getByTestId('passkeys-empty')).toBeVisible();
});
