/**
 * Sessions in bench/load.ts: the pool's token settings, people signed in with their tokens aged
 * by different amounts (so their refreshes fall inside the run, spread over it), and what the app
 * servers logged about refreshes and sign-outs (read back from their log files).
 */
import fs from 'node:fs';
import type { EmulatorProcess } from '../../tests/helpers/emulator-process.ts';
import type { Person } from './app-client.ts';
import type { SignOut } from './load-metrics.ts';

/**
 * The app refreshes tokens when less than this fraction of their lifetime is left
 * (lib/auth/refresh.ts's REFRESH_MARGIN_FRACTION, not importable from a plain Node script: that
 * module is server-only). Only the schedule below uses it; the counts come from Cognito and the logs.
 */
const APP_REFRESH_AT = 3 / 4;
/** The earliest first refresh, in seconds after a person's sign-in. */
const FIRST_DUE_S = 15;

/** Token settings of the pool for the run, applied through the emulator's `/_local/settings`. */
export async function applyTokenSettings(emulator: EmulatorProcess, rotation: boolean, tokenMinutes: number): Promise<void> {
  await emulator.hook('POST', '/_local/settings', {
    refreshTokenRotation: rotation,
    retryGracePeriodSeconds: 0,
    idTokenValiditySeconds: tokenMinutes * 60,
    accessTokenValiditySeconds: tokenMinutes * 60,
  });
}

/** When each person signs in and how old their first tokens are. */
export interface SignInPlan {
  /** Seconds the emulator's clock is set back for person i's sign-in (0 without staggering). */
  skewSeconds: number[];
  /** Refreshes at Cognito the schedule predicts over `runSeconds` (every due refresh made once). */
  expectedRefreshes: number;
  /** One line saying what was done, for the report. */
  description: string;
}

/**
 * Spreads first refreshes over the run: person i signs in with the clock set back so that their
 * tokens fall due between {@link FIRST_DUE_S} s and the end of the run (or of the tokens' first
 * refresh interval, whichever is earlier) after sign-in, evenly across people.
 */
export function signInPlan(people: number, tokenMinutes: number, runSeconds: number, stagger: boolean): SignInPlan {
  const interval = tokenMinutes * 60 * APP_REFRESH_AT;
  const last = Math.max(FIRST_DUE_S, Math.min(runSeconds, interval) - FIRST_DUE_S);
  const due = Array.from({ length: people }, (_, index) =>
    stagger ? FIRST_DUE_S + ((last - FIRST_DUE_S) * index) / Math.max(1, people - 1) : interval,
  );
  const skewSeconds = due.map((seconds) => Math.round(interval - seconds));
  const expectedRefreshes = due.reduce(
    (sum, seconds) => sum + (seconds <= runSeconds ? 1 + Math.floor((runSeconds - seconds) / interval) : 0),
    0,
  );
  const description = stagger
    ? `people signed in one by one with the emulator's clock set back ${Math.min(...skewSeconds)}–${Math.max(...skewSeconds)} s ` +
      `(a different amount each), so first refreshes fall ${FIRST_DUE_S}–${Math.round(last)} s after sign-in, then every ` +
      `${interval} s (the app refreshes at ${APP_REFRESH_AT * 100}% of a token's life)`
    : `people signed in with fresh tokens: first refresh ${interval} s after sign-in`;
  return { skewSeconds, expectedRefreshes, description };
}

/** Runs `work` over `items`, `limit` at a time. */
export async function inBatches<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) await work(items[index] as T, index);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Signs `people` in. With a skew, one at a time (the emulator has one clock), earliest refresh
 * last so it still falls inside the run; the clock goes back to 0 after each. Without, `concurrency` at once.
 */
