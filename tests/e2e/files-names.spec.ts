import { type Browser, expect, type Page, test } from '@playwright/test';
import { createUser } from '../helpers/cognito-login.ts';
import { e2eEmulator, PASSWORD, restoreEmulator, submitManagedLogin, uniqueEmail } from './support.ts';

/** Chromium's built-in PDF viewer: the frame it puts inside a frame that shows a PDF. */
const PDF_VIEWER_ORIGIN = 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai';
const PHONE = { width: 360, height: 740 };

/** A one-page PDF that says "Hello Cubby", with a correct cross-reference table. */
function minimalPdf(): Buffer {
  const text = 'BT /F1 24 Tf 20 100 Td (Hello Cubby) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 240 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((body, index) => {
    const offset = pdf.length;
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
    return offset;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** A new person on /files; every CSP violation the page reports is collected in `violations`. */
async function onFiles(
  browser: Browser,
  label: string,
  viewport?: { width: number; height: number },
): Promise<{ page: Page; violations: string[] }> {
  const email = uniqueEmail(label);
  await createUser(await e2eEmulator(), { email, password: PASSWORD });
  const page = await (await browser.newContext(viewport ? { viewport } : {})).newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to frame|Framing '.*' violates/i.test(text)) violations.push(`console: ${text}`);
  });
  await page.exposeFunction('reportCspViolation', (report: string) => violations.push(report));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportCspViolation: (report: string) => void }).reportCspViolation(
        `${event.effectiveDirective} ${event.blockedURI}`,
      );
    });
  });
  await page.goto(`/auth/login?returnTo=${encodeURIComponent('/files')}`);
  await submitManagedLogin(page, email);
  await expect(page).toHaveURL(/\/files$/);
  await expect(page.getByTestId('files-empty')).toBeVisible();
  return { page, violations };
}

async function upload(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(files);
}

function nameButton(page: Page, name: string) {
  return page.getByRole('button', { name, exact: true });
}

async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test('a PDF previews in Chromium’s viewer under the production CSP, with no violation reported', async ({ browser }) => {
  const { page, violations } = await onFiles(browser, 'pdf');
  await upload(page, [{ name: 'hello.pdf', mimeType: 'application/pdf', buffer: minimalPdf() }]);
  await nameButton(page, 'hello.pdf').click();

  const dialog = page.getByTestId('preview-dialog');
  // Chromium's PDF viewer took over a frame of the page: the blob: frame was allowed and loaded.
  await expect
    .poll(() => page.frames().some((each) => each.url().startsWith(PDF_VIEWER_ORIGIN)), {
      message: 'Chromium’s PDF viewer never loaded in the preview frame',
    })
    .toBe(true);
  const frame = dialog.locator('iframe.preview-pdf');
  const src = await frame.getAttribute('src');
  expect(src).toMatch(/^blob:http:\/\/localhost:\d+\//);
  expect(page.frames().some((each) => each.url() === src)).toBe(true);
  await expect(frame).toBeVisible();
  await expect(dialog).not.toContainText(/browser|cannot be shown/i);
  await expect(dialog.getByTestId('preview-modified')).toContainText('Modified');
  expect(violations).toEqual([]);
});

test('renaming onto a taken name says so and offers the next free name in one click', async ({ browser }) => {
  const { page } = await onFiles(browser, 'taken');
  await upload(page, [
    { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('first') },
    { name: 'b.txt', mimeType: 'text/plain', buffer: Buffer.from('second') },
  ]);
  await expect(nameButton(page, 'b.txt')).toBeVisible();
  await expect(nameButton(page, 'a.txt')).toBeVisible();

  await page.getByRole('button', { name: 'Rename b.txt' }).click();
  const dialog = page.getByTestId('rename-dialog');
  await dialog.getByLabel('New name').fill('a.txt');
  await dialog.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(dialog.getByRole('alert')).toHaveText('There is already a file with that name. Choose another name.');
  await expect(page.getByTestId('toasts')).not.toContainText('Renamed');

  await dialog.getByRole('button', { name: 'Rename to “a (1).txt”' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('toasts')).toContainText('Renamed to “a (1).txt”.');
  await expect(nameButton(page, 'a (1).txt')).toBeVisible();
  await expect(nameButton(page, 'a.txt')).toBeVisible();
  await expect(nameButton(page, 'b.txt')).toHaveCount(0);
});

test('a renamed file keeps its own modification time in the preview; the list shows S3’s time of the rename', async ({
  browser,
}) => {
  const emulator = await e2eEmulator();
  const { page } = await onFiles(browser, 'modified');
  await upload(page, [{ name: 'draft.txt', mimeType: 'text/plain', buffer: Buffer.from('draft') }]);
  const listed = page
    .getByTestId('file-row')
    .filter({ has: nameButton(page, 'draft.txt') })
    .locator('.col-date time');
  const uploadedAt = await listed.getAttribute('datetime');
  expect(uploadedAt).toBeTruthy();
  try {
    // Ten minutes later on S3's clock (within SigV4's 15-minute skew).
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 600 });
    await page.getByRole('button', { name: 'Rename draft.txt' }).click();
    await page.getByTestId('rename-dialog').getByLabel('New name').fill('final.txt');
    await page.getByTestId('rename-dialog').getByRole('button', { name: 'Rename', exact: true }).click();
    const row = page.getByTestId('file-row').filter({ has: nameButton(page, 'final.txt') });
    await expect(row).toBeVisible();
    const renamedAt = await row.locator('.col-date time').getAttribute('datetime');
    expect(Date.parse(renamedAt ?? '') - Date.parse(uploadedAt ?? '')).toBeGreaterThanOrEqual(590_000);

    await nameButton(page, 'final.txt').click();
    const modified = page.getByTestId('preview-dialog').getByTestId('preview-modified').locator('time');
    await expect(modified).toHaveAttribute(
      'datetime',
      new Date(Math.floor(Date.parse(uploadedAt ?? '') / 1000) * 1000).toISOString(),
    );
  } finally {
    await restoreEmulator(emulator);
  }
});

