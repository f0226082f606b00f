import { call } from '@/app/_components/call';
import { fitsNameLimit, MAX_NAME_ATTEMPTS, nameTooLongMessage, PART_URL_BATCH } from '@/lib/files/limits';
import type {
  AbortUploadInput,
  ActionResult,
  CompletedPart,
  CompleteUploadInput,
  CreateUploadInput,
  FileItem,
  PresignPartsInput,
  UploadPlan,
} from '@/lib/files/types';

/**
 * One file's trip from the browser straight to S3 through presigned URLs. Plain TypeScript (no
 * React): the server actions are injected, so the logic is independent of the page.
 *
 * Single plan: one XHR PUT with exactly the signed headers (fetch has no upload progress).
 * Multipart plan: parts sent {@link PART_CONCURRENCY} at a time, more part URLs asked for in
 * batches, each failed part retried with backoff, then completeUpload with every part's ETag
 * (the bucket's CORS rules must expose `ETag`). A multipart upload that still fails keeps its
 * finished parts in {@link ResumeState}, so a retry sends only the missing ones.
 */

/** The server actions an upload needs (app/(signed-in)/files/actions.ts). */
export interface UploadActions {
  createUpload(input: CreateUploadInput): Promise<ActionResult<UploadPlan>>;
  presignParts(input: PresignPartsInput): Promise<ActionResult<{ partNumber: number; url: string }[]>>;
  completeUpload(input: CompleteUploadInput): Promise<ActionResult<FileItem>>;
  /** Only multipart uploads are aborted on S3: always with their upload id. */
  abortUpload(input: Required<AbortUploadInput>): Promise<ActionResult<null>>;
}

export type MultipartPlan = Extract<UploadPlan, { kind: 'multipart' }>;

/** What a failed multipart upload keeps: its plan and the ETags of the parts S3 already has. */
export interface ResumeState {
  plan: MultipartPlan;
  etags: Map<number, string>;
}

export type UploadOutcome =
  | { status: 'done'; file: FileItem }
  | { status: 'cancelled' }
  | { status: 'failed'; message: string; resume: ResumeState | null };

export interface UploadHandle {
  /** Settles once, never rejects. */
  done: Promise<UploadOutcome>;
  /** Aborts every request in flight; a multipart upload is also aborted on S3. */
  cancel(): void;
}

/** Parts in flight at once for one file. */
export const PART_CONCURRENCY = 3;
/** Tries per part: the first one and three retries. */
export const PART_ATTEMPTS = 4;
const BACKOFF_MS = 500;

class CancelledError extends Error {}

/** When every name tried for a file was taken by the time its bytes arrived. */
const NO_FREE_NAME = 'Other uploads kept taking this file’s name. Rename the file or try again.';

/** A failure with words for people (an action's message, or one of ours). */
export class UploadFailure extends Error {
  readonly code: string;
  constructor(message: string, code = 'upload_failed') {
    super(message);
    this.code = code;
  }
}

/** An S3 request that failed: `status` 0 is a network error. */
export class TransferError extends UploadFailure {
  readonly status: number;
  constructor(status: number) {
    super(transferMessage(status), 'transfer_failed');
    this.status = status;
  }
  get retryable(): boolean {
    return this.status === 0 || this.status === 403 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
  /** S3 refused a create-only PUT: the name exists (412) or another write raced for it (409). */
  get nameTaken(): boolean {
    return this.status === 412 || this.status === 409;
  }
}

function transferMessage(status: number): string {
  if (status === 0) return 'The connection to storage was lost. Try again.';
  if (status === 403) return 'Storage refused the upload (its link may have expired). Try again.';
  if (status >= 500 || status === 429) return 'Storage is busy or unavailable right now. Try again in a moment.';
  return 'Storage refused the file. Try again.';
}

/** A type the createUpload schema accepts, or '' (the server then uses application/octet-stream). */
function declaredType(file: File): string {
  return /^[\w.+-]+\/[\w.+-]+$/.test(file.type) ? file.type : '';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** PUTs `body` to a presigned URL with XHR; resolves with the response's ETag header (or null). */
function putBlob(
  url: string,
  body: Blob,
  headers: Record<string, string>,
  signal: AbortSignal,
  onProgress: (loaded: number) => void,
): Promise<string | null> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError());
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.getResponseHeader('ETag'));
      else reject(new TransferError(xhr.status));
    };
    xhr.onerror = () => reject(new TransferError(0));
    xhr.onabort = () => reject(new CancelledError());
    xhr.onloadend = () => signal.removeEventListener('abort', onAbort);
    signal.addEventListener('abort', onAbort, { once: true });
    xhr.send(body);
  });
}

