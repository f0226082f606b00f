import fs from 'node:fs';

/** Chromium flags for a root, offline machine: no sandbox, no background calls home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The Chromium binary Playwright drives: PLAYWRIGHT_CHROMIUM_PATH, else Debian's /usr/bin/chromium.
 * Playwright never downloads a browser here (no network); this fails with the fix spelled out.
 */
export function chromiumExecutable(environment: NodeJS.ProcessEnv = process.env): string {
  const configured = environment.PLAYWRIGHT_CHROMIUM_PATH;
  if (configured) {
    if (fs.existsSync(configured)) return configured;
    throw new Error(
      `PLAYWRIGHT_CHROMIUM_PATH is set to ${configured}, but no file exists there. Point it at a Chromium binary or unset it.`,
    );
  }
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  throw new Error(
    'Chromium was not found. Install Debian\'s Chromium with "apt-get install -y chromium" (it lands in /usr/bin/chromium), ' +
      'or set PLAYWRIGHT_CHROMIUM_PATH to a Chromium or Chrome binary.',
  );
}
