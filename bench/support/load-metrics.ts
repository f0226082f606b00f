/**
 * Counters of bench/load.ts: operations and their outcomes, latencies per request kind, sign-outs
 * and what went missing or wrong, and the table they print as.
 */
import { percentile } from './stats.ts';

/** A person's operations, as the load mixes them. */
export const OPERATIONS = [
  'upload',
  'upload, both tabs one name',
  'multipart upload',
  'rename',
  'download',
  'delete',
  'list',
  'open /files',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** A loss or corruption seen during the run (the final check is the count; these explain it). */
export interface Finding {
  kind: 'lost' | 'corrupted' | 'stale listing';
  person: number;
  tab: number;
  detail: string;
  /** Seconds since the load started. */
  at: number;
}

/** A sign-out the person did not ask for: an answer, or a page load sent to sign-in. */
export interface SignOut {
  person: number;
  tab: number;
  /** The action, or `GET /files`. */
  where: string;
  /** `unauthenticated`, `session_ended`, or `redirect to sign-in`. */
  code: string;
  requestId: string;
  instance: string;
  /** Seconds since the load started. */
  at: number;
  /** Wall-clock time (ISO), to find the servers' log lines around it. */
  time: string;
}

export class LoadMetrics {
  readonly started = performance.now();
  readonly latencies = new Map<string, number[]>();
  readonly operations = new Map<Operation, { done: number; conflicts: number; failed: number }>();
  readonly errors = new Map<string, number>();
  /** Answers that say a name was taken, handled as the browser handles them. */
  readonly expectedAnswers = new Map<string, number>();
  readonly findings: Finding[] = [];
  /** Answers `unauthenticated` / `session_ended` and page loads sent to sign-in (each followed by a fresh sign-in). */
  readonly signOuts: SignOut[] = [];
  /** Answers that told the browser to drop its session cookie, whatever they said otherwise. */
  readonly cookiesDropped: Omit<SignOut, 'code'>[] = [];

  /** Seconds since the start. */
  elapsed(): number {
    return (performance.now() - this.started) / 1000;
  }

  time(kind: string, ms: number): void {
    let samples = this.latencies.get(kind);
    if (!samples) {
      samples = [];
      this.latencies.set(kind, samples);
    }
    samples.push(ms);
  }

  /** An operation's end: `done`, `conflict` (a taken name answered as designed) or `failed`. */
  count(operation: Operation, outcome: 'done' | 'conflict' | 'failed'): void {
    const row = this.operations.get(operation) ?? { done: 0, conflicts: 0, failed: 0 };
    if (outcome === 'done') row.done += 1;
    else if (outcome === 'conflict') row.conflicts += 1;
    else row.failed += 1;
    this.operations.set(operation, row);
  }

  /** An answer that is an error, by where and code (`createUpload: quota_exceeded`, `S3 PUT: 403`). */
  error(where: string, code: string): void {
    const key = `${where}: ${code}`;
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
  }

  /** An answer the design expects under contention (`S3 PUT: 412, …`), counted apart from errors. */
  expected(where: string, what: string): void {
    const key = `${where}: ${what}`;
    this.expectedAnswers.set(key, (this.expectedAnswers.get(key) ?? 0) + 1);
  }

  found(finding: Omit<Finding, 'at'>): void {
    this.findings.push({ ...finding, at: this.elapsed() });
  }

  signedOut(signOut: Omit<SignOut, 'at' | 'time'>): void {
    this.signOuts.push({ ...signOut, at: this.elapsed(), time: new Date().toISOString() });
  }

  cookieDropped(event: Omit<SignOut, 'at' | 'time' | 'code'>): void {
    this.cookiesDropped.push({ ...event, at: this.elapsed(), time: new Date().toISOString() });
  }
}

const ms = (value: number) => (Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(1) : value.toFixed(0));

/** The operations, latency and error tables (Markdown, as the other benchmarks print). */
export function metricTables(metrics: LoadMetrics): string[] {
  const lines = ['| Operation | Done | Name taken, answered as designed | Failed |', '|---|---|---|---|'];
  for (const operation of OPERATIONS) {
    const row = metrics.operations.get(operation);
    if (row) lines.push(`| ${operation} | ${row.done} | ${row.conflicts} | ${row.failed} |`);
  }
  lines.push('', '| Request | Count | p50 ms | p95 ms | p99 ms | max ms |', '|---|---|---|---|---|---|');
  for (const [kind, samples] of [...metrics.latencies].sort(([a], [b]) => a.localeCompare(b))) {
    const max = samples.reduce((top, value) => Math.max(top, value), 0);
    lines.push(
      `| ${kind} | ${samples.length} | ${ms(percentile(samples, 50))} | ${ms(percentile(samples, 95))} | ${ms(percentile(samples, 99))} | ${ms(max)} |`,
    );
  }
  lines.push('', '| Expected answer under contention | Count |', '|---|---|');
  if (metrics.expectedAnswers.size === 0) lines.push('| none | 0 |');
  for (const [key, count] of metrics.expectedAnswers) lines.push(`| ${key} | ${count} |`);
  lines.push('', '| Error (where: code) | Count |', '|---|---|');
  if (metrics.errors.size === 0) lines.push('| none | 0 |');
  for (const [key, count] of [...metrics.errors].sort(([, a], [, b]) => b - a)) lines.push(`| ${key} | ${count} |`);
  return lines;
}
