/**
 * One tab of one person in bench/load.ts: a bounded loop of the person's real operations through
 * the app's server actions over HTTP and presigned S3 URLs, exactly as the browser makes them
 * (app/(signed-in)/files/_components/upload.ts for uploads), keeping the person's ledger.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { type FileAction, type Person, RequestFailure } from './app-client.ts';
import type { FlightResult } from './flight.ts';
import type { Ledger, LedgerEntry } from './ledger.ts';
import type { LoadMetrics, Operation } from './load-metrics.ts';

/** Names of one person's files: few, so both tabs reach for the same ones at the same moment. */
export const NAME_POOL = ['notes.txt', 'report.pdf', 'data.csv', 'song.mp3'] as const;
/** A tab stops uploading (and deletes more) past this many files of its own. */
const MAX_FILES_PER_TAB = 12;
/** Tries of one rename: the wanted name, then the suggestions the app offers when it is taken. */
const RENAME_ATTEMPTS = 3;
/** Names a single upload may meet taken before it gives up (lib/files/types.ts's MAX_NAME_ATTEMPTS). */
const UPLOAD_NAME_ATTEMPTS = 8;
/** Pages one listing may read: bounds the loop whatever cursors the app hands out. */
const MAX_LIST_PAGES = 20;
const SIGN_OUT_CODES = new Set(['unauthenticated', 'session_ended']);

/** How long a tab waits for the person's other tab to upload one name with it. */
const MEETING_WAIT_MS = 1500;

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
type Answer = FlightResult | { ok: false; code: string; message: string; unknown: boolean };

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)] as T;
const typeOf = (name: string) =>
  ({ txt: 'text/plain', pdf: 'application/pdf', csv: 'text/csv', mp3: 'audio/mpeg' })[name.split('.').pop() ?? ''] ?? '';

/** A name to write: half the time one the person's other tab is writing at this moment, else one from the pool. */
function contestedName(context: TabContext, except?: string): string {
  const others = [...context.desk.writing]
    .filter(([tab, name]) => tab !== context.tab && name !== except)
    .map(([, name]) => name);
  if (others.length > 0 && randomInt(2) === 0) return pick(others);
  return pick(NAME_POOL.filter((name) => name !== except));
}

/** Calls an action, timing it and counting an error or a sign-out (after which the person signs in again). */
async function call(context: TabContext, name: FileAction, input: unknown): Promise<Answer> {
  const start = performance.now();
  let answer: Answer;
  try {
    answer = await context.person.action(name, input);
  } catch (error) {
    const failure = error instanceof RequestFailure ? error : new RequestFailure('network', String(error));
    const code = failure.kind === 'http' ? `http_${failure.status}` : failure.kind;
    answer = { ok: false, code, message: failure.message, unknown: failure.kind === 'timeout' || failure.kind === 'network' };
  }
  context.metrics.time(name, performance.now() - start);
  if (!answer.ok && SIGN_OUT_CODES.has(answer.code)) {
    context.metrics.signOuts += 1;
    await context.signInAgain();
  }
  return answer;
}

const isUnknown = (answer: Answer) => !answer.ok && 'unknown' in answer && answer.unknown;

/** What S3 answered a presigned request: status, ETag and body. */
interface S3Answer {
  status: number;
  etag: string | null;
  bytes: Uint8Array;
}