export async function signInAll(
  emulator: EmulatorProcess,
  people: readonly Person[],
  plan: SignInPlan,
  signIn: (person: Person) => Promise<void>,
  concurrency: number,
): Promise<void> {
  if (plan.skewSeconds.every((skew) => skew === 0)) return inBatches(people, concurrency, signIn);
  const order = people.map((_, index) => index).sort((a, b) => (plan.skewSeconds[a] ?? 0) - (plan.skewSeconds[b] ?? 0));
  try {
    for (const index of order) {
      await emulator.hook('POST', '/_local/clock', { offsetSeconds: -(plan.skewSeconds[index] ?? 0) });
      await signIn(people[index] as Person);
    }
  } finally {
    await emulator.hook('POST', '/_local/clock', { offsetSeconds: 0 });
  }
}

/** One JSON log line of an app server. */
export interface LogLine {
  time?: string;
  level?: string;
  event?: string;
  requestId?: string;
  [field: string]: unknown;
}

/** The JSON lines of each instance's log file (other lines, such as Next's banner, skipped). */
export function readLogs(files: readonly string[]): LogLine[][] {
  return files.map((file) => {
    if (!fs.existsSync(file)) return [];
    const lines: LogLine[] = [];
    for (const text of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!text.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(text) as LogLine);
      } catch {
        // A line cut short by the server's exit.
      }
    }
    return lines;
  });
}

/** Refreshes the servers logged: calls at Cognito per person, results reused from the store, failures by reason. */
export interface RefreshTally {
  /** `auth.refreshed` with `via: cognito`, by person index (-1: a sub of nobody in the run). */
  cognitoByPerson: Map<number, number>;
  cognitoByInstance: number[];
  /** `auth.refreshed` with `via: store`: another request's (or instance's) refresh reused. */
  reused: number;
  /** `auth.refresh_failed` by `code: reason`. */
  failed: Map<string, number>;
}

export function tallyRefreshes(logs: readonly LogLine[][], people: readonly Person[]): RefreshTally {
  const bySub = new Map(people.map((person, index) => [person.sub, index]));
  const tally: RefreshTally = { cognitoByPerson: new Map(), cognitoByInstance: logs.map(() => 0), reused: 0, failed: new Map() };
  logs.forEach((lines, instance) => {
    for (const line of lines) {
      if (line.event === 'auth.refreshed' && line.via === 'cognito') {
        const person = bySub.get(String(line.sub)) ?? -1;
        tally.cognitoByPerson.set(person, (tally.cognitoByPerson.get(person) ?? 0) + 1);
        tally.cognitoByInstance[instance] = (tally.cognitoByInstance[instance] ?? 0) + 1;
      } else if (line.event === 'auth.refreshed') tally.reused += 1;
      else if (line.event === 'auth.refresh_failed') {
        const key = `${String(line.code)}: ${String(line.reason)}`;
        tally.failed.set(key, (tally.failed.get(key) ?? 0) + 1);
      }
    }
  });
  return tally;
}

/**
 * What the servers logged around each sign-out: the lines of the refused request itself, and the
 * same person's refresh lines (any instance) in the 20 s before it, oldest first.
 */
export function explainSignOuts(signOuts: readonly SignOut[], logs: readonly LogLine[][], people: readonly Person[]): string[] {
  const out: string[] = [];
  for (const signOut of signOuts) {
    const person = people[signOut.person];
    const prefix = `load-${person?.tag ?? '?'}-`;
    const until = Date.parse(signOut.time) + 1000;
    const related = logs.flatMap((lines, instance) =>
      lines
        .filter((line) => {
          if (line.requestId === signOut.requestId) return true;
          const time = Date.parse(line.time ?? '');
          const near = time <= until && time >= until - 21_000;
          const refresh = line.event?.startsWith('auth.refresh') || line.event === 'session.rejected';
          return near && refresh && (line.requestId?.startsWith(prefix) || line.sub === person?.sub);
        })
        .map((line) => ({ instance, line })),
    );
    related.sort((a, b) => (a.line.time ?? '').localeCompare(b.line.time ?? ''));
    out.push(
      `${signOut.at.toFixed(1)} s person ${signOut.person} tab ${signOut.tab} ${signOut.where} → ${signOut.code} ` +
        `(request ${signOut.requestId} on ${signOut.instance})`,
      ...related.map(({ instance, line }) => `    instance ${instance + 1}: ${JSON.stringify(line)}`),
    );
  }
  return out;
}
