/**
 * Load script (issues 12 and 13: "N people × 2 tabs × T minutes of upload/rename/download/delete
 * with a ledger of what each must have", on one instance or several sharing a store, with
 * short-lived rotating tokens). Not a timed test: it prints what it saw, and exits 1 when a file was
 * lost or corrupted or a person was signed out.
 *
 * The stack is the real one on ports of its own: the emulator (EMULATOR_DATA=memory) on 9629 and
 * the production build laid out as the container runs it (scripts/standalone-layout.ts) on 3400
 * (`--instances N` starts N servers with the same environment on consecutive ports behind one
 * public origin, APP_URL, taken in turn; `--store redis` starts a redis-server for the run and
 * gives every instance its URL as SESSION_STORE_URL). Each server's output goes to a log file.
 * The pool issues `--token-minutes` tokens with refresh-token rotation (`--rotation`, grace 0).
 * N people are created in the emulator and each signs in over plain HTTP through the managed
 * login, so each has real session cookies; by default each signs in with the emulator's clock set
 * back by a different amount, so their first refresh falls inside the run. Each person's `--tabs`
 * tabs share the cookies and loop for `--minutes` over a random mix of createUpload → PUT (the
 * plan's signed headers, If-None-Match included; 412/409 → createUpload again with the name in
 * `taken`) → completeUpload, renameFile onto a small pool of names both tabs reach for,
 * getDownloadUrl + GET with the SHA-256 checked, deleteFiles, listFiles and a reload of /files. The
 * tabs collide on purpose. Bodies are 1–64 KiB of random bytes; one person also sends one file just
 * over the multipart threshold once (`--no-multipart` skips it). At the end each person's files are
 * listed (every page) and every ledger file downloaded: lost and corrupted must be 0, and so must
 * sign-outs (an `unauthenticated`/`session_ended` answer or a page load sent to sign-in). Refresh
 * calls come from the emulator's counters, per person from the servers' `auth.refreshed` lines.
 *
 * Run: `npm run build` once, then `npm run bench:load` or `node bench/load.ts [--people 40]
 * [--tabs 2] [--minutes 5] [--instances 1] [--store memory|redis] [--rotation on|off]
 * [--token-minutes 6] [--no-stagger] [--logs DIR] [--port 3400] [--emulator-port 9629]`.
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
import { type RedisServer, startRedisServer } from '../tests/helpers/redis-server.ts';
import { fileActionIds, Instances, Person } from './support/app-client.ts';
import { Ledger, type LedgerEntry } from './support/ledger.ts';
import { checkPerson, emptyTally } from './support/load-check.ts';
import { LoadMetrics, metricTables } from './support/load-metrics.ts';
import { NAME_POOL, SharedDesk, type TabContext } from './support/load-requests.ts';
import {
  applyTokenSettings,
  explainSignOuts,
  inBatches,
  readLogs,
  signInAll,
  signInPlan,
  tallyRefreshes,
} from './support/load-sessions.ts';
import { runTab } from './support/load-tab.ts';
import { upload } from './support/load-upload.ts';
import { assertPortFree, sampleRss, startStandaloneApp, stopProcess } from './support/stack.ts';
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
    store: { type: 'string', default: 'memory' },
    rotation: { type: 'string', default: 'on' },
    'token-minutes': { type: 'string', default: '6' },
    stagger: { type: 'boolean', default: true },
    logs: { type: 'string' },
    'think-ms': { type: 'string', default: '500' },
    multipart: { type: 'boolean', default: true },
  },
});
const integer = (name: keyof typeof options, min: number, max: number): number => {
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be an integer in ${min}..${max}`);
  return value;
};
const oneOf = <T extends string>(name: keyof typeof options, values: readonly T[]): T => {
  const value = String(options[name]);
  if (!(values as readonly string[]).includes(value)) throw new Error(`--${name} must be one of ${values.join(', ')}`);
  return value as T;
};
const PEOPLE = integer('people', 1, 500);
const TABS = integer('tabs', 1, 8);
const MINUTES = Number(options.minutes);
if (!(MINUTES > 0 && MINUTES <= 60)) throw new Error('--minutes must be in (0, 60]');
const APP_PORT = integer('port', 1024, 65_000);
const EMULATOR_PORT = integer('emulator-port', 1024, 65_535);
const INSTANCES = integer('instances', 1, 8);
const STORE = oneOf('store', ['memory', 'redis'] as const);
const ROTATION = oneOf('rotation', ['on', 'off'] as const) === 'on';
/** Cognito allows 5 minutes to 1 day for ID and access tokens. */
const TOKEN_MINUTES = integer('token-minutes', 5, 1440);
const THINK_MS = integer('think-ms', 0, 60_000);
const APP_URL = `http://localhost:${APP_PORT}`;
const EMULATOR_URL = `http://127.0.0.1:${EMULATOR_PORT}`;
const PASSWORD = 'Correct-Horse-9';
/** Every request's deadline; past it the outcome is unknown (never counted as a loss). */
const REQUEST_TIMEOUT_MS = 30_000;
/** Just over lib/aws/s3-multipart.ts's MULTIPART_THRESHOLD (100 MB), so the plan is multipart. */
const MULTIPART_BYTES = 101 * 1000 * 1000;
/** People created (and checked at the end) at once. */
const SETUP_CONCURRENCY = 4;
/** The whole run gives up past this (a hung request cannot keep it alive). */
const WATCHDOG_MS = (MINUTES + 15) * 60_000;

