import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EmulatorContext } from '../context.ts';
import { SortedKeys } from './list.ts';

/** One file of an object's body, in `data/<blob>` under the context's blob folder. */
export interface BodySegment {
  blob: string;
  size: number;
}

/** An object's metadata; its bytes live in `data/<blob>` (or, see `segments`, several such files). */
export interface StoredObject {
  key: string;
  size: number;
  /** Quoted, as sent in headers: `"<md5 hex>"` or `"<hex>-<parts>"`. */
  etag: string;
  /** ISO 8601 with milliseconds. */
  lastModified: string;
  /** The body file; for an object completed from multipart parts, its first part's. */
  blob: string;
  /**
   * Only for an object completed from multipart parts: every part's file, in order. The body is
   * their concatenation, so completing an upload moves no bytes (S3 does not copy either).
   */
  segments?: BodySegment[];
  /** Stored representation headers: content-type, content-disposition, cache-control, … */
  headers: Record<string, string>;
  /** User metadata (`x-amz-meta-<name>`), names lower-case without the prefix. */
  metadata: Record<string, string>;
}

export interface StoredPart {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: string;
  blob: string;
}

export interface MultipartUpload {
  uploadId: string;
  key: string;
  initiated: string;
  headers: Record<string, string>;
  metadata: Record<string, string>;
  /** By part number (as a string). */
  parts: Record<string, StoredPart>;
  /**
   * The key's object version (its body file) when the upload began, null when the key had
   * none: a conditional Complete finding another version conflicts (409). Absent in uploads an
   * older emulator recorded.
   */
  baseline?: string | null;
}

/** Persisted S3 state. Object entries are keyed `k:<key>` so no key can collide with Object.prototype. */
interface S3Section {
  objects: Record<string, StoredObject>;
  uploads: Record<string, MultipartUpload>;
}

const entry = (key: string) => `k:${key}`;

/** The files an object's body is made of, in order. */
export function bodySegments(object: StoredObject): BodySegment[] {
  return object.segments ?? [{ blob: object.blob, size: object.size }];
}

/** Reads an object's body at any position, across its segments. */
export interface BodyReader {
  /** Reads up to `length` bytes at body offset `position` into `buffer` (from its start); 0 past the end. */
  read(buffer: Buffer, length: number, position: number): Promise<number>;
  close(): Promise<void>;
}

/** A body over open segment files: a read stops at a segment's end (callers loop, as for any file). */
function segmentedReader(files: fs.promises.FileHandle[], segments: readonly BodySegment[]): BodyReader {
  const starts: number[] = [];
  let offset = 0;
  for (const segment of segments) {
    starts.push(offset);
    offset += segment.size;
  }
  return {
    async read(buffer, length, position) {
      // The last segment starting at or before `position` (empty segments are skipped over).
      let low = 0;
      let high = segments.length - 1;
      while (low < high) {
        const middle = Math.ceil((low + high) / 2);
        if ((starts[middle] ?? 0) <= position) low = middle;
        else high = middle - 1;
      }
      const start = starts[low] ?? 0;
      const size = segments[low]?.size ?? 0;
      const file = files[low];
      if (!file || position < start || position >= start + size) return 0;
      const { bytesRead } = await file.read(buffer, 0, Math.min(length, start + size - position), position - start);
      return bytesRead;
    },
    async close() {
      await Promise.all(files.map((file) => file.close()));
    },
  };
}

/**
 * The bucket's objects: metadata in the persisted `s3` state section, a sorted key index in
 * memory (rebuilt when the section is replaced, e.g. after `/_local/reset`), bodies on disk.
 * Writes are atomic: bodies land in `tmp/` and are renamed into `data/` before the metadata
 * points at them, so a failed upload never leaves a partial object.
 */
export class ObjectStore {
  private readonly section: S3Section;
  private readonly ctx: EmulatorContext;
  private index: SortedKeys | undefined;
  private folders: Promise<unknown> | undefined;

  constructor(ctx: EmulatorContext, section: S3Section) {
    this.ctx = ctx;
    this.section = section;
    // Leftovers of uploads interrupted by a previous process; nothing can be writing there yet.
    fs.rmSync(path.join(ctx.blobDir, 'tmp'), { recursive: true, force: true });
  }

  get keys(): SortedKeys {
    this.index ??= new SortedKeys(Object.values(this.section.objects).map((object) => object.key));
    return this.index;
  }

