import { type ResumeState, startUpload, type UploadActions, type UploadHandle, type UploadOutcome } from './upload';

export type UploadStatus = 'queued' | 'uploading' | 'done' | 'failed' | 'cancelled';

/** One file in the upload queue, as the queue's rows show it. Immutable snapshots. */
export interface UploadRow {
  id: string;
  name: string;
  size: number;
  status: UploadStatus;
  /** Bytes sent so far. */
  loaded: number;
  /** Smoothed transfer rate; 0 until measured. */
  bytesPerSecond: number;
  /** Why it failed (an action's message or ours), else ''. */
  message: string;
  /** The files added together (one drop or pick; a retry is a batch of its own). */
  batch: number;
  /** The folder it goes into (`[]`: the top level). */
  folder: readonly string[];
}

/** A file to upload and the folder it goes into (`[]`: the top level). */
export interface FolderedFile {
  file: File;
  folder: readonly string[];
}

/** Whether a row is still waiting or travelling. */
export function isActive(row: UploadRow): boolean {
  return row.status === 'queued' || row.status === 'uploading';
}

/** Files uploading at once; the rest wait as `queued`. */
export const MAX_ACTIVE_FILES = 3;
/** Progress reaches React at most this often. */
const EMIT_INTERVAL_MS = 200;
/** Speed is measured over windows at least this long, then smoothed. */
const SPEED_WINDOW_MS = 500;

/**
 * The upload queue as an external store for `useSyncExternalStore`: schedules files
 * ({@link MAX_ACTIVE_FILES} at a time), measures speed, throttles progress renders, and keeps what
 * a failed multipart upload needs to resume on retry. `onSettled` hears every finished attempt;
 * `onBatchSettled` hears once per batch, when none of its files is queued or uploading any more.
 */
export class UploadQueue {
  onSettled: (row: UploadRow, outcome: UploadOutcome) => void = () => {};
  onBatchSettled: (rows: readonly UploadRow[]) => void = () => {};
  readonly #actions: UploadActions;
  #rows: readonly UploadRow[] = [];
  readonly #files = new Map<string, File>();
  readonly #handles = new Map<string, UploadHandle>();
  readonly #resume = new Map<string, ResumeState>();
  readonly #samples = new Map<string, { time: number; loaded: number }>();
  readonly #listeners = new Set<() => void>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #nextId = 1;
  #nextBatch = 1;

  constructor(actions: UploadActions) {
    this.#actions = actions;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): readonly UploadRow[] => this.#rows;

  /** Whether any file is queued or uploading. */
  get busy(): boolean {
    return this.#rows.some(isActive);
  }

  /** Queues files as one batch, each into its folder (a bare File goes to the top level). */
  add(files: Iterable<File | FolderedFile>): void {
    const added: UploadRow[] = [];
    const batch = this.#nextBatch++;
    for (const entry of files) {
      const { file, folder } = entry instanceof File ? { file: entry, folder: [] } : entry;
      const id = `upload-${this.#nextId++}`;
      this.#files.set(id, file);
      added.push({
        id,
        name: file.name,
        size: file.size,
        status: 'queued',
        loaded: 0,
        bytesPerSecond: 0,
        message: '',
        batch,
        folder,
      });
    }
    if (added.length === 0) return;
    this.#rows = [...this.#rows, ...added];
    this.#emit(true);
    this.#pump();
  }

  cancel(id: string): void {
    const row = this.#find(id);
    if (row?.status === 'queued') {
      this.#patch(id, { status: 'cancelled' });
      this.#batchSettled(row.batch);
    } else if (row?.status === 'uploading') this.#handles.get(id)?.cancel();
  }

  retry(id: string): void {
    const row = this.#find(id);
    if (row?.status !== 'failed' && row?.status !== 'cancelled') return;
    this.#patch(id, { status: 'queued', message: '', loaded: 0, bytesPerSecond: 0, batch: this.#nextBatch++ });
    this.#pump();
  }

  /** Removes a finished row; a failed multipart upload kept for resuming is aborted on S3. */
  dismiss(id: string): void {
    const row = this.#find(id);
    if (!row || row.status === 'queued' || row.status === 'uploading') return;
    const resume = this.#resume.get(id);
    if (resume) void this.#actions.abortUpload({ key: resume.plan.key, uploadId: resume.plan.uploadId }).catch(() => {});
    this.#forget(id);
  }

  /** Removes every row that is done or cancelled. */
  clearFinished(): void {
    for (const row of this.#rows) if (row.status === 'done' || row.status === 'cancelled') this.#forget(row.id);
  }

  #forget(id: string): void {
    this.#files.delete(id);
    this.#resume.delete(id);
    this.#rows = this.#rows.filter((row) => row.id !== id);
    this.#emit(true);
  }

  #find(id: string): UploadRow | undefined {
    return this.#rows.find((row) => row.id === id);
  }

