import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { createUser } from '../helpers/cognito-login.ts';
import { connectToEmulator } from '../helpers/emulator-process.ts';
import { fillManagedLogin, PASSWORD, uniqueEmail } from './support.ts';

/**
 * `npm run dev` as a newcomer runs it: the launcher starts the emulator (state on disk, where it
 * keeps it by default) and `next dev`; a person signs in and uploads through the UI, so the
 * emulator writes its state; then /files must settle. A state folder inside what `next dev`
 * watches made /files recompile and reload itself about twice a second forever, and only on some
 * starts, so the dev server is started several times.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** Apart from `npm run dev`'s 3000/9229 and the e2e stack's 3100/9329. */
const DEV_PORT = 3200;
const DEV_EMULATOR_PORT = 9429;
const STARTS = 3;
/** How long /files is watched after the upload for recompiles and reloads. */
const SETTLE_MS = 8_000;

interface DevServer {
  output: () => string;
  stop: () => Promise<void>;
}

async function startDev(env: Record<string, string>): Promise<DevServer> {
  const child: ChildProcess = spawn(process.execPath, ['scripts/dev.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(DEV_PORT), EMULATOR_PORT: String(DEV_EMULATOR_PORT), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm run dev exited:\n${output}`);
    const ready = await fetch(`http://127.0.0.1:${DEV_PORT}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { output: () => output, stop };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await stop();
  throw new Error(`npm run dev did not answer /api/health within 60 s:\n${output}`);
}

async function signInOnFiles(page: Page, email: string): Promise<void> {
  await page.goto(`http://localhost:${DEV_PORT}/auth/login?returnTo=%2Ffiles`);
  await page.waitForURL((url) => url.port === String(DEV_EMULATOR_PORT));
  await fillManagedLogin(page, email);
  await page.waitForURL(`http://localhost:${DEV_PORT}/files`, { timeout: 60_000 });
}

/**
 * The ignored paths git sees in the tree (`.data/`, `.env.local`...), apart from what the dev server
 * and the test tools own: a new one after the run is something the app or the emulator wrote where
 * `next dev` watches.
 */
function runtimeFilesInTree(): string[] {
  const owned = /^(node_modules|\.next|next-env\.d\.ts|\.reports|test-results|playwright-report)\/?$|\.tsbuildinfo$/;
  return execFileSync('git', ['status', '--porcelain', '--ignored'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.startsWith('!! '))
    .map((line) => line.slice(3))
    .filter((file) => !owned.test(file));
}

const filesRequests = (output: string) => output.split('\n').filter((line) => /\bGET \/files\b/.test(line)).length;

test('npm run dev: /files settles after uploads, start after start', async ({ browser }) => {
  test.setTimeout(STARTS * 150_000);
  // The launcher's default state folder lives under XDG_STATE_HOME: a temporary one here, so the
  // test exercises the default location without touching the developer's own emulator state.
  const stateHome = mkdtempSync(path.join(os.tmpdir(), 'cubby-dev-state-'));
  const treeBefore = runtimeFilesInTree();
  try {
    for (let start = 1; start <= STARTS; start += 1) {
      const dev = await startDev({ XDG_STATE_HOME: stateHome, EMULATOR_DATA: '', APP_URL: '' });
      const context = await browser.newContext();
      try {
        const emulator = await connectToEmulator(`http://127.0.0.1:${DEV_EMULATOR_PORT}`);
        const email = uniqueEmail(`dev${start}`);
        await createUser(
          { url: `http://127.0.0.1:${DEV_EMULATOR_PORT}`, ...emulator, stop: async () => {} },
          { email, password: PASSWORD },
        );
        const page = await context.newPage();
        await signInOnFiles(page, email);
        await expect(page.getByTestId('files-empty')).toBeVisible({ timeout: 60_000 });

        await page.getByTestId('file-input').setInputFiles([
          { name: `notes-${start}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`start ${start}\n`) },
          { name: `more-${start}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`more ${start}\n`) },
        ]);
        await expect(page.getByTestId('file-row')).toHaveCount(2, { timeout: 30_000 });

        // From here on nothing the person does: count what the dev server and the page do by themselves.
        let navigations = 0;
        page.on('framenavigated', (frame) => {
          if (frame === page.mainFrame()) navigations += 1;
        });
        const before = filesRequests(dev.output());
        await page.waitForTimeout(SETTLE_MS);
        const reloads = filesRequests(dev.output()) - before;
        expect(navigations, `start ${start}: /files reloaded itself\n${dev.output().slice(-3000)}`).toBe(0);
        expect(reloads, `start ${start}: GET /files ${reloads} times while idle`).toBeLessThanOrEqual(1);
        await expect(page.getByTestId('file-row')).toHaveCount(2);
      } finally {
        await context.close();
        await dev.stop();
      }
    }
    // The emulator's state went outside the project, and nothing in the tree was written at run time.
    expect(readdirSync(path.join(stateHome, 'cubby'))).toHaveLength(1);
    const written = runtimeFilesInTree().filter((file) => !treeBefore.includes(file));
    expect(written).toEqual([]);
  } finally {
    rmSync(stateHome, { recursive: true, force: true });
  }
});
