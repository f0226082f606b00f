/**
 * Zip download benchmark (issue 16: "zip 500 MB from 200 files (throughput vs plain downloads,
 * peak tab memory)"). Figures, not assertions.
 *
 * The real stack on ports of its own: the emulator (memory) on 9729 and the production build as
 * the container runs it on 3700. A person's folder is filled with the SDK (M files, N MB in all,
 * random bytes); Chromium signs in on the managed-login page, opens /files, shows every row, ticks
 * "Select all" and presses "Download as zip", three ways:
 * - streamed: the File System Access path, with a save picker whose file discards what it is
 *   given (the zip is streamed and never held: what Chromium does with a real file on disk);
 * - Blob: the path of browsers without that API (the zip is built as a Blob, then handed to the
 *   browser's downloads);
 * - plain downloads: the same presigned URLs (captured from the streamed run, still valid), each
 *   fetched in the page in turn and its body read and dropped: what the zip's own fetching costs
 *   without the zip.
 * Time is click → the "Zipped …" toast (for the Blob: → the download starting). Peak JS heap is
 * CDP Performance.getMetrics' JSHeapUsedSize sampled every 100 ms (a Blob's bytes live in the
 * browser's blob storage, outside the JS heap: the Blob row's heap does not show them).
 *
 * Run: `npm run build` once, then `npm run bench:zip` (options `-- --files 200 --mb 500`).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type Browser, type CDPSession, chromium, type Page } from '@playwright/test';
import { ROOT } from '../scripts/standalone-layout.ts';
import { CHROMIUM_ARGS, chromiumExecutable } from '../tests/e2e/chromium.ts';
import { createUser, signIn } from '../tests/helpers/cognito-login.ts';
import { type EmulatorProcess, startEmulatorProcess } from '../tests/helpers/emulator-process.ts';
import { credentialsFor } from '../tests/helpers/identity-credentials.ts';
import { s3ClientFor } from '../tests/helpers/s3-person.ts';
import { assertPortFree, startStandaloneApp, stopProcess } from './support/stack.ts';

const { values: options } = parseArgs({
  options: { files: { type: 'string', default: '200' }, mb: { type: 'string', default: '500' } },
});
const FILES = Number(options.files);
const MB = 1024 * 1024;
const TOTAL = Number(options.mb) * MB;
/** Ports apart from dev (3000/9229), e2e (3100/9329) and the other benchmarks. */
const APP_PORT = 3700;
const EMULATOR_PORT = 9729;
const APP_URL = `http://localhost:${APP_PORT}`;
const EMULATOR_URL = `http://127.0.0.1:${EMULATOR_PORT}`;
const EMAIL = 'zip-bench@example.com';
const PASSWORD = 'Correct-Horse-9';

/** A save picker whose file counts and drops what it is given (nothing is held). */
const DISCARDING_SAVE_PICKER = () => {
  const disk = { bytes: 0 };
  Object.assign(window, {
    zipDisk: disk,
    showSaveFilePicker: async () => ({
      createWritable: async () =>
        new WritableStream<Uint8Array>({
          write(chunk) {
            disk.bytes += chunk.byteLength;
          },
        }),
    }),
  });
};

const WITHOUT_SAVE_PICKER = () => {
  Reflect.deleteProperty(window, 'showSaveFilePicker');
  Reflect.deleteProperty(Window.prototype, 'showSaveFilePicker');
};

