/**
 * Load script (issue 12: "N people × 2 tabs × T minutes of upload/rename/download/delete with a
 * ledger of what each must have"). Not a timed test: it prints what it saw, and exits 1 only when
 * a file was lost or corrupted.
 *
 * The stack is the real one on ports of its own: the emulator (EMULATOR_DATA=memory) on 9629 and
 * the production build laid out as the container runs it (scripts/standalone-layout.ts) on 3400
 * (`--instances N` starts N servers on consecutive ports behind one public origin, taken in turn).
 * N people are created in the emulator and each signs in over plain HTTP through the managed
 * login, so each has real session cookies; each person's `--tabs` tabs share them and loop for
 * `--minutes` over a random mix of createUpload → PUT (the plan's signed headers, If-None-Match
 * included; 412/409 → createUpload again with the name in `taken`) → completeUpload, renameFile
 * onto a small pool of names both tabs reach for, getDownloadUrl + GET with the SHA-256 checked,
 * deleteFiles and listFiles. The tabs collide on purpose: half the time a tab writes the name the
 * other tab is writing at that moment, and now and then both start uploading one name together. Bodies are 1–64 KiB of random bytes; one person also sends one file
 * just over the multipart threshold once (`--no-multipart` skips it). At the end each person's
 * files are listed (every page) and every ledger file downloaded: lost and corrupted must be 0.
 *
 * Run: `npm run build` once, then `npm run bench:load` or
 * `node bench/load.ts [--people 40] [--tabs 2] [--minutes 5] [--port 3400] [--emulator-port 9629]`.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, standaloneDir } from '../scripts/standalone-layout.ts';
import { createUser } from '../tests/helpers/cognito-login.ts';
import { type EmulatorProcess, startEmulatorProcess } from '../tests/helpers/emulator-process.ts';
import { fileActionIds, Instances, Person } from './support/app-client.ts';
import { Ledger, type LedgerEntry, verdictFor } from './support/ledger.ts';
import { LoadMetrics, metricTables } from './support/load-metrics.ts';
import { NAME_POOL, SharedDesk, type TabContext } from './support/load-requests.ts';
import { downloadSha, listAll, runTab } from './support/load-tab.ts';
import { upload } from './support/load-upload.ts';
import { assertPortFree, startStandaloneApp, stopProcess } from './support/stack.ts';
import { percentile } from './support/stats.ts';

const { values: options } = parseArgs({
  allowNegative: true,
  options: {
    people: { type: 'string', default: '40' },
    tabs: { type: 'string', default: '2' },
    minutes: { type: 'string', default: '5' },
    port: { type: 'string', default: '3400' },
    'emulator-port': { type: 'string', default: '9629' },
    instances: { type: 'string', default: '1' },
    'think-ms': { type: 'string', default: '500' },
    multipart: { type: 'boolean', default: true },
  },
});
const integer = (name: keyof typeof options, min: number, max: number): number => {
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be an integer in ${min}..${max}`);
  return value;
};
const PEOPLE = integer('people', 1, 500);
const TABS = integer('tabs', 1, 8);
const MINUTES = Number(options.minutes);
if (!(MINUTES > 0 && MINUTES <= 60)) throw new Error('--minutes must be in (0, 60]');
const APP_PORT = integer('port', 1024, 65_000);
const EMULATOR_PORT = integer('emulator-port', 1024, 65_535);
const INSTANCES = integer('instances', 1, 8);
const THINK_MS = integer('think-ms', 0, 60_000);
const APP_URL = `http://localhost:${APP_PORT}`;
const EMULATOR_URL = `http://127.0.0.1:${EMULATOR_PORT}`;
const PASSWORD = 'Correct-Horse-9';
/** Every request's deadline; past it the outcome is unknown (never counted as a loss). */
const REQUEST_TIMEOUT_MS = 30_000;
/** Just over lib/aws/s3-multipart.ts's MULTIPART_THRESHOLD (100 MB), so the plan is multipart. */
const MULTIPART_BYTES = 101 * 1000 * 1000;
/** People signed in (and checked at the end) at once. */
const SETUP_CONCURRENCY = 4;
/** The whole run gives up past this (a hung request cannot keep it alive). */
const WATCHDOG_MS = (MINUTES + 15) * 60_000;

/** Runs `work` over `items`, `limit` at a time. */
async function inBatches<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) await work(items[index] as T, index);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Peak resident memory of the server processes, sampled from /proc/<pid>/status. */
function sampleRss(children: readonly ChildProcess[]): { stop(): { sampledMb: number; highWaterMb: number } } {
  const read = (pid: number | undefined, field: string) => {
    try {
      const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      return Number(match?.[1] ?? 0) / 1024;
    } catch {
      return 0;
    }
  };
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(
      peak,
      children.reduce((sum, child) => sum + read(child.pid, 'VmRSS'), 0),
    );
  }, 500);
  return {
    stop() {
      clearInterval(timer);
      return { sampledMb: peak, highWaterMb: children.reduce((sum, child) => sum + read(child.pid, 'VmHWM'), 0) };
    },
  };
}