test('long names: the limit is stated, and at 360 px nothing scrolls sideways and no toast outgrows the screen', async ({
  browser,
}) => {
  const { page } = await onFiles(browser, 'long', PHONE);
  const thousand = `${'n'.repeat(996)}.txt`;
  const longest = `${'w'.repeat(251)}.txt`;

  // Upload: a 1,000-character name is refused with the limit, not shortened behind the person's back.
  await upload(page, [
    { name: thousand, mimeType: 'text/plain', buffer: Buffer.from('too long') },
    { name: 'short.txt', mimeType: 'text/plain', buffer: Buffer.from('short') },
  ]);
  await expect(nameButton(page, 'short.txt')).toBeVisible();
  await expect(
    page.getByTestId('upload-row').filter({ hasText: 'Names can be at most 255 bytes (yours is 1,000).' }),
  ).toHaveCount(1);
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  for (const toast of await page.locator('.toast').all()) {
    expect((await toast.boundingBox())?.height ?? 0).toBeLessThan(PHONE.height / 2);
  }

  // Rename: 1,000 characters are refused with the limit and the name's length; 255 bytes are fine.
  await page.getByRole('button', { name: 'Rename short.txt' }).click();
  const dialog = page.getByTestId('rename-dialog');
  await dialog.getByLabel('New name').fill(thousand);
  await dialog.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'Names can be at most 255 bytes (yours is 1,000). Shorten it and try again.',
  );
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  await dialog.getByLabel('New name').fill(longest);
  await dialog.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(dialog).toBeHidden();
  const toast = page.locator('.toast').filter({ hasText: 'Renamed to' });
  await expect(toast).toBeVisible();
  const toastBox = await toast.boundingBox();
  expect(toastBox && toastBox.height < PHONE.height && toastBox.x >= 0 && toastBox.x + toastBox.width <= PHONE.width).toBe(true);
  await expect(nameButton(page, longest)).toBeVisible();
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

  // The dialogs with the longest name: the title wraps inside the screen.
  for (const [open, testId] of [
    [() => nameButton(page, longest).click(), 'preview-dialog'],
    [() => page.getByRole('button', { name: `Rename ${longest}` }).click(), 'rename-dialog'],
    [() => page.getByRole('button', { name: `Delete ${longest}` }).click(), 'delete-dialog'],
  ] as const) {
    await open();
    const shown = page.getByTestId(testId);
    await expect(shown).toBeVisible();
    const box = await shown.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= PHONE.width).toBe(true);
    expect(await shown.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await page.keyboard.press('Escape');
    await expect(shown).toBeHidden();
  }
});
