/**
 * Browser upload benchmark (issue's target: "A 200 MB upload from the browser to the emulator vs a
 * direct SDK PutObject of the same file. Target: ≥ 80%. Bytes received by the Next.js server during
 * the upload: about zero."). Figures, not assertions: targets are read by people.
 *
 * The stack is the real one on ports of its own: the emulator (EMULATOR_DATA=memory) on 9529, the
 * production build laid out as the container runs it (scripts/standalone-layout.ts) on 3300, and
 * in front of it a counting TCP proxy on 3301 that is the app's public origin (APP_URL), so every
 * byte the browser sends the Next server is counted. Chromium signs in on the managed-login page,
 * opens /files, builds 200 MB of deterministic bytes in the page and puts them on the file input;
 * the page times pick → the upload row saying Done with performance.now(). The baseline is the
 * same bytes sent from Node with the official SDK's PutObjectCommand (a Buffer body, one request,
 * its SHA-256 signed by the SDK and checked by the emulator), with the same person's Identity Pool
 * credentials. The two sides alternate, ROUNDS times each, and
 * objects are deleted after every run so the quota is never reached.
 *
 * Run: `npm run build` once, then `node bench/browser-upload.ts` (or `npm run bench`).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { chromium, type JSHandle, type Page } from '@playwright/test';
import { ROOT } from '../scripts/standalone-layout.ts';
import { CHROMIUM_ARGS, chromiumExecutable } from '../tests/e2e/chromium.ts';
import { createUser, signIn } from '../tests/helpers/cognito-login.ts';
import { type EmulatorProcess, startEmulatorProcess } from '../tests/helpers/emulator-process.ts';
import { credentialsFor } from '../tests/helpers/identity-credentials.ts';
import { s3ClientFor } from '../tests/helpers/s3-person.ts';
import { assertPortFree, type CountingProxy, startCountingProxy, startStandaloneApp, stopProcess } from './support/stack.ts';

const MB = 1024 * 1024;
const SIZE = 200 * MB;
const ROUNDS = 3;
const TARGET = 80;
/** Ports apart from dev (3000/9229) and e2e (3100/9329), so all three can run at once. */
const APP_PORT = 3300;
const PROXY_PORT = 3301;
const EMULATOR_PORT = 9529;
const APP_URL = `http://localhost:${PROXY_PORT}`;
const EMULATOR_URL = `http://127.0.0.1:${EMULATOR_PORT}`;
const EMAIL = 'browser-upload-bench@example.com';
const PASSWORD = 'Correct-Horse-9';

/** The same deterministic bytes the page builds (xorshift32, little-endian words). */
function deterministicBytes(size: number): Buffer {
  const words = new Uint32Array(size / 4);
  let state = 0x2545f491;
  for (let index = 0; index < words.length; index += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    words[index] = state >>> 0;
  }
  return Buffer.from(words.buffer);
}

/** Signs in on the managed-login page and lands on /files. */
async function signInOnFiles(page: Page): Promise<void> {
  await page.goto('/auth/login?returnTo=%2Ffiles');
  await page.waitForURL((url) => url.href.startsWith(`${EMULATOR_URL}/login`));
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
  // React has hydrated the file input once its props are attached, so a change event reaches the handler;
  // an idle network keeps the page load's requests out of the first upload's window.
  await page.waitForFunction(() => {
    const input = document.querySelector('[data-testid="file-input"]');
    return input !== null && Object.keys(input).some((name) => name.startsWith('__reactProps'));
  });
  await page.waitForLoadState('networkidle');
}

/**
 * 200 MB built in the page (never sent over the protocol), once: each run wraps it in a File of its
 * own name, which shares the blob's bytes. Chromium keeps blobs of Playwright's (off-the-record)
 * context in memory and breaks new ones past its limit (ERR_BLOB_REFERENCED_BLOB_BROKEN, seen as
 * "The connection to storage was lost"), which a fresh 200 MB blob per run reaches.
 */
function bytesInPage(page: Page): Promise<JSHandle<Blob>> {
  return page.evaluateHandle((size) => {
    const words = new Uint32Array(size / 4);
    let state = 0x2545f491;
    for (let index = 0; index < words.length; index += 1) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      words[index] = state >>> 0;
    }
    return new Blob([words]);
  }, SIZE);
}

interface Span {
  start: number;
  end: number;
}

interface BrowserRun {
  ms: number;
  /** Next server bytes from the pick to Done. */
  appBytes: number;
  /** Request lines the Next server got from the pick to Done. */
  appRequests: string[];
  /** Part PUTs to S3 (resource timing), ms from the pick. */
  parts: Span[];
}

