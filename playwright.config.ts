import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './tests/e2e/chromium.ts';
import { E2E_APP_PORT, E2E_APP_URL, E2E_EMULATOR_PORT, E2E_EMULATOR_URL, e2eAppEnvironment } from './tests/helpers/e2e-env.ts';
import { E2E_APP_LOG, E2E_EMULATOR_LOG } from './tests/logscan/log-files.ts';

const executablePath = chromiumExecutable();
const serverLogs = process.env.E2E_SERVER_LOGS ? 'pipe' : 'ignore';

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
    {
      // Reads the app server's log after every browser test has run (servers still up).
      name: 'logscan',
      testDir: 'tests/logscan',
      dependencies: ['chromium'],
    },
  ],
  webServer: [
    {
      // Output goes to a file for tests/logscan (and to the console with E2E_SERVER_LOGS=1).
      command: `mkdir -p .reports && node emulator/server.ts 2>&1 | tee ${E2E_EMULATOR_LOG}`,
      url: `${E2E_EMULATOR_URL}/_local/config`,
      env: { EMULATOR_PORT: String(E2E_EMULATOR_PORT), EMULATOR_DATA: 'memory', APP_URL: E2E_APP_URL },
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: serverLogs,
    },
    {
      // A production build, run as the container image runs it (Dockerfile): `node server.js` from
      // a copy of the standalone output outside the repository, with only the container's
      // environment. scripts/standalone.ts also writes the server's output to a file for tests/logscan.
      command: `next build && node scripts/standalone.ts --port ${E2E_APP_PORT} --log ${E2E_APP_LOG}`,
      url: `${E2E_APP_URL}/api/health`,
      env: e2eAppEnvironment(),
      reuseExistingServer: false,
      timeout: 240_000,
      stdout: serverLogs,
    },
  ],
});