async function signInOnFiles(page: Page): Promise<void> {
  await page.goto('/auth/login?returnTo=%2Ffiles');
  await page.waitForURL((url) => url.pathname === '/login');
  await page
    .getByLabel(/email|username/i)
    .first()
    .fill(EMAIL);
  await page
    .getByLabel(/password/i)
    .first()
    .fill(PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL((url) => url.origin === APP_URL && url.pathname === '/files');
}

/** Loads every page of the list and selects all of it. */
async function selectEverything(page: Page): Promise<void> {
  const rows = page.getByTestId('file-row');
  await rows.first().waitFor();
  for (let shown = await rows.count(); shown < FILES; shown = await rows.count()) {
    await page.getByRole('button', { name: 'Load more' }).click();
    await rows.nth(shown).waitFor();
  }
  await page.getByRole('checkbox', { name: 'Select all files shown' }).check();
}

/** Samples JSHeapUsedSize every 100 ms until stopped; returns the peak. */
function heapSampler(cdp: CDPSession): { stop: () => Promise<number> } {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      // A tab closed by a failing run ends the sampling; the run's own error is what gets reported.
      const answer = await cdp.send('Performance.getMetrics').catch(() => null);
      if (!answer) return;
      const { metrics } = answer;
      peak = Math.max(peak, metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return peak;
    },
  };
}

interface Run {
  label: string;
  ms: number;
  bytes: number;
  heapBefore: number;
  heapPeak: number;
}

async function heapNow(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0;
}

/** A fresh tab with `picker` installed, signed in, everything selected, and a CDP session with metrics on. */
async function preparedTab(browser: Browser, picker: () => void): Promise<{ page: Page; cdp: CDPSession }> {
  const context = await browser.newContext({ baseURL: APP_URL, acceptDownloads: true });
  await context.addInitScript(picker);
  const page = await context.newPage();
  await signInOnFiles(page);
  await selectEverything(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.enable');
  return { page, cdp };
}

async function zipStreamed(browser: Browser): Promise<{ run: Run; urls: string[] }> {
  const { page, cdp } = await preparedTab(browser, DISCARDING_SAVE_PICKER);
  const urls: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'GET' && request.url().startsWith(`${EMULATOR_URL}/`) && request.url().includes('X-Amz-')) {
      urls.push(request.url());
    }
  });
  const heapBefore = await heapNow(cdp);
  const sampler = heapSampler(cdp);
  const start = performance.now();
  await page.getByRole('button', { name: /^Download as zip/ }).click();
  await page
    .getByTestId('toasts')
    .getByText(/^Zipped /)
    .waitFor({ timeout: 600_000 });
  const ms = performance.now() - start;
  const heapPeak = await sampler.stop();
  const bytes = await page.evaluate(() => (window as unknown as { zipDisk: { bytes: number } }).zipDisk.bytes);
  await page.context().close();
  // Thumbnails of image rows are GETs too; the zip's are attachments.
  const zipUrls = urls.filter((url) => url.includes('response-content-disposition=attachment'));
  return { run: { label: 'Zip, streamed (File System Access path)', ms, bytes, heapBefore, heapPeak }, urls: zipUrls };
}

/**
 * The Blob path, timed click → the Blob handed to the browser's downloads (the zip is built by
 * then). Chromium under Playwright cancels saving a Blob download past about 512 MB (a plain
 * 520 MB Blob without Cubby too): then the row says so and counts the zip's predicted bytes.
 */
async function zipAsBlob(browser: Browser, expectedBytes: number): Promise<Run> {
  const { page, cdp } = await preparedTab(browser, WITHOUT_SAVE_PICKER);
  const heapBefore = await heapNow(cdp);
  const sampler = heapSampler(cdp);
  const start = performance.now();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 600_000 }),
    page.getByRole('button', { name: /^Download as zip/ }).click(),
  ]);
  const ms = performance.now() - start;
  const heapPeak = await sampler.stop();
  const saved = await download.path().catch(() => null);
  const bytes = saved ? fs.statSync(saved).size : expectedBytes;
  await page.context().close();
  const label = `Zip, Blob (browsers without it), until handed to the downloads${saved ? '' : ' (the browser then cancelled saving it)'}`;
  return { label, ms, bytes, heapBefore, heapPeak };
}

