import { makeZip, predictLength } from 'client-zip';
import type { ActionResult } from '@/lib/files/types';
import { ZIP_BLOB_MAX_BYTES, type ZipLink } from '@/lib/files/zip';
import { zipEntryNames } from '@/lib/files/zip-names';
import { formatBytes } from './format';

/** A file to put in the zip, as the list shows it. */
export interface ZipSource {
  key: string;
  /** The display name (made safe for the zip by lib/files/zip-names.ts). */
  name: string;
  size: number;
  /** ISO 8601, kept as the entry's modification time. */
  lastModified: string;
}

/** How far a zip is: bytes of the files read from S3, files begun. */
export interface ZipProgress {
  bytes: number;
  totalBytes: number;
  files: number;
  totalFiles: number;
}

/** Where the zip goes: straight to a file on disk (File System Access API) or a Blob handed to the browser's downloads. */
export type ZipSink = 'disk' | 'blob';

/** A zip that could not be made; `message` is for people (what failed, that nothing was saved, to try again). */
export class ZipDownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipDownloadError';
  }
}

/** Links asked for at once: each lives 15 minutes, so they are asked for shortly before their files are read. */
const LINK_BATCH = 20;

interface SaveFilePickerOptions {
  suggestedName?: string;
  types?: { description: string; accept: Record<string, string[]> }[];
}

type SaveFilePicker = (options: SaveFilePickerOptions) => Promise<FileSystemFileHandle>;

/** Chromium's `FileSystemHandle.remove()` (not in every browser, nor in TypeScript's DOM types). */
type RemovableHandle = FileSystemFileHandle & { remove?: () => Promise<void> };

function savePicker(): SaveFilePicker | undefined {
  const picker = (globalThis as { showSaveFilePicker?: unknown }).showSaveFilePicker;
  return typeof picker === 'function' ? (picker.bind(globalThis) as SaveFilePicker) : undefined;
}

/** Where a zip would go in this browser: to disk where it can stream there, else a Blob. */
export function zipSink(): ZipSink {
  return savePicker() ? 'disk' : 'blob';
}

/** The entries of the zip (safe, unique names) and its exact length in bytes. */
export function planZip(files: readonly ZipSource[]): { entries: (ZipSource & { entry: string })[]; length: number } {
  const names = zipEntryNames(files.map((file) => file.name));
  const entries = files.map((file, index) => ({ ...file, entry: names[index] ?? file.name }));
  const length = Number(predictLength(entries.map((file) => ({ name: file.entry, size: file.size }))));
  return { entries, length };
}

function failedFile(name: string, status?: number): ZipDownloadError {
  const why = status === 404 ? ' (it may have been deleted or renamed)' : status === 403 ? ' (its link expired)' : '';
  return new ZipDownloadError(`“${name}” could not be downloaded${why}, so the zip was not saved. Try again.`);
}

/**
 * The bytes of one file's response, counted into the progress. A body that breaks off, or brings
 * fewer or more bytes than S3 announced, errors the stream with a message naming the file: the
 * zip ends with that error, never with a truncated entry.
 */
