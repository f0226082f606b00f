import path from 'node:path';

/**
 * Where the e2e run writes its servers' output (playwright.config.ts), for tests/logscan to read.
 * Relative to the repository root (the servers' working directory); each run truncates them.
 */
export const E2E_APP_LOG = '.reports/e2e-app.log';
export const E2E_EMULATOR_LOG = '.reports/e2e-emulator.log';

/** A repository-relative path made absolute, for readers whose working directory may differ. */
export function fromRepositoryRoot(relative: string): string {
  return path.resolve(import.meta.dirname, '..', '..', relative);
}