  get(key: string): StoredObject | undefined {
    const name = entry(key);
    return Object.hasOwn(this.section.objects, name) ? this.section.objects[name] : undefined;
  }

  /** Creates `tmp/` and `data/` once per store (a reset wipes the folder and brings a new store). */
  private ensureFolders(): Promise<unknown> {
    this.folders ??= Promise.all(
      ['tmp', 'data'].map((name) => fs.promises.mkdir(path.join(this.ctx.blobDir, name), { recursive: true })),
    );
    return this.folders;
  }

  /** A fresh temporary file path (its folder exists). */
  async tempFile(): Promise<string> {
    await this.ensureFolders();
    return path.join(this.ctx.blobDir, 'tmp', randomUUID());
  }

  blobPath(blob: string): string {
    return path.join(this.ctx.blobDir, 'data', blob);
  }

  /** Moves a completed temporary file into `data/` and returns its blob id. */
  async adopt(tempPath: string): Promise<string> {
    const blob = randomUUID();
    await this.ensureFolders();
    await fs.promises.rename(tempPath, this.blobPath(blob));
    return blob;
  }

  /**
   * Opens every file of `object`'s body at once, so a delete or overwrite meanwhile cannot cut a
   * read short (an open file outlives its removal).
   * @throws the open's error (ENOENT when the object was deleted or replaced since it was looked up).
   */
  async openBody(object: StoredObject): Promise<BodyReader> {
    const segments = bodySegments(object);
    const opened = await Promise.allSettled(segments.map((segment) => fs.promises.open(this.blobPath(segment.blob), 'r')));
    const files = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failed = opened.find((result) => result.status === 'rejected');
    if (failed) {
      await Promise.all(files.map((file) => file.close()));
      throw failed.reason;
    }
    return segmentedReader(files, segments);
  }

  /** Removes the files of `object`'s body, except those `keep` still uses. */
  private discardBody(object: StoredObject, keep?: StoredObject): void {
    const kept = new Set(keep ? bodySegments(keep).map((segment) => segment.blob) : []);
    for (const { blob } of bodySegments(object)) if (!kept.has(blob)) this.discard(blob);
  }

  /**
   * Records `object`, replacing any previous version (whose body is then removed), unless
   * `precondition` throws when shown the key's current object. Check and commit are one
   * synchronous step, so no other request can change the key in between: this is what makes
   * conditional writes atomic, however many race for one key. Keep it free of `await`.
   */
  commit(object: StoredObject, precondition?: (current: StoredObject | undefined) => void): void {
    const previous = this.get(object.key);
    precondition?.(previous);
    this.section.objects[entry(object.key)] = object;
    this.keys.insert(object.key);
    this.ctx.state.changed();
    if (previous) this.discardBody(previous, object);
  }

  /** Removes the object; returns whether it existed. */
  delete(key: string): boolean {
    const previous = this.get(key);
    if (!previous) return false;
    delete this.section.objects[entry(key)];
    this.keys.remove(key);
    this.ctx.state.changed();
    this.discardBody(previous);
    return true;
  }

  /** Deletes a body file in the background (readers holding it open keep their copy). */
  discard(blob: string): void {
    fs.promises.rm(this.blobPath(blob), { force: true }).catch(() => {});
  }

  upload(uploadId: string): MultipartUpload | undefined {
    return Object.hasOwn(this.section.uploads, uploadId) ? this.section.uploads[uploadId] : undefined;
  }

  saveUpload(upload: MultipartUpload): void {
    this.section.uploads[upload.uploadId] = upload;
    this.ctx.state.changed();
  }

  /** Forgets an upload (completed or aborted) and removes its part bodies, except those in `kept` (a completed object's). */
  endUpload(upload: MultipartUpload, kept: ReadonlySet<string> = new Set()): void {
    delete this.section.uploads[upload.uploadId];
    this.ctx.state.changed();
    for (const part of Object.values(upload.parts)) if (!kept.has(part.blob)) this.discard(part.blob);
  }
}

const stores = new WeakMap<object, ObjectStore>();

/** The object store of this emulator's bucket. */
export function objectStore(ctx: EmulatorContext): ObjectStore {
  const section = ctx.state.section<S3Section>('s3', () => ({ objects: {}, uploads: {} }));
  let store = stores.get(section);
  if (!store) {
    store = new ObjectStore(ctx, section);
    stores.set(section, store);
  }
  return store;
}