function counted(
  body: ReadableStream<Uint8Array>,
  file: { name: string; size: number },
  signal: AbortSignal,
  onBytes: (n: number) => void,
  fail: (error: ZipDownloadError) => ZipDownloadError,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let seen = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch (error) {
        if (signal.aborted) throw error;
        throw fail(failedFile(file.name));
      }
      if (read.done) {
        if (seen !== file.size) throw fail(failedFile(file.name));
        controller.close();
        return;
      }
      seen += read.value.byteLength;
      if (seen > file.size) throw fail(failedFile(file.name));
      onBytes(read.value.byteLength);
      controller.enqueue(read.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

interface ZipRun {
  files: readonly ZipSource[];
  fileName: string;
  fetchLinks: (keys: string[]) => Promise<ActionResult<ZipLink[]>>;
  signal: AbortSignal;
  onProgress: (progress: ZipProgress) => void;
  /** Tests only: build a Blob even where the browser could stream to disk. */
  sink?: ZipSink;
}

/**
 * The zip as a stream: links asked for a batch at a time, each file fetched only when its turn
 * comes. `fail` records the first failure, whatever the zip and stream layers make of it on the way.
 */
function zipStream(
  run: ZipRun,
  entries: ReturnType<typeof planZip>['entries'],
  fail: (error: ZipDownloadError) => ZipDownloadError,
): ReadableStream<Uint8Array> {
  const progress: ZipProgress = {
    bytes: 0,
    totalBytes: entries.reduce((sum, file) => sum + file.size, 0),
    files: 0,
    totalFiles: entries.length,
  };
  const { signal } = run;
  async function* inputs() {
    for (let start = 0; start < entries.length; start += LINK_BATCH) {
      const batch = entries.slice(start, start + LINK_BATCH);
      signal.throwIfAborted();
      const links = await run.fetchLinks(batch.map((file) => file.key));
      signal.throwIfAborted();
      if (!links.ok) throw fail(new ZipDownloadError(`${links.message} The zip was not saved.`));
      for (const [index, file] of batch.entries()) {
        const url = links.value[index]?.url;
        if (!url) throw fail(failedFile(file.name));
        let response: Response;
        try {
          response = await fetch(url, { signal, cache: 'no-store', credentials: 'omit' });
        } catch (error) {
          if (signal.aborted) throw error;
          throw fail(failedFile(file.name));
        }
        if (!response.ok || !response.body) throw fail(failedFile(file.name, response.status));
        const announced = Number(response.headers.get('content-length') ?? Number.NaN);
        const size = Number.isSafeInteger(announced) ? announced : file.size;
        progress.files += 1;
        run.onProgress({ ...progress });
        const input = counted(
          response.body,
          { name: file.name, size },
          signal,
          (n) => {
            progress.bytes += n;
            run.onProgress({ ...progress });
          },
          fail,
        );
        yield { name: file.entry, size, lastModified: new Date(file.lastModified), input };
      }
    }
  }
  return makeZip(inputs());
}

/** Saves `blob` through the browser's downloads (an `<a download>` of a blob: URL). */
function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken the Blob by then; the URL would otherwise hold it for the page's life.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Chunks gathered into a Blob part this big, so the browser may keep a large zip's parts out of the tab's heap. */
const BLOB_PART_BYTES = 16 * 1024 * 1024;

/** The whole stream as one Blob (a stream error rejects with its own reason). */
async function collect(stream: ReadableStream<Uint8Array>): Promise<Blob> {
  const parts: Blob[] = [];
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    pending.push(read.value);
    pendingBytes += read.value.byteLength;
    if (pendingBytes >= BLOB_PART_BYTES) {
      parts.push(new Blob(pending as BlobPart[]));
      pending = [];
      pendingBytes = 0;
    }
  }
  return new Blob([...parts, ...(pending as BlobPart[])], { type: 'application/zip' });
}

/** Stops the Blob path past {@link ZIP_BLOB_MAX_BYTES}, whatever the files turn out to hold. */
function capped(limit: number, fail: (error: ZipDownloadError) => ZipDownloadError): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > limit) throw fail(tooBigForMemory(seen));
      controller.enqueue(chunk);
    },
  });
}

function tooBigForMemory(bytes: number): ZipDownloadError {
  return new ZipDownloadError(
    `This zip would be ${formatBytes(bytes)}, more than this browser can build in memory (${formatBytes(ZIP_BLOB_MAX_BYTES)}). ` +
      'Select fewer files, or use a browser that saves straight to disk (Chrome or Edge).',
  );
}

/**
 * Builds one zip of `files` in the browser from presigned GETs (bytes go S3 → browser only) and
 * saves it: where the File System Access API exists, streamed into the file the person picks
 * (nothing held in memory; call this from the click itself, the picker needs the gesture);
 * elsewhere as a Blob, refused past {@link ZIP_BLOB_MAX_BYTES}. Aborting `signal` stops the
 * fetches and the write, and the partial file is discarded. Resolves `'saved'`, or `'cancelled'`
 * (aborted, or the picker closed).
 * @throws {ZipDownloadError} when a link, a file or the write fails: nothing is saved, never a truncated zip.
 */
export async function downloadFilesAsZip(run: ZipRun): Promise<'saved' | 'cancelled'> {
  const { entries, length } = planZip(run.files);
  const picker = run.sink === 'blob' ? undefined : savePicker();
  if (!picker && length > ZIP_BLOB_MAX_BYTES) throw tooBigForMemory(length);
  let handle: RemovableHandle | undefined;
  if (picker) {
    try {
      handle = await picker({
        suggestedName: run.fileName,
        types: [{ description: 'Zip archive', accept: { 'application/zip': ['.zip'] } }],
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return 'cancelled';
      throw new ZipDownloadError('The file to save the zip in could not be opened. Try again.');
    }
  }
  let failure: ZipDownloadError | undefined;
  const fail = (error: ZipDownloadError) => {
    failure ??= error;
    return error;
  };
  try {
    const stream = zipStream(run, entries, fail);
    if (handle) {
      // On any failure pipeTo aborts the writable: the browser discards what was written.
      await stream.pipeTo(await handle.createWritable(), { signal: run.signal });
    } else {
      const blob = await collect(stream.pipeThrough(capped(ZIP_BLOB_MAX_BYTES, fail)));
      run.signal.throwIfAborted();
      saveBlob(blob, run.fileName);
    }
    return 'saved';
  } catch (error) {
    // The picker created the file; nothing complete was written to it.
    await handle?.remove?.().catch(() => {});
    if (run.signal.aborted) return 'cancelled';
    if (failure) throw failure;
    if (error instanceof ZipDownloadError) throw error;
    throw new ZipDownloadError(
      'The zip could not be finished (the connection or the disk failed), so it was not saved. Try again.',
    );
  }
}
