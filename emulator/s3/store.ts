import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EmulatorContext } from '../context.ts';
import { SortedKeys } from './list.ts';

/** An object's metadata; its bytes live in `data/<blob>` under the context's blob folder. */
export interface StoredObject {
  key: string;
  size: number;
  /** Quoted, as sent in headers: `"<md5 hex>"` or `"<hex>-<parts>"`. */
  etag: string;
  /** ISO 8601 with milliseconds. */
  lastModified: string;
  blob: string;
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
}

/** Persisted S3 state. Object entries are keyed `k:<key>` so no key can collide with Object.prototype. */
interface S3Section {
  objects: Record<string, StoredObject>;
  uploads: Record<string, MultipartUpload>;
}

const entry = (key: string) => `k:${key}`;

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

  /** Records `object` (replacing any previous version, whose body is then removed). */
  commit(object: StoredObject): void {
    const previous = this.get(object.key);
    this.section.objects[entry(object.key)] = object;
    this.keys.insert(object.key);
    this.ctx.state.changed();
    if (previous && previous.blob !== object.blob) this.discard(previous.blob);
  }

  /** Removes the object; returns whether it existed. */
  delete(key: string): boolean {
    const previous = this.get(key);
    if (!previous) return false;
    delete this.section.objects[entry(key)];
    this.keys.remove(key);
    this.ctx.state.changed();
    this.discard(previous.blob);
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

  /** Forgets an upload (completed or aborted) and removes its part bodies. */
  endUpload(upload: MultipartUpload): void {
    delete this.section.uploads[upload.uploadId];
    this.ctx.state.changed();
    for (const part of Object.values(upload.parts)) this.discard(part.blob);
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