async function plainDownloads(browser: Browser, urls: string[]): Promise<Run> {
  const { page, cdp } = await preparedTab(browser, DISCARDING_SAVE_PICKER);
  const heapBefore = await heapNow(cdp);
  const sampler = heapSampler(cdp);
  const { ms, bytes } = await page.evaluate(async (urls) => {
    const start = performance.now();
    let bytes = 0;
    for (const url of urls) {
      const reader = (await fetch(url, { cache: 'no-store' })).body?.getReader();
      for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) bytes += read.value.byteLength;
    }
    return { ms: performance.now() - start, bytes };
  }, urls);
  const heapPeak = await sampler.stop();
  await page.context().close();
  return {
    label: 'Plain downloads (the same URLs, one after another, bodies read and dropped)',
    ms,
    bytes,
    heapBefore,
    heapPeak,
  };
}

if (!fs.existsSync(path.join(ROOT, '.next', 'standalone', 'server.js'))) {
  console.error('bench/zip.ts: there is no production build (.next/standalone/server.js): run `npm run build` first.');
  process.exit(1);
}
await assertPortFree(APP_PORT, 'app');
await assertPortFree(EMULATOR_PORT, 'emulator');

const loadBefore = os.loadavg();
const emulator: EmulatorProcess = await startEmulatorProcess({ EMULATOR_PORT: String(EMULATOR_PORT), APP_URL });
const stack: { app?: ChildProcess; browser?: Browser } = {};
try {
  stack.app = await startStandaloneApp(APP_PORT, APP_URL, EMULATOR_URL);
  await createUser(emulator, { email: EMAIL, password: PASSWORD });
  const { idToken } = await signIn(emulator, { email: EMAIL, password: PASSWORD });
  const { identityId, credentials } = await credentialsFor(emulator, idToken);
  const s3 = s3ClientFor(emulator, credentials);
  const size = Math.floor(TOTAL / FILES);
  for (let index = 0; index < FILES; index += 1) {
    const body = randomBytes(size);
    const Key = `private/${identityId}/file-${String(index).padStart(4, '0')}.bin`;
    await s3.send(new PutObjectCommand({ Bucket: emulator.config.bucket, Key, Body: body, ContentLength: size }));
  }

  stack.browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
  const streamed = await zipStreamed(stack.browser);
  const plain = await plainDownloads(stack.browser, streamed.urls);
  const blob = await zipAsBlob(stack.browser, streamed.run.bytes);
  const runs = [plain, streamed.run, blob];

  const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
  const rate = (run: Run) => `${(run.bytes / MB / (run.ms / 1000)).toFixed(0)} MB/s`;
  const cpus = os.cpus();
  const load = (values: number[]) => values.map((value) => value.toFixed(1)).join(' ');
  console.log(
    [
      `Zip download in the browser: ${FILES} files, ${mb(size * FILES)} in all (Node ${process.version}, Chromium ${stack.browser.version()})`,
      `Machine: ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), load average ${load(loadBefore)} before, ${load(os.loadavg())} after; ` +
        'Chromium, the Next server and the emulator share these cores over loopback.',
      '',
      '| Way | Time | Bytes | Throughput | JS heap before | Peak JS heap |',
      '|---|---|---|---|---|---|',
      ...runs.map(
        (run) =>
          `| ${run.label} | ${(run.ms / 1000).toFixed(2)} s | ${mb(run.bytes)} | ${rate(run)} | ${mb(run.heapBefore)} | ${mb(run.heapPeak)} |`,
      ),
      '',
      `Zip throughput vs plain downloads: streamed ${((plain.ms / streamed.run.ms) * 100).toFixed(0)}%, Blob ${((plain.ms / blob.ms) * 100).toFixed(0)}% ` +
        `(captured ${streamed.urls.length} zip URLs for ${FILES} files).`,
    ].join('\n'),
  );
} finally {
  await stack.browser?.close();
  if (stack.app) await stopProcess(stack.app);
  await emulator.stop();
}