if (!fs.existsSync(path.join(ROOT, '.next', 'standalone', 'server.js'))) {
  console.error('bench/load.ts: there is no production build (.next/standalone/server.js): run `npm run build` first.');
  process.exit(1);
}
const buildIdFile = path.join(ROOT, '.next', 'BUILD_ID');
const build = `${fs.readFileSync(buildIdFile, 'utf8').trim()} of ${fs.statSync(buildIdFile).mtime.toISOString()}`;
const appPorts = Array.from({ length: INSTANCES }, (_, index) => APP_PORT + index);
for (const port of appPorts) await assertPortFree(port, 'app');
await assertPortFree(EMULATOR_PORT, 'emulator');
const logDir = options.logs ? path.resolve(options.logs) : fs.mkdtempSync(path.join(os.tmpdir(), 'cubby-load-'));
fs.mkdirSync(logDir, { recursive: true });
const logFiles = appPorts.map((port) => path.join(logDir, `app-${port}.log`));
for (const file of logFiles) fs.rmSync(file, { force: true });

const apps: ChildProcess[] = [];
let redis: RedisServer | null = null;
let emulator: EmulatorProcess | null = null;
const watchdog = setTimeout(() => {
  console.error(`bench/load.ts: still running after ${WATCHDOG_MS / 60_000} minutes: giving up.`);
  for (const app of apps) app.kill('SIGKILL');
  void emulator?.stop();
  void redis?.close();
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

const loadBefore = os.loadavg();
let exitCode = 0;
try {
  redis = STORE === 'redis' ? await startRedisServer() : null;
  emulator = await startEmulatorProcess({ EMULATOR_PORT: String(EMULATOR_PORT), APP_URL });
  await applyTokenSettings(emulator, ROTATION, TOKEN_MINUTES);
  const appEnv: Record<string, string> = redis ? { SESSION_STORE_URL: redis.url } : {};
  for (const [index, port] of appPorts.entries())
    apps.push(await startStandaloneApp(port, APP_URL, EMULATOR_URL, { env: appEnv, logFile: logFiles[index] }));
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
    (_, index) => new Person(`load-${run}-${index}@example.com`, instances, ids, REQUEST_TIMEOUT_MS, `p${index}`),
  );
  const ledgers = people.map((_, index) => new Ledger(index, bySha));
  const desks = people.map(() => new SharedDesk());

  const plan = signInPlan(PEOPLE, TOKEN_MINUTES, MINUTES * 60, options.stagger);
  const setupEmulator = emulator;
  await inBatches(people, SETUP_CONCURRENCY, async (person) => {
    person.sub = (await createUser(setupEmulator, { email: person.email, password: PASSWORD })).sub;
  });
  await emulator.hook('DELETE', '/_local/stats');
  const signInMs: number[] = [];
  await signInAll(
    emulator,
    people,
    plan,
    async (person) => {
      const start = performance.now();
      await person.signIn(PASSWORD);
      signInMs.push(performance.now() - start);
    },
    SETUP_CONCURRENCY,
  );

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
  const refreshesDuringRun = Number(
    ((await emulator.hook('GET', '/_local/stats')) as Record<string, number>)['token:refresh_token'] ?? 0,
  );

  // The final check: every page of each person's listing, every ledger file downloaded.
  const tally = emptyTally();
  const details: string[] = [];
  const checkMetrics = new LoadMetrics();
  await inBatches(people, SETUP_CONCURRENCY, async (_, personIndex) => {
    const context = { ...contextFor(personIndex, -1, 0), metrics: checkMetrics };
    await checkPerson(context, ledgers[personIndex] as Ledger, tally, details).catch((error: unknown) => {
      tally.unchecked += 1;
      details.push(`person ${personIndex}: the final check failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  const refreshCalls = Number(
    ((await emulator.hook('GET', '/_local/stats')) as Record<string, number>)['token:refresh_token'] ?? 0,
  );
  const logs = readLogs(logFiles);
  const refreshes = tallyRefreshes(logs, people);
  const perPerson = people.map((_, index) => refreshes.cognitoByPerson.get(index) ?? 0);
  const signOuts = [...metrics.signOuts, ...checkMetrics.signOuts];
  const cookiesDropped = metrics.cookiesDropped.length + checkMetrics.cookiesDropped.length;

  const cpus = os.cpus();
  const load = (values: number[]) => values.map((value) => value.toFixed(1)).join(' ');
  const seenDuringRun = (kind: string) => metrics.findings.filter((finding) => finding.kind === kind).length;
  const met = (value: number) => (value === 0 ? 'yes' : 'no');
  const mb = (value: number) => `${value.toFixed(0)} MB`;
  const operationsDone = [...metrics.operations.values()].reduce((sum, row) => sum + row.done + row.conflicts + row.failed, 0);
  const failedRefreshes = [...refreshes.failed].map(([reason, count]) => `${count} × ${reason}`).join('; ');
  console.log(
    [
      `Load: ${PEOPLE} people × ${TABS} tabs × ${MINUTES} min (pause 0–${THINK_MS} ms between operations) against the production build ` +
        `(${INSTANCES} instance${INSTANCES > 1 ? 's, requests taken in turn' : ''}; shared store: ${redis ? `Redis (redis-server, ${redis.url})` : 'memory, per process'}) ` +
        `and the emulator (memory), Node ${process.version}`,
      `Tokens: ${TOKEN_MINUTES}-minute ID/access tokens, refresh-token rotation ${ROTATION ? 'on' : 'off'}, grace 0 s; ${plan.description}.`,
      `Machine: ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), load average ${load(loadBefore)} before, ${load(os.loadavg())} after; ` +
        'the load, the Next server and the emulator share these cores over loopback.',
      `Bodies 1–64 KiB of random bytes; ${options.multipart ? `one ${MULTIPART_BYTES / 1e6} MB multipart upload by person 0 at the start` : 'no multipart upload'}. ` +
        `${operationsDone} operations in ${loadSeconds.toFixed(0)} s (${(operationsDone / loadSeconds).toFixed(1)}/s). ` +
        `Sign-in over HTTP (managed login): p50 ${percentile(signInMs, 50).toFixed(0)} ms. Build ${build}. Server logs: ${logDir}`,
      '',
      ...metricTables(metrics),
      '',
      '| Check | Value | Target | Met |',
      '|---|---|---|---|',
      `| **Lost objects** (a ledger file missing at the end) | **${tally.lost}** | 0 | ${met(tally.lost)} |`,
      `| **Corrupted objects** (a ledger name holding other bytes) | **${tally.corrupted}** | 0 | ${met(tally.corrupted)} |`,
      `| **Sign-outs** (\`unauthenticated\` / \`session_ended\` answers, page loads sent to sign-in; run + final check) | **${signOuts.length}** | 0 | ${met(signOuts.length)} |`,
      `| Answers that deleted the session cookie | ${cookiesDropped} | 0 | ${met(cookiesDropped)} |`,
      `| Refresh calls at Cognito (emulator \`token:refresh_token\`): during the run / with the final check | ${refreshesDuringRun} / ${refreshCalls} | ≈ ${plan.expectedRefreshes} due by the schedule | |`,
      `| Refresh calls at Cognito per person: mean / min / max (max from the servers' \`auth.refreshed via=cognito\` lines by sub) | ${(refreshCalls / PEOPLE).toFixed(2)} / ${Math.min(...perPerson)} / ${Math.max(...perPerson)} | | |`,
      `| Refreshes logged at Cognito by instance${refreshes.cognitoByPerson.has(-1) ? ` (${refreshes.cognitoByPerson.get(-1)} of an unknown sub)` : ''} / refresh results reused from another request | ${refreshes.cognitoByInstance.join(' + ')} / ${refreshes.reused} | | |`,
      `| Refresh failures logged (\`auth.refresh_failed\`) | ${[...refreshes.failed.values()].reduce((sum, count) => sum + count, 0)}${failedRefreshes ? ` (${failedRefreshes})` : ''} | | |`,
      `| Listings that missed one of the tab's own confirmed files, during the run (observations) | ${seenDuringRun('stale listing')} | 0 | ${met(seenDuringRun('stale listing'))} |`,
      `| Stored but not listed, at the end | ${tally.staleListing} | 0 | ${met(tally.staleListing)} |`,
      `| Listed files in no ledger entry, at the end | ${tally.stray} | 0 | ${met(tally.stray)} |`,
      `| Losses / corruptions seen during the run (judged again at the end) | ${seenDuringRun('lost')} / ${seenDuringRun('corrupted')} | 0 | ${met(seenDuringRun('lost') + seenDuringRun('corrupted'))} |`,
      `| People whose final check could not run | ${tally.unchecked} | 0 | ${met(tally.unchecked)} |`,
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
  if (signOuts.length > 0)
    console.log(
      ['', 'Sign-outs (first 20) and what the servers logged:', ...explainSignOuts(signOuts.slice(0, 20), logs, people)].join(
        '\n',
      ),
    );
  if (checkMetrics.errors.size > 0)
    console.log(`\nErrors during the final check: ${JSON.stringify(Object.fromEntries(checkMetrics.errors))}`);
  if (tally.lost + tally.corrupted + tally.unchecked > 0 || signOuts.length > 0) exitCode = 1;
} finally {
  for (const app of apps) await stopProcess(app);
  await emulator?.stop();
  await redis?.close();
}
process.exit(exitCode);