/** A request to S3 (a presigned URL), timed and read to the end; null on a timeout or a dropped connection. */
async function s3(context: TabContext, kind: 'S3 PUT' | 'S3 GET', url: string, init: RequestInit): Promise<S3Answer | null> {
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

interface SinglePlan {
  kind: 'single';
  key: string;
  name: string;
  url: string;
  headers: Record<string, string>;
}
interface MultipartPlan {
  kind: 'multipart';
  key: string;
  name: string;
  uploadId: string;
  partSize: number;
  partCount: number;
  parts: { partNumber: number; url: string }[];
}
interface FileItem {
  key: string;
  name: string;
  size: number;
}

/**
 * Uploads `bytes` as `name` the way the browser does: createUpload, a PUT with exactly the plan's
 * headers (its signed `If-None-Match: *` among them), on 412/409 createUpload again with the name
 * in `taken`, then completeUpload. A multipart plan sends its parts and completes with their ETags.
 */
export async function upload(
  context: TabContext,
  name: string,
  bytes: Uint8Array<ArrayBuffer>,
  operation: Operation = bytes.length > 100_000_000 ? 'multipart upload' : 'upload',
): Promise<void> {
  try {
    await sendFile(context, name, bytes, operation);
  } finally {
    context.desk.writing.delete(context.tab);
  }
}

async function sendFile(context: TabContext, name: string, bytes: Uint8Array<ArrayBuffer>, operation: Operation): Promise<void> {
  const { metrics, ledger, tab } = context;
  const sha = sha256(bytes);
  const taken: string[] = [];
  for (let attempt = 1; attempt <= UPLOAD_NAME_ATTEMPTS; attempt += 1) {
    const created = await call(context, 'createUpload', { name, size: bytes.length, type: typeOf(name), taken });
    if (!created.ok) {
      metrics.error('createUpload', created.code);
      return metrics.count(operation, 'failed');
    }
    const plan = created.value as SinglePlan | MultipartPlan;
    if (plan.kind === 'multipart') return multipart(context, plan, bytes, sha);
    context.desk.writing.set(tab, plan.name);
    const put = await s3(context, 'S3 PUT', plan.url, { method: 'PUT', headers: plan.headers, body: bytes });
    if (put === null) {
      metrics.error('S3 PUT', 'timeout');
      ledger.maybeStored({ sha, size: bytes.length, tab, name: plan.name, key: plan.key });
      return metrics.count(operation, 'failed');
    }
    if (put.status === 412 || put.status === 409) {
      metrics.expected('S3 PUT', `${put.status}, asked again with the name in taken`);
      taken.push(plan.name);
      continue;
    }
    if (put.status !== 200) {
      metrics.error('S3 PUT', String(put.status));
      return metrics.count(operation, 'failed');
    }
    const entry = ledger.stored({ sha, size: bytes.length, tab, name: plan.name, key: plan.key });
    const completed = await call(context, 'completeUpload', { key: plan.key });
    if (!completed.ok) {
      metrics.error('completeUpload', completed.code);
      if (completed.code === 'not_found') {
        const detail = `"${plan.name}": completeUpload answered not_found right after S3 accepted the PUT`;
        metrics.found({ kind: 'lost', person: context.personIndex, tab, detail });
        ledger.flag(entry);
      }
      return metrics.count(operation, 'failed');
    }
    const file = completed.value as FileItem;
    if (file.name !== entry.name || file.size !== bytes.length) {
      metrics.found({
        kind: 'corrupted',
        person: context.personIndex,
        tab,
        detail: `completeUpload of "${entry.name}" (${bytes.length} B) answered "${file.name}" (${file.size} B)`,
      });
    }
    return metrics.count(operation, 'done');
  }
  metrics.error('upload', `name taken ${UPLOAD_NAME_ATTEMPTS} times`);
  metrics.count(operation, 'failed');
}

/** Sends a multipart plan's parts (three at a time, more URLs asked in batches), then completes it. */
async function multipart(context: TabContext, plan: MultipartPlan, bytes: Uint8Array<ArrayBuffer>, sha: string): Promise<void> {
  const { metrics, ledger, tab } = context;
  const urls = new Map(plan.parts.map((part) => [part.partNumber, part.url]));
  const etags: { partNumber: number; etag: string }[] = [];
  let next = 1;
  const worker = async () => {
    for (let part = next++; part <= plan.partCount; part = next++) {
      if (!urls.has(part)) {
        const partNumbers = Array.from({ length: Math.min(20, plan.partCount - part + 1) }, (_, index) => part + index);
        const more = await call(context, 'presignParts', {
          key: plan.key,
          uploadId: plan.uploadId,
          size: bytes.length,
          partNumbers,
        });
        if (!more.ok) throw new Error(`presignParts: ${more.code}`);
        for (const entry of more.value as { partNumber: number; url: string }[]) urls.set(entry.partNumber, entry.url);
      }
      const body = bytes.subarray((part - 1) * plan.partSize, part * plan.partSize);
      const response = await s3(context, 'S3 PUT', urls.get(part) ?? '', { method: 'PUT', body });
      const etag = response?.etag;
      if (response?.status !== 200 || !etag) throw new Error(`part ${part}: ${response?.status ?? 'timeout'}`);
      etags.push({ partNumber: part, etag });
    }
  };
  try {
    await Promise.all([worker(), worker(), worker()]);
  } catch (error) {
    metrics.error('multipart', error instanceof Error ? error.message : String(error));
    await call(context, 'abortUpload', { key: plan.key, uploadId: plan.uploadId });
    return metrics.count('multipart upload', 'failed');
  }
  etags.sort((a, b) => a.partNumber - b.partNumber);
  const completed = await call(context, 'completeUpload', {
    key: plan.key,
    name: plan.name,
    uploadId: plan.uploadId,
    parts: etags,
  });
  if (!completed.ok) {
    metrics.error('completeUpload (multipart)', completed.code);
    if (isUnknown(completed)) ledger.maybeStored({ sha, size: bytes.length, tab, name: plan.name, key: plan.key });
    return metrics.count('multipart upload', 'failed');
  }
  const file = completed.value as FileItem;
  ledger.stored({ sha, size: bytes.length, tab, name: file.name, key: file.key });
  metrics.count('multipart upload', 'done');
}

/** Renames one of the tab's files onto a contested name, then onto the app's suggestions while it says the name is taken. */
async function rename(context: TabContext, entry: LedgerEntry): Promise<void> {
  try {
    await renameOnto(context, entry, contestedName(context, entry.name));
  } finally {
    context.desk.writing.delete(context.tab);
  }
}

async function renameOnto(context: TabContext, entry: LedgerEntry, wanted: string): Promise<void> {
  const { metrics, ledger } = context;
  let target = wanted;
  for (let attempt = 1; attempt <= RENAME_ATTEMPTS; attempt += 1) {
    context.desk.writing.set(context.tab, target);
    const answer = await call(context, 'renameFile', { key: entry.key, name: target });
    if (answer.ok) {
      const file = answer.value as FileItem;
      if (file.name !== target)
        metrics.found({
          kind: 'corrupted',
          person: context.personIndex,
          tab: context.tab,
          detail: `rename to "${target}" answered "${file.name}"`,
        });
      ledger.renamed(entry, file.name, file.key);
      return metrics.count('rename', 'done');
    }
    if (answer.code === 'name_taken') {
      metrics.expected('renameFile', 'name_taken, tried the suggestion');
      const suggestion = 'details' in answer ? answer.details?.suggestion : undefined;
      if (!suggestion) break;
      target = suggestion;
      continue;
    }
    metrics.error('renameFile', answer.code);
    if (isUnknown(answer)) ledger.unsure(entry, target);
    if (answer.code === 'not_found') {
      metrics.found({
        kind: 'lost',
        person: context.personIndex,
        tab: context.tab,
        detail: `rename of "${entry.name}": not_found`,
      });
      ledger.flag(entry);
    }
    return metrics.count('rename', 'failed');
  }
  metrics.count('rename', 'conflict');
}

/**
 * The SHA-256 of the file at `key` as the browser downloads it (getDownloadUrl, then GET), or the
 * GET's status (0: timed out), or the action's error code.
 */
export async function downloadSha(
  context: TabContext,
  key: string,
): Promise<{ sha: string } | { status: number } | { code: string }> {
  const answer = await call(context, 'getDownloadUrl', { key, disposition: 'attachment' });
  if (!answer.ok) {
    context.metrics.error('getDownloadUrl', answer.code);
    return { code: answer.code };
  }
  const response = await s3(context, 'S3 GET', (answer.value as { url: string }).url, {});
  if (response?.status !== 200) {
    context.metrics.error('S3 GET', String(response?.status ?? 'timeout'));
    return { status: response?.status ?? 0 };
  }
  return { sha: sha256(response.bytes) };
}

/** Downloads one of the tab's files and checks its bytes against the ledger. */
async function download(context: TabContext, entry: LedgerEntry): Promise<void> {
  const { metrics, ledger } = context;
  const got = await downloadSha(context, entry.key);
  if (!('sha' in got)) {
    if ('status' in got && got.status === 404) {
      metrics.found({ kind: 'lost', person: context.personIndex, tab: context.tab, detail: `"${entry.name}": GET 404` });
      ledger.flag(entry);
    }
    return metrics.count('download', 'failed');
  }
  if (got.sha !== entry.sha) {
    const owner = ledger.ownerOf(got.sha);
    metrics.found({
      kind: 'corrupted',
      person: context.personIndex,
      tab: context.tab,
      detail: `"${entry.name}" held ${owner ? `tab ${owner.tab}'s file now named "${owner.name}"` : 'unknown bytes'}`,
    });
    ledger.flag(entry);
    return metrics.count('download', 'failed');
  }
  metrics.count('download', 'done');
}

async function remove(context: TabContext, entry: LedgerEntry): Promise<void> {
  const { metrics, ledger } = context;
  const answer = await call(context, 'deleteFiles', { keys: [entry.key] });
  if (!answer.ok) {
    metrics.error('deleteFiles', answer.code);
    if (isUnknown(answer)) ledger.unsure(entry);
    return metrics.count('delete', 'failed');
  }
  ledger.deleted(entry);
  metrics.count('delete', 'done');
}

/**
 * Every page of the person's listing (name → item), or null when a page failed. Files of this tab
 * confirmed before the listing started and missing from it are counted as stale listings.
 */
export async function listAll(context: TabContext): Promise<Map<string, FileItem> | null> {
  const expected = context.ledger.ownedBy(context.tab).map((entry) => entry.name);
  const files = new Map<string, FileItem>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
    const answer = await call(context, 'listFiles', { sort: 'name', order: 'asc', pageSize: 200, ...(cursor ? { cursor } : {}) });
    if (!answer.ok) {
      context.metrics.error('listFiles', answer.code);
      return null;
    }
    const value = answer.value as { items: FileItem[]; nextCursor: string | null };
    for (const item of value.items) files.set(item.name, item);
    if (!value.nextCursor) break;
    cursor = value.nextCursor;
  }
  // The tab works on its own files one operation at a time: nothing renamed or deleted them meanwhile.
  for (const name of expected.filter((name) => !files.has(name))) {
    context.metrics.found({
      kind: 'stale listing',
      person: context.personIndex,
      tab: context.tab,
      detail: `"${name}" missing from a listing`,
    });
  }
  return files;
}

