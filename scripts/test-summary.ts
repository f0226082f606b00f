/**
 * Prints one closing line for CI, "Tests: N passed, N failed, N skipped", summed over the
 * JSON reports that `npm test` leaves in .reports/ (vitest unit, integration and infra; Playwright e2e).
 * Exits 1 when a report is missing or anything failed.
 */
import fs from 'node:fs';

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}
interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const missing: string[] = [];
for (const name of ['unit', 'integration', 'infra']) {
  const file = `.reports/${name}.json`;
  if (!fs.existsSync(file)) {
    missing.push(name);
    continue;
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as VitestReport;
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
}
if (fs.existsSync('.reports/e2e.json')) {
  const { stats } = JSON.parse(fs.readFileSync('.reports/e2e.json', 'utf8')) as PlaywrightReport;
  totals.passed += stats.expected + stats.flaky;
  totals.failed += stats.unexpected;
  totals.skipped += stats.skipped;
} else {
  missing.push('e2e');
}
if (missing.length > 0) console.log(`(no report from: ${missing.join(', ')})`);
console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || missing.length > 0 ? 1 : 0);