async function unwrap<T>(action: () => Promise<ActionResult<T>>): Promise<T> {
  const result = await call(action);
  if (!result.ok) throw new UploadFailure(result.message, result.code);
  return result.value;
}

/** Sends the parts S3 does not have yet; resolves with every part's ETag in order. */
async function sendParts(
  file: File,
  plan: MultipartPlan,
  etags: Map<number, string>,
  actions: UploadActions,
  signal: AbortSignal,
  onProgress: (loaded: number) => void,
): Promise<CompletedPart[]> {
  const sizeOf = (part: number) => (part === plan.partCount ? file.size - (part - 1) * plan.partSize : plan.partSize);
  const urls = new Map(plan.parts.map((part) => [part.partNumber, part.url]));
  const pending: number[] = [];
  for (let part = 1; part <= plan.partCount; part += 1) if (!etags.has(part)) pending.push(part);
  let doneBytes = [...etags.keys()].reduce((sum, part) => sum + sizeOf(part), 0);
  const inFlight = new Map<number, number>();
  const report = () => onProgress(doneBytes + [...inFlight.values()].reduce((sum, loaded) => sum + loaded, 0));
  report();

  // One presignParts call at a time; every part waiting for a URL shares it.
  let batch: Promise<void> | null = null;
  const fetchUrls = async (from: number) => {
    const partNumbers: number[] = [];
    for (let part = from; part <= plan.partCount && partNumbers.length < PART_URL_BATCH; part += 1) {
      if (!urls.has(part) && !etags.has(part)) partNumbers.push(part);
    }
    const fresh = await unwrap(() =>
      actions.presignParts({ key: plan.key, uploadId: plan.uploadId, size: file.size, partNumbers }),
    );
    for (const { partNumber, url } of fresh) urls.set(partNumber, url);
  };
  const urlFor = async (part: number): Promise<string> => {
    for (let round = 0; round < 3; round += 1) {
      const url = urls.get(part);
      if (url) return url;
      batch ??= fetchUrls(part).finally(() => {
        batch = null;
      });
      await batch;
    }
    throw new UploadFailure('Could not prepare the upload. Try again.');
  };

  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });

  const sendPart = async (part: number): Promise<string> => {
    const start = (part - 1) * plan.partSize;
    const body = file.slice(start, start + sizeOf(part));
    for (let attempt = 1; ; attempt += 1) {
      try {
        const etag = await putBlob(await urlFor(part), body, {}, stop.signal, (loaded) => {
          inFlight.set(part, loaded);
          report();
        });
        if (!etag) throw new UploadFailure('Storage did not confirm a part of the file. Try again.');
        return etag;
      } catch (error) {
        inFlight.delete(part);
        report();
        if (!(error instanceof TransferError && error.retryable) || attempt >= PART_ATTEMPTS) throw error;
        if (error.status === 403) urls.delete(part);
        await sleep(BACKOFF_MS * 2 ** (attempt - 1) + Math.random() * 250, stop.signal);
      }
    }
  };

  let next = 0;
  const worker = async () => {
    try {
      for (let part = pending[next++]; part !== undefined; part = pending[next++]) {
        const etag = await sendPart(part);
        etags.set(part, etag);
        inFlight.delete(part);
        doneBytes += sizeOf(part);
        report();
      }
    } catch (error) {
      stop.abort();
      throw error;
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(PART_CONCURRENCY, pending.length) }, worker));
  signal.removeEventListener('abort', onAbort);
  const reasons = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  const failure = reasons.find((reason) => !(reason instanceof CancelledError)) ?? reasons[0];
  if (failure) throw failure;
  return [...etags].map(([partNumber, etag]) => ({ partNumber, etag })).sort((a, b) => a.partNumber - b.partNumber);
}