/** The tab's loop: opens /files, then random operations with a random pause, until the deadline or the operation cap. */
export async function runTab(context: TabContext): Promise<void> {
  const page = await context.person.fetchApp('/files').catch(() => null);
  if (page?.status !== 200) context.metrics.error('GET /files', String(page?.status ?? 'failed'));
  await page?.arrayBuffer().catch(() => undefined);
  for (let done = 0; done < context.maxOperations && performance.now() < context.deadline; done += 1) {
    const own = context.ledger.ownedBy(context.tab);
    const roll = randomInt(100);
    const body = () => randomBytes(randomInt(1024, 64 * 1024 + 1));
    const together = context.desk.join(context.tab);
    if (together !== null) await upload(context, together, body(), 'upload, both tabs one name');
    else if (roll < 5 && own.length < MAX_FILES_PER_TAB) {
      const name = contestedName(context);
      const met = await context.desk.host(context.tab, name, MEETING_WAIT_MS);
      await upload(context, name, body(), met ? 'upload, both tabs one name' : 'upload');
    } else if (own.length === 0 || (roll < 35 && own.length < MAX_FILES_PER_TAB)) {
      await upload(context, contestedName(context), body());
    } else if (roll < 55) await rename(context, pick(own));
    else if (roll < 75) await download(context, pick(own));
    else if (roll < 85 || own.length >= MAX_FILES_PER_TAB) await remove(context, pick(own));
    else {
      const listed = await listAll(context);
      context.metrics.count('list', listed ? 'done' : 'failed');
    }
    await new Promise((resolve) => setTimeout(resolve, randomInt(context.thinkMs + 1)));
  }
}