/** Puts the file on the input, then times change → its row's data-status="done" in the page. */
async function uploadInPage(page: Page, bytes: JSHandle<Blob>, name: string, proxy: CountingProxy): Promise<BrowserRun> {
  const before = proxy.received();
  const requestsBefore = proxy.requests().length;
  const result = await page.evaluate(
    async ({ bytes, name, emulatorOrigin }) => {
      const file = new File([bytes], name, { type: 'application/octet-stream' });
      const input = document.querySelector<HTMLInputElement>('[data-testid="file-input"]');
      if (!input) throw new Error('no file input on /files');
      const transfer = new DataTransfer();
      transfer.items.add(file);
      performance.clearResourceTimings();
      const settled = new Promise<string>((resolve, reject) => {
        const check = () => {
          for (const row of document.querySelectorAll('[data-testid="upload-row"]')) {
            if (row.querySelector('.upload-name')?.textContent !== file.name) continue;
            const status = row.getAttribute('data-status') ?? '';
            if (status === 'done' || status === 'failed' || status === 'cancelled') {
              observer.disconnect();
              clearTimeout(timer);
              resolve(`${status} ${row.querySelector('.upload-error')?.textContent ?? ''}`.trim());
            }
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
        const timer = setTimeout(() => reject(new Error('the upload did not finish within 5 minutes')), 300_000);
      });
      const start = performance.now();
      input.files = transfer.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
      const outcome = await settled;
      const ms = performance.now() - start;
      const parts = performance
        .getEntriesByType('resource')
        .filter((entry) => entry.name.startsWith(emulatorOrigin) && entry.name.includes('partNumber='))
        .map((entry) => ({ start: entry.startTime - start, end: entry.startTime + entry.duration - start }))
        .filter((span) => span.start >= 0 && span.end <= ms)
        .sort((a, b) => a.start - b.start);
      return { ms, outcome, parts };
    },
    { bytes, name, emulatorOrigin: EMULATOR_URL },
  );
  const appBytes = proxy.received() - before;
  if (result.outcome !== 'done') throw new Error(`the browser upload ended "${result.outcome}"`);
  const appRequests = proxy.requests().slice(requestsBefore);
  return { ms: result.ms, appBytes, appRequests, parts: result.parts };
}

/** Deletes every object under the person's folder (so no run counts against the quota of the next). */
async function emptyFolder(s3: S3Client, bucket: string, prefix: string): Promise<void> {
  const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  for (const { Key } of Contents) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
}

/** `POST /files ×3, GET /x` */
const tally = (lines: readonly string[]) =>
  [...Map.groupBy(lines, (line) => line)].map(([line, all]) => (all.length > 1 ? `${line} ×${all.length}` : line)).join(', ') ||
  'none';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const rate = (ms: number) => SIZE / MB / (ms / 1000);
const mbs = (value: number) => `${value.toFixed(0)} MB/s`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const formatBytes = (value: number) => (value < 10_240 ? `${value} B` : `${(value / 1024).toFixed(1)} KB`);

if (!fs.existsSync(path.join(ROOT, '.next', 'standalone', 'server.js'))) {
  console.error('bench/browser-upload.ts: there is no production build (.next/standalone/server.js): run `npm run build` first.');
  process.exit(1);
}
for (const [port, what] of [
  [APP_PORT, 'app'],
  [PROXY_PORT, 'counting proxy'],
  [EMULATOR_PORT, 'emulator'],
] as const) {
  await assertPortFree(port, what);
}

const loadBefore = os.loadavg();
const emulator: EmulatorProcess = await startEmulatorProcess({ EMULATOR_PORT: String(EMULATOR_PORT), APP_URL });
const stack: { app?: ChildProcess; proxy?: CountingProxy; browser?: Awaited<ReturnType<typeof chromium.launch>> } = {};
try {
  stack.app = await startStandaloneApp(APP_PORT, APP_URL, EMULATOR_URL);
  stack.proxy = await startCountingProxy(PROXY_PORT, APP_PORT);
  const { proxy } = stack;
  await createUser(emulator, { email: EMAIL, password: PASSWORD });
  const { idToken } = await signIn(emulator, { email: EMAIL, password: PASSWORD });
  const { identityId, credentials } = await credentialsFor(emulator, idToken);
  const s3 = s3ClientFor(emulator, credentials);
  const bucket = emulator.config.bucket;
  const home = `private/${identityId}/`;
  const body = deterministicBytes(SIZE);

  stack.browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
  const page = await (await stack.browser.newContext({ baseURL: APP_URL })).newPage();
  const beforeSignIn = proxy.received();
  await signInOnFiles(page);
  const signInBytes = proxy.received() - beforeSignIn;
  const pageBytes = await bytesInPage(page);

  const browserRuns: BrowserRun[] = [];
  const sdkMs: number[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    const name = `browser-${round}.bin`;
    browserRuns.push(await uploadInPage(page, pageBytes, name, proxy));
    // The list refreshes after Done; let it finish before the SDK's turn.
    await page.getByTestId('file-row').filter({ hasText: name }).waitFor();
    await page.waitForLoadState('networkidle');
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `${home}${name}` }));
    if (head.ContentLength !== SIZE) throw new Error(`the browser's object holds ${head.ContentLength} bytes, not ${SIZE}`);
    await emptyFolder(s3, bucket, home);

    const start = performance.now();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${home}sdk-${round}.bin`, Body: body, ContentLength: SIZE }));
    sdkMs.push(performance.now() - start);
    await emptyFolder(s3, bucket, home);
  }

  const browserRates = browserRuns.map((run) => rate(run.ms));
  const sdkRates = sdkMs.map(rate);
  const best = (values: number[]) => Math.max(...values);
  const ratio = (value: number, baseline: number) => (value / baseline) * 100;
  const met = (percent: number) => (percent >= TARGET ? 'yes' : 'no');
  const medianRatio = ratio(median(browserRates), median(sdkRates));
  const bestRatio = ratio(best(browserRates), best(sdkRates));
  const uploadBytes = browserRuns.map((run) => run.appBytes);
  const fraction = (median(uploadBytes) / SIZE) * 100;

  // Where the browser's time goes, per run: before the first part, the parts, after the last part.
  const phases = browserRuns.map((run) => {
    const first = run.parts[0]?.start ?? Number.NaN;
    const last = Math.max(...run.parts.map((part) => part.end));
    return { first, parts: last - first, after: run.ms - last, part: median(run.parts.map((part) => part.end - part.start)) };
  });
  // The most part PUTs seen in flight at once (the client's part concurrency, as measured).
  const inFlight = Math.max(
    ...browserRuns.flatMap((run) =>
      run.parts.map((part) => run.parts.filter((other) => other.start <= part.start && part.start < other.end).length),
    ),
  );
  const phaseRow = (label: string, pick: (value: (typeof phases)[number]) => number, withRate = false) => {
    const values = phases.map(pick);
    const show = (ms: number) => (withRate ? `${seconds(ms)} (${mbs(rate(ms))})` : seconds(ms));
    return `| ${label} | ${show(median(values))} | ${values.map(show).join(', ')} |`;
  };
  const partCount = median(browserRuns.map((run) => run.parts.length));
  const cpus = os.cpus();
  const load = (values: number[]) => values.map((value) => value.toFixed(1)).join(' ');

  console.log(
    [
      `Browser upload vs SDK PutObject, ${SIZE / MB} MB, ${ROUNDS} runs each, alternating (Node ${process.version}, Chromium ${stack.browser.version()})`,
      `Machine: ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), load average ${load(loadBefore)} before, ${load(os.loadavg())} after; ` +
        `Chromium, the Next server, the counting proxy, the emulator and the SDK all run on loopback on these same ${cpus.length} cores.`,
      '',
      `| Upload of ${SIZE / MB} MB to the emulator | Median | Best | Runs |`,
      '|---|---|---|---|',
      `| Browser, /files (multipart, ${partCount} parts) | ${mbs(median(browserRates))} | ${mbs(best(browserRates))} | ${browserRates.map(mbs).join(', ')} |`,
      `| SDK PutObjectCommand from Node (Buffer body, one request, SHA-256 signed) | ${mbs(median(sdkRates))} | ${mbs(best(sdkRates))} | ${sdkRates.map(mbs).join(', ')} |`,
      '',
      '| Ratio browser / SDK | Value | Target | Met |',
      '|---|---|---|---|',
      `| Median / median | ${medianRatio.toFixed(0)}% | ≥ ${TARGET}% | ${met(medianRatio)} |`,
      `| Best / best | ${bestRatio.toFixed(0)}% | ≥ ${TARGET}% | ${met(bestRatio)} |`,
      '',
      '| Bytes received by the Next server (counting proxy, client → server) | Value | Target | Met |',
      '|---|---|---|---|',
      `| During the upload (pick → Done), median of ${ROUNDS} | ${formatBytes(median(uploadBytes))} (${fraction.toFixed(4)}% of the file) | about zero | ${fraction < 0.1 ? 'yes' : 'no'} |`,
      `| Per run | ${uploadBytes.map(formatBytes).join(', ')} | | |`,
      `| Requests during the upload, per run (no file bytes: headers with the session cookies, action arguments) | ${browserRuns.map((run) => tally(run.appRequests)).join('; ')} | | |`,
      `| For context: page load + managed-login sign-in + /files | ${formatBytes(signInBytes)} | | |`,
      '',
      '| Browser upload, where the time goes | Median | Runs |',
      '|---|---|---|',
      phaseRow('Pick → first part PUT starts (createUpload: quota, CreateMultipartUpload, part URLs)', (value) => value.first),
      phaseRow(
        `First part starts → last part ends (${partCount} parts, up to ${inFlight} at a time)`,
        (value) => value.parts,
        true,
      ),
      phaseRow('Last part ends → row says Done (completeUpload: CompleteMultipartUpload, HeadObject)', (value) => value.after),
      phaseRow('One part PUT (median of the run)', (value) => value.part),
    ].join('\n'),
  );
} finally {
  await stack.browser?.close();
  await stack.proxy?.close();
  if (stack.app) await stopProcess(stack.app);
  await emulator.stop();
}