if (!fs.existsSync(path.join(ROOT, '.next', 'standalone', 'server.js'))) {
  console.error('bench/load.ts: there is no production build (.next/standalone/server.js): run `npm run build` first.');
  process.exit(1);
}
const appPorts = Array.from({ length: INSTANCES }, (_, index) => APP_PORT + index);
for (const port of appPorts) await assertPortFree(port, 'app');
await assertPortFree(EMULATOR_PORT, 'emulator');

const watchdog = setTimeout(() => {
  console.error(`bench/load.ts: still running after ${WATCHDOG_MS / 60_000} minutes: giving up.`);
  for (const app of apps) app.kill('SIGKILL');
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

const loadBefore = os.loadavg();
const emulator: EmulatorProcess = await startEmulatorProcess({ EMULATOR_PORT: String(EMULATOR_PORT), APP_URL });
const apps: ChildProcess[] = [];
let exitCode = 0;
try {
  for (const port of appPorts) apps.push(await startStandaloneApp(port, APP_URL, EMULATOR_URL));
  const instances = new Instances(
    APP_URL,
    appPorts.map((port) => `http://localhost:${port}`),
  );
  const ids = fileActionIds(standaloneDir(APP_PORT));
  const metrics = new LoadMetrics();
  const bySha = new Map<string, LedgerEntry>();
  const run = Date.now().toString(36);
  const people = Array.from(
    { length: PEOPLE },
    (_, index) => new Person(`load-${run}-${index}@example.com`, instances, ids, REQUEST_TIMEOUT_MS),
  );
  const ledgers = people.map((_, index) => new Ledger(index, bySha));
  const desks = people.map(() => new SharedDesk());

  const signInMs: number[] = [];
  await inBatches(people, SETUP_CONCURRENCY, async (person) => {
    await createUser(emulator, { email: person.email, password: PASSWORD });
    const start = performance.now();
    await person.signIn(PASSWORD);
    signInMs.push(performance.now() - start);
  });

  // One sign-in at a time per person, shared by its tabs, after an unexpected sign-out.
  const reSignIns = people.map(() => null as Promise<void> | null);
  const contextFor = (personIndex: number, tab: number, deadline: number): TabContext => ({
    person: people[personIndex] as Person,
    personIndex,
    tab,
    ledger: ledgers[personIndex] as Ledger,
    metrics,
    deadline,
    maxOperations: Math.ceil(MINUTES * 60 * 50),
    thinkMs: THINK_MS,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    desk: desks[personIndex] as SharedDesk,
    signInAgain: () => {
      reSignIns[personIndex] ??= (people[personIndex] as Person).signIn(PASSWORD).finally(() => {
        reSignIns[personIndex] = null;
      });
      return reSignIns[personIndex];
    },
  });

  const rss = sampleRss(apps);
  const loadStart = performance.now();
  const deadline = loadStart + MINUTES * 60_000;
  const tabs: Promise<void>[] = [];
  for (let personIndex = 0; personIndex < PEOPLE; personIndex += 1) {
    for (let tab = 0; tab < TABS; tab += 1) {
      const context = contextFor(personIndex, tab, deadline);
      tabs.push(
        (async () => {
          if (options.multipart && personIndex === 0 && tab === 0)
            await upload(context, NAME_POOL[0], randomBytes(MULTIPART_BYTES));
          await runTab(context);
        })().catch((error: unknown) => metrics.error('tab stopped', error instanceof Error ? error.message : String(error))),
      );
    }
  }
  await Promise.all(tabs);
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const memory = rss.stop();

  // The final check: every page of each person's listing, every ledger file downloaded.
  const tally = { lost: 0, corrupted: 0, staleListing: 0, uncertainFound: 0, uncertainAbsent: 0, stray: 0, listed: 0, ledger: 0 };
  const details: string[] = [];
  const checkMetrics = new LoadMetrics();
  await inBatches(people, SETUP_CONCURRENCY, async (_, personIndex) => {
    const ledger = ledgers[personIndex] as Ledger;
    const context = { ...contextFor(personIndex, -1, 0), metrics: checkMetrics };
    const listing = await listAll(context);
    if (!listing) throw new Error(`person ${personIndex}: the final listing failed`);
    tally.listed += listing.size;
    const sizes = new Map([...listing].map(([name, item]) => [name, item.size]));
    const claimed = new Set<string>();
    for (const entry of ledger.entries()) {
      tally.ledger += 1;
      if (entry.state === 'uncertain') {
        let found = false;
        for (const name of entry.maybe) {
          const item = listing.get(name);
          const got = item ? await downloadSha(context, item.key) : null;
          if (got && 'sha' in got && got.sha === entry.sha) {
            found = true;
            claimed.add(name);
            break;
          }
        }
        if (found) tally.uncertainFound += 1;
        else tally.uncertainAbsent += 1;
        continue;
      }
      claimed.add(entry.name);
      const got = await downloadSha(context, entry.key);
      if ('code' in got) throw new Error(`person ${personIndex}: getDownloadUrl for "${entry.name}" answered ${got.code}`);
      const verdict = verdictFor(ledger, entry, sizes, got);
      if (verdict.kind === 'ok') continue;
      if (verdict.kind === 'lost') tally.lost += 1;
      else if (verdict.kind === 'corrupted') tally.corrupted += 1;
      else tally.staleListing += 1;
      details.push(`person ${personIndex} ${verdict.kind}: ${verdict.detail}`);
    }
    for (const name of listing.keys()) {
      if (claimed.has(name)) continue;
      tally.stray += 1;
      details.push(`person ${personIndex} stray file: "${name}" is listed but in no ledger entry`);
    }
  });

  const cpus = os.cpus();
  const load = (values: number[]) => values.map((value) => value.toFixed(1)).join(' ');
  const seenDuringRun = (kind: string) => metrics.findings.filter((finding) => finding.kind === kind).length;
  const met = (value: number) => (value === 0 ? 'yes' : 'no');
  const mb = (value: number) => `${value.toFixed(0)} MB`;
  const operationsDone = [...metrics.operations.values()].reduce((sum, row) => sum + row.done + row.conflicts + row.failed, 0);
  console.log(
    [
      `Load: ${PEOPLE} people × ${TABS} tabs × ${MINUTES} min (pause 0–${THINK_MS} ms between operations) against the production build ` +
        `(${INSTANCES} instance${INSTANCES > 1 ? 's' : ''}) and the emulator (memory), Node ${process.version}`,
      `Machine: ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), load average ${load(loadBefore)} before, ${load(os.loadavg())} after; ` +
        'the load, the Next server and the emulator share these cores over loopback.',
      `Bodies 1–64 KiB of random bytes; ${options.multipart ? `one ${MULTIPART_BYTES / 1e6} MB multipart upload by person 0 at the start` : 'no multipart upload'}. ` +
        `${operationsDone} operations in ${loadSeconds.toFixed(0)} s (${(operationsDone / loadSeconds).toFixed(1)}/s). ` +
        `Sign-in over HTTP (managed login): p50 ${percentile(signInMs, 50).toFixed(0)} ms.`,
      '',
      ...metricTables(metrics),
      '',
      '| Check | Value | Target | Met |',
      '|---|---|---|---|',
      `| **Lost objects** (a ledger file missing at the end) | **${tally.lost}** | 0 | ${met(tally.lost)} |`,
      `| **Corrupted objects** (a ledger name holding other bytes) | **${tally.corrupted}** | 0 | ${met(tally.corrupted)} |`,
      `| Unexpected sign-outs (unauthenticated / session_ended answers) | ${metrics.signOuts} | 0 | ${met(metrics.signOuts)} |`,
      `| Listings that missed one of the tab's own confirmed files, during the run (observations) | ${seenDuringRun('stale listing')} | 0 | ${met(seenDuringRun('stale listing'))} |`,
      `| Stored but not listed, at the end | ${tally.staleListing} | 0 | ${met(tally.staleListing)} |`,
      `| Listed files in no ledger entry, at the end | ${tally.stray} | 0 | ${met(tally.stray)} |`,
      `| Losses / corruptions seen during the run (judged again at the end) | ${seenDuringRun('lost')} / ${seenDuringRun('corrupted')} | 0 | ${met(seenDuringRun('lost') + seenDuringRun('corrupted'))} |`,
      `| Ledger entries at the end / files listed | ${tally.ledger} / ${tally.listed} | | |`,
      `| Uncertain entries (a request timed out): found / absent | ${tally.uncertainFound} / ${tally.uncertainAbsent} | | |`,
      `| Server RSS peak (sampled every 0.5 s${INSTANCES > 1 ? ', instances summed' : ''}) / VmHWM | ${mb(memory.sampledMb)} / ${mb(memory.highWaterMb)} | | |`,
    ].join('\n'),
  );
  const findings = [
    ...metrics.findings.map(
      (finding) => `${finding.at.toFixed(1)} s person ${finding.person} tab ${finding.tab} ${finding.kind}: ${finding.detail}`,
    ),
    ...details,
  ];
  if (findings.length > 0)
    console.log(['', 'Findings (first 40):', ...findings.slice(0, 40).map((line) => `- ${line}`)].join('\n'));
  if (checkMetrics.errors.size > 0)
    console.log(`\nErrors during the final check: ${JSON.stringify(Object.fromEntries(checkMetrics.errors))}`);
  if (tally.lost + tally.corrupted > 0) exitCode = 1;
} finally {
  for (const app of apps) await stopProcess(app);
  await emulator.stop();
}
process.exit(exitCode);
