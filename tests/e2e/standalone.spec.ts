import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import packageJson from '../../package.json' with { type: 'json' };
import {
  containerEnvironment,
  escapeRoutes,
  layOutStandalone,
  listFiles,
  standaloneDir,
} from '../../scripts/standalone-layout.ts';
import { E2E_APP_PORT, e2eAppEnvironment } from '../helpers/e2e-env.ts';
import { runToExit } from '../helpers/run-to-exit.ts';

/**
 * The e2e app server is the container image's server (playwright.config.ts runs
 * scripts/standalone.ts): these tests check that claim from outside, so the rest of the suite
 * (sign-in, files, gallery...) counts as the container's smoke test.
 */

const SERVER_DIR = standaloneDir(E2E_APP_PORT);
/** A second layout of the same build, for comparisons and the boot check. */
const SPARE_DIR = standaloneDir(E2E_APP_PORT + 98);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Inode of the socket listening on TCP `port` (IPv4 or IPv6), from /proc/net. */
function listeningSocketInode(port: number): string | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A') return fields[9];
    }
  }
  return undefined;
}

/** The pid of the process holding socket `inode`, found through /proc/<pid>/fd. */
function pidOwning(inode: string): string | undefined {
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return pid;
      } catch {
        // The descriptor closed meanwhile.
      }
    }
  }
  return undefined;
}

function readNulSeparated(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split('\0').filter(Boolean);
}

test.describe('the e2e app server is the standalone server, as in the container', () => {
  test.afterAll(() => fs.rmSync(SPARE_DIR, { recursive: true, force: true }));

  test('GET /api/health answers ok with the version, without x-powered-by, with a request id', async ({ request }) => {
    const response = await request.get('/api/health');
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', version: packageJson.version });
    expect(response.headers()['x-powered-by']).toBeUndefined();
    expect(response.headers()['x-request-id']).toMatch(UUID);
  });

  test('keeps a well-formed x-request-id and replaces anything else', async ({ request }) => {
    const kept = await request.get('/api/health', { headers: { 'x-request-id': 'lb-trace_0123456789abcdef' } });
    expect(kept.headers()['x-request-id']).toBe('lb-trace_0123456789abcdef');
    for (const bad of ['short', 'a'.repeat(65), 'has spaces in it', 'eyJhbGciOi.eyJzdWIiOi', 'back\\slash-0123456']) {
      const replaced = await request.get('/api/health', { headers: { 'x-request-id': bad } });
      expect(replaced.headers()['x-request-id'], bad).toMatch(UUID);
    }
  });

  test('the process on the app port is `node server.js` in the laid-out copy, with the container environment', async () => {
    test.skip(process.platform !== 'linux', 'reads /proc');
    const inode = listeningSocketInode(E2E_APP_PORT);
    expect(inode, `nothing listens on ${E2E_APP_PORT}`).toBeDefined();
    const pid = pidOwning(inode ?? '');
    expect(pid, 'no process owns the listening socket').toBeDefined();

    expect(fs.realpathSync(`/proc/${pid}/cwd`)).toBe(fs.realpathSync(SERVER_DIR));
    expect(fs.realpathSync(`/proc/${pid}/exe`)).toBe(fs.realpathSync(process.execPath));
    // Next's server.js renames its process (process.title), which rewrites /proc/<pid>/cmdline.
    expect(readNulSeparated(`/proc/${pid}/cmdline`).join(' ')).toMatch(/^next-server \(v\d+\.\d+\.\d+\)/);
    const environ = new Map(
      readNulSeparated(`/proc/${pid}/environ`).map((entry) => [
        entry.slice(0, entry.indexOf('=')),
        entry.slice(entry.indexOf('=') + 1),
      ]),
    );
    expect(environ.get('NODE_ENV')).toBe('production');
    expect(environ.get('HOSTNAME')).toBe('0.0.0.0');
    expect(environ.get('PORT')).toBe(String(E2E_APP_PORT));
    expect(environ.has('NODE_PATH')).toBe(false);
    expect(environ.get('PATH')).not.toContain('node_modules');
    expect([...environ.keys()].filter((name) => name.startsWith('npm_'))).toEqual([]);
    expect(escapeRoutes(SERVER_DIR, SERVER_DIR)).toEqual([]);
  });

  test('the running copy holds exactly the image files, and the server has written nothing into it', async () => {
    layOutStandalone(SPARE_DIR);
    const files = listFiles(SERVER_DIR);
    expect(files).toEqual(listFiles(SPARE_DIR));
    expect(files.some((file) => file.startsWith('server.js '))).toBe(true);
    expect(files.some((file) => file.startsWith('.next/static/'))).toBe(true);
    // Secrets and sources never reach the image.
    expect(files.filter((file) => /(^|\/)\.env|\.data\/|(^|\/)\.git\/|^(app|lib|tests|emulator|infra)\//.test(file))).toEqual([]);
  });

  test('the standalone server checks the environment at boot (instrumentation.ts) and stops on a bad one', async () => {
    layOutStandalone(SPARE_DIR);
    const env = containerEnvironment(
      { ...e2eAppEnvironment(), APP_URL: 'http://cubby.example.com', SESSION_SECRET: 'too-short-but-secret', S3_BUCKET: '' },
      E2E_APP_PORT + 98,
      SPARE_DIR,
    );
    const { code, output } = await runToExit(process.execPath, ['server.js'], { cwd: SPARE_DIR, env });
    expect(code).toBe(1);
    expect(output).toContain('Cubby cannot start: the environment is not valid.');
    expect(output).toContain('APP_URL: must use https in production');
    expect(output).toContain('SESSION_SECRET: every secret must be at least 32 characters');
    expect(output).toContain('S3_BUCKET: is required in production');
    expect(output).not.toContain('too-short-but-secret');
    expect(output).not.toMatch(/\n\s+at /);
  });
});
