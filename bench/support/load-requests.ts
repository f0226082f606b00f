/**
 * What bench/load.ts's tabs share: the tab's context, a person's shared desk (so the tabs collide
 * on purpose), and the two kinds of request a tab makes (a server action, a presigned S3 URL),
 * each timed and bounded.
 */
import { createHash, randomInt } from 'node:crypto';
import { type FileAction, type Person, RequestFailure, type RequestTrace } from './app-client.ts';
import type { FlightResult } from './flight.ts';
import type { Ledger } from './ledger.ts';
import type { LoadMetrics } from './load-metrics.ts';

/** Names of one person's files: few, so both tabs reach for the same ones at the same moment. */
export const NAME_POOL = ['notes.txt', 'report.pdf', 'data.csv', 'song.mp3'] as const;
const SIGN_OUT_CODES = new Set(['unauthenticated', 'session_ended']);

/**
 * What one person's tabs share besides cookies, so they collide on purpose: the name each tab is
 * writing right now (an upload's planned name, a rename's target; the other tab reaches for it half
 * the time), and a meeting point where both tabs start uploading the same name at the same moment.
 */
export class SharedDesk {
  readonly writing = new Map<number, string>();
  #meeting: { host: number; name: string; arrive: () => void } | null = null;

  /** The name of an upload another tab waits to start with this one, or null (and the meeting is over). */
  join(tab: number): string | null {
    const meeting = this.#meeting;
    if (!meeting || meeting.host === tab) return null;
    this.#meeting = null;
    meeting.arrive();
    return meeting.name;
  }

  /** Waits up to `ms` for another tab to {@link join} an upload of `name`: true when one did. */
  async host(tab: number, name: string, ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const met = new Promise<boolean>((resolve) => {
      this.#meeting = { host: tab, name, arrive: () => resolve(true) };
      timer = setTimeout(() => resolve(false), ms);
    });
    const joined = await met;
    clearTimeout(timer);
    if (this.#meeting?.host === tab) this.#meeting = null;
    return joined;
  }
}

export interface TabContext {
  person: Person;
  personIndex: number;
  tab: number;
  ledger: Ledger;
  metrics: LoadMetrics;
  /** performance.now() past which the tab starts no new operation. */
  deadline: number;
  maxOperations: number;
  /** Upper bound of the random pause between two operations. */
  thinkMs: number;
  requestTimeoutMs: number;
  /** What the person's tabs share besides cookies. */
  desk: SharedDesk;
  /** Signs the person in again after an unexpected sign-out (one sign-in for all their tabs). */
  signInAgain(): Promise<void>;
}

/** An action's answer, or how it failed to come: `unknown` when the server may have acted (timeout, dropped connection). */
export type Answer = FlightResult | { ok: false; code: string; message: string; unknown: boolean };

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
export const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)] as T;
export const typeOf = (name: string) =>
  ({ txt: 'text/plain', pdf: 'application/pdf', csv: 'text/csv', mp3: 'audio/mpeg' })[name.split('.').pop() ?? ''] ?? '';

/** A name to write: half the time one the person's other tab is writing at this moment, else one from the pool. */
export function contestedName(context: TabContext, except?: string): string {
  const others = [...context.desk.writing]
    .filter(([tab, name]) => tab !== context.tab && name !== except)
    .map(([, name]) => name);
  if (others.length > 0 && randomInt(2) === 0) return pick(others);
  return pick(NAME_POOL.filter((name) => name !== except));
}

/** Counts an answer that dropped the session cookie, and a sign-out (after which the person signs in again). */
async function noteSession(context: TabContext, where: string, trace: RequestTrace, signOutCode: string | null): Promise<void> {
  const seen = { person: context.personIndex, tab: context.tab, where, requestId: trace.requestId, instance: trace.instance };
  if (trace.clearedSession) context.metrics.cookieDropped(seen);
  if (signOutCode === null) return;
  context.metrics.signedOut({ ...seen, code: signOutCode });
  await context.signInAgain();
}

/** Calls an action, timing it and counting an error or a sign-out (after which the person signs in again). */
export async function call(context: TabContext, name: FileAction, input: unknown): Promise<Answer> {
  const start = performance.now();
  const trace: RequestTrace = { requestId: '', instance: '' };
  let answer: Answer;
  try {
    answer = await context.person.action(name, input, trace);
  } catch (error) {
    const failure = error instanceof RequestFailure ? error : new RequestFailure('network', String(error));
    const code = failure.kind === 'http' ? `http_${failure.status}` : failure.kind;
    answer = { ok: false, code, message: failure.message, unknown: failure.kind === 'timeout' || failure.kind === 'network' };
  }
  context.metrics.time(name, performance.now() - start);
  await noteSession(context, name, trace, !answer.ok && SIGN_OUT_CODES.has(answer.code) ? answer.code : null);
  return answer;
}

/**
 * Loads the /files page as a browser does (the proxy's session decision, then the render): true
 * on a 200; a redirect to sign-in counts as a sign-out (and the person signs in again).
 */
export async function openFiles(context: TabContext): Promise<boolean> {
  const start = performance.now();
  const trace: RequestTrace = { requestId: '', instance: '' };
  const page = await context.person.fetchApp('/files', {}, trace).catch(() => null);
  await page?.arrayBuffer().catch(() => undefined);
  context.metrics.time('GET /files', performance.now() - start);
  const location = page?.headers.get('location');
  const toSignIn = page !== null && page.status >= 300 && page.status < 400 && location?.includes('/auth/login') === true;
  if (page?.status !== 200 && !toSignIn) context.metrics.error('GET /files', String(page?.status ?? 'failed'));
  await noteSession(context, 'GET /files', trace, toSignIn ? 'redirect to sign-in' : null);
  return page?.status === 200;
}

export const isUnknown = (answer: Answer) => !answer.ok && 'unknown' in answer && answer.unknown;

/** What S3 answered a presigned request: status, ETag and body. */
export interface S3Answer {
  status: number;
  etag: string | null;
  bytes: Uint8Array;
}

/** A request to S3 (a presigned URL), timed and read to the end; null on a timeout or a dropped connection. */
export async function s3(
  context: TabContext,
  kind: 'S3 PUT' | 'S3 GET',
  url: string,
  init: RequestInit,
): Promise<S3Answer | null> {
  const start = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(context.requestTimeoutMs) });
    return { status: response.status, etag: response.headers.get('etag'), bytes: await response.bytes() };
  } catch {
    return null;
  } finally {
    context.metrics.time(kind, performance.now() - start);
  }
}

export interface SinglePlan {
  kind: 'single';
  key: string;
  name: string;
  url: string;
  headers: Record<string, string>;
}
export interface MultipartPlan {
  kind: 'multipart';
  key: string;
  name: string;
  uploadId: string;
  partSize: number;
  partCount: number;
  parts: { partNumber: number; url: string }[];
}
export interface FileItem {
  key: string;
  name: string;
  size: number;
}
