import path from 'node:path';
import { expect, test } from '@playwright/test';
import { runToExit } from '../helpers/run-to-exit.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Runs the production server with the given environment and returns its exit code and output. */
function startServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return runToExit(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '--port', '3199'],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', ...env },
    },
  );
}

test('a production server with a bad environment stops at boot and lists every problem', async () => {
  const { code, output } = await startServer({ APP_URL: 'http://cubby.example.com', SESSION_SECRET: 'too-short-but-secret' });
  expect(code).toBe(1);
  expect(output).toContain('Cubby cannot start: the environment is not valid.');
  expect(output).toContain('APP_URL: must use https in production');
  expect(output).toContain('SESSION_SECRET: every secret must be at least 32 characters');
  expect(output).toContain('COGNITO_CLIENT_SECRET: is required in production');
  expect(output).toContain('S3_BUCKET: is required in production');
  expect(output).not.toContain('too-short-but-secret');
  expect(output).not.toMatch(/\n\s+at /);
});
