import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './tests/e2e/chromium.ts';
import { E2E_APP_PORT, E2E_APP_URL, E2E_EMULATOR_PORT, E2E_EMULATOR_URL, e2eAppEnvironment } from './tests/helpers/e2e-env.ts';

const executablePath = chromiumExecutable();

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  reporter: [
    ['list'],
    ['json', { outputFile: '.reports/e2e.json' }],
    ...(process.env.CI ? [] : [['html', { open: 'never' }] as const]),
  ],
  use: {
    baseURL: E2E_APP_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], launchOptions: { executablePath, args: CHROMIUM_ARGS } },
    },
  ],
  webServer: [
    {
      command: 'node emulator/server.ts',
      url: `${E2E_EMULATOR_URL}/_local/config`,
      env: { EMULATOR_PORT: String(E2E_EMULATOR_PORT), EMULATOR_DATA: 'memory', APP_URL: E2E_APP_URL },
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: process.env.E2E_SERVER_LOGS ? 'pipe' : 'ignore',
    },
    {
      // A production build, started as `next start` would be in a deployment.
      command: `next build && next start --port ${E2E_APP_PORT}`,
      url: `${E2E_APP_URL}/api/health`,
      env: e2eAppEnvironment(),
      reuseExistingServer: false,
      timeout: 240_000,
      stdout: process.env.E2E_SERVER_LOGS ? 'pipe' : 'ignore',
    },
  ],
});