  #patch(id: string, patch: Partial<UploadRow>, immediate = true): void {
    this.#rows = this.#rows.map((row) => (row.id === id ? { ...row, ...patch } : row));
    this.#emit(immediate);
  }

  #pump(): void {
    let active = this.#rows.filter((row) => row.status === 'uploading').length;
    for (const row of this.#rows) {
      if (active >= MAX_ACTIVE_FILES) break;
      if (row.status !== 'queued') continue;
      active += 1;
      this.#start(row.id);
    }
  }

  #start(id: string): void {
    const file = this.#files.get(id);
    const folder = this.#find(id)?.folder ?? [];
    if (!file) return;
    const resume = this.#resume.get(id) ?? null;
    this.#resume.delete(id);
    this.#samples.set(id, { time: performance.now(), loaded: 0 });
    this.#patch(id, { status: 'uploading', loaded: 0, bytesPerSecond: 0, message: '' });
    const handle = startUpload(file, this.#actions, (loaded) => this.#progress(id, loaded), resume, folder);
    this.#handles.set(id, handle);
    void handle.done.then((outcome) => this.#settle(id, outcome));
  }

  #progress(id: string, loaded: number): void {
    const row = this.#find(id);
    const sample = this.#samples.get(id);
    if (!row || !sample || row.status !== 'uploading') return;
    const now = performance.now();
    let { bytesPerSecond } = row;
    if (now - sample.time >= SPEED_WINDOW_MS) {
      const rate = (Math.max(0, loaded - sample.loaded) * 1000) / (now - sample.time);
      bytesPerSecond = bytesPerSecond ? bytesPerSecond * 0.6 + rate * 0.4 : rate;
      this.#samples.set(id, { time: now, loaded });
    } else if (loaded < sample.loaded) {
      this.#samples.set(id, { time: now, loaded });
    }
    this.#patch(id, { loaded: Math.min(loaded, row.size), bytesPerSecond }, false);
  }

  #settle(id: string, outcome: UploadOutcome): void {
    this.#handles.delete(id);
    this.#samples.delete(id);
    if (outcome.status === 'failed' && outcome.resume) this.#resume.set(id, outcome.resume);
    if (outcome.status === 'done') this.#files.delete(id);
    const row = this.#find(id);
    if (row) {
      const patch: Partial<UploadRow> =
        outcome.status === 'done'
          ? { status: 'done', loaded: row.size, name: outcome.file.name }
          : outcome.status === 'failed'
            ? { status: 'failed', message: outcome.message }
            : { status: 'cancelled' };
      this.#patch(id, patch);
      const settled = this.#find(id);
      if (settled) this.onSettled(settled, outcome);
      this.#batchSettled(row.batch);
    }
    this.#pump();
  }

  #batchSettled(batch: number): void {
    const rows = this.#rows.filter((row) => row.batch === batch);
    if (rows.length > 0 && !rows.some(isActive)) this.onBatchSettled(rows);
  }

  #emit(immediate: boolean): void {
    if (immediate) {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = null;
      for (const listener of this.#listeners) listener();
      return;
    }
    this.#timer ??= setTimeout(() => this.#emit(true), EMIT_INTERVAL_MS);
  }
}