type SinglePlan = Extract<UploadPlan, { kind: 'single' }>;

/**
 * Asks for a plan and, for a single PUT, sends it; when S3 refuses the create-only PUT because the
 * name was taken since the server looked (412, or 409 for a write that raced another), S3 kept
 * that file and stored nothing of ours: ask again with every name met so far as `taken`, and send
 * again, at most {@link MAX_NAME_ATTEMPTS} times. Returns the single plan that landed, or a
 * multipart plan (not sent: its name is settled when it is completed).
 * @throws {UploadFailure} `name_taken` when every attempt met a taken name; what `plan` or `put` throw.
 */
export async function planAndPut(
  plan: (taken: string[]) => Promise<UploadPlan>,
  put: (single: SinglePlan) => Promise<void>,
  onRetry: () => void = () => {},
): Promise<UploadPlan> {
  const taken: string[] = [];
  for (;;) {
    const next = await plan([...taken]);
    if (next.kind === 'multipart') return next;
    try {
      await put(next);
      return next;
    } catch (error) {
      if (!(error instanceof TransferError && error.nameTaken)) throw error;
      taken.push(next.name);
      if (taken.length >= MAX_NAME_ATTEMPTS) throw new UploadFailure(NO_FREE_NAME, 'name_taken');
      onRetry();
    }
  }
}

/**
 * Starts uploading `file` into the person's folder `folder` (`[]`: the top level); `onProgress`
 * receives the bytes sent so far. With `resume` (from a failed outcome) a multipart upload
 * continues where it stopped instead of starting over.
 */
export function startUpload(
  file: File,
  actions: UploadActions,
  onProgress: (loaded: number) => void,
  resume: ResumeState | null = null,
  folder: readonly string[] = [],
): UploadHandle {
  const controller = new AbortController();
  const { signal } = controller;
  let multipart: ResumeState | null = resume;

  const run = async (): Promise<UploadOutcome> => {
    let state = multipart;
    if (!state) {
      if (!fitsNameLimit(file.name)) throw new UploadFailure(nameTooLongMessage(file.name), 'name_too_long');
      const plan = await planAndPut(
        (taken) =>
          unwrap(() =>
            actions.createUpload({ name: file.name, size: file.size, type: declaredType(file), taken, folder: [...folder] }),
          ),
        (single) => putBlob(single.url, file, single.headers, signal, onProgress).then(() => undefined),
        () => onProgress(0),
      );
      if (plan.kind === 'single') {
        return { status: 'done', file: await unwrap(() => actions.completeUpload({ key: plan.key })) };
      }
      state = { plan, etags: new Map() };
      multipart = state;
      if (signal.aborted) throw new CancelledError();
    }
    const { plan, etags } = state;
    const parts = await sendParts(file, plan, etags, actions, signal, onProgress);
    if (signal.aborted) throw new CancelledError();
    return {
      status: 'done',
      file: await unwrap(() =>
        actions.completeUpload({ key: plan.key, name: plan.name, uploadId: plan.uploadId, parts, folder: [...folder] }),
      ),
    };
  };

  const done = run().catch(async (error: unknown): Promise<UploadOutcome> => {
    if (signal.aborted || error instanceof CancelledError) {
      const started = multipart?.plan;
      if (started) await call(() => actions.abortUpload({ key: started.key, uploadId: started.uploadId }));
      return { status: 'cancelled' };
    }
    const message = error instanceof UploadFailure ? error.message : 'The upload failed. Try again.';
    // An upload S3 no longer knows cannot be resumed: a retry starts afresh.
    const resumable = !(error instanceof UploadFailure && error.code === 'not_found');
    return { status: 'failed', message, resume: resumable ? multipart : null };
  });

  return { done, cancel: () => controller.abort() };
}
