import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { downloadFilesAsZip, type ZipProgress, type ZipSource } from '@/app/(signed-in)/files/_components/zip-stream';
import type { ActionResult } from '@/lib/files/types';
import type { ZipLink } from '@/lib/files/zip';
import { readZip } from '../helpers/zip-reader.ts';

/**
 * The browser module that builds a zip from presigned GETs, run in Node against a small HTTP
 * server standing in for S3's answers that the emulator does not give on demand (a body cut off
 * mid-way, a file that hangs), and a save picker writing to memory (the file system stands in for
 * the browser's). What a person sees end to end is tests/e2e/zip-download.spec.ts.
 */

function bytesOf(label: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = Buffer.alloc(0);
  for (let offset = 0; offset < size; offset += 32) {
    block = createHash('sha256').update(`${label}:${offset}`).digest();
    block.copy(out, offset);
  }
  return out;
}

const FILES: Record<string, Buffer> = { a: bytesOf('a', 70_000), b: bytesOf('b', 0), c: bytesOf('c', 1_234_567) };

let server: Server;
let origin = '';
/** Responses held open by /hang, ended after each test. */
const hanging = new Set<import('node:http').ServerResponse>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const file = FILES[path.slice('/ok/'.length)];
    if (path.startsWith('/ok/') && file) {
      response.writeHead(200, { 'content-length': String(file.length), 'content-type': 'application/octet-stream' });
      response.end(file);
    } else if (path === '/cut') {
      // Announces 100,000 bytes, sends half, then drops the connection.
      response.writeHead(200, { 'content-length': '100000' });
      response.write(Buffer.alloc(50_000, 1), () => response.socket?.destroy());
    } else if (path === '/hang') {
      response.writeHead(200, { 'content-length': '100000' });
      response.write(Buffer.alloc(10_000, 2));
      hanging.add(response);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  for (const response of hanging) response.socket?.destroy();
  hanging.clear();
  Reflect.deleteProperty(globalThis, 'showSaveFilePicker');
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const source = (key: string, name: string, size: number): ZipSource => ({
  key,
  name,
  size,
  lastModified: '2026-01-02T03:04:05.000Z',
});

/** A save picker (File System Access API shape) whose file is memory; records whether the file was removed. */
function memoryPicker() {
  const disk = { chunks: [] as Uint8Array[], closed: false, aborted: false, removed: false };
  const handle = {
    createWritable: async () =>
      new WritableStream<Uint8Array>({
        write(chunk) {
          disk.chunks.push(chunk.slice());
        },
        close() {
          disk.closed = true;
        },
        abort() {
          disk.aborted = true;
        },
      }),
    remove: async () => {
      disk.removed = true;
    },
  };
  Object.assign(globalThis, { showSaveFilePicker: async () => handle });
  return disk;
}

function linksFrom(paths: Record<string, string>) {
  const asked: string[][] = [];
  const fetchLinks = async (keys: string[]): Promise<ActionResult<ZipLink[]>> => {
    asked.push(keys);
    return { ok: true, value: keys.map((key) => ({ key, url: `${origin}${paths[key] ?? '/missing'}` })) };
  };
  return { asked, fetchLinks };
}

describe('downloadFilesAsZip', () => {
  it('streams every file into the picked file, entries named safely, bytes intact, progress to the end', async () => {
    const disk = memoryPicker();
    const { fetchLinks } = linksFrom({ ka: '/ok/a', kb: '/ok/b', kc: '/ok/c' });
    const seen: ZipProgress[] = [];
    const outcome = await downloadFilesAsZip({
      files: [source('ka', '../a.bin', 70_000), source('kb', 'a.bin', 0), source('kc', 'A.BIN', 1_234_567)],
      fileName: 'x.zip',
      fetchLinks,
      signal: new AbortController().signal,
      onProgress: (progress) => seen.push(progress),
    });
    expect(outcome).toBe('saved');
    expect(disk.closed && !disk.aborted && !disk.removed).toBe(true);
    const entries = readZip(Buffer.concat(disk.chunks));
    expect(entries.map((entry) => entry.name)).toEqual(['a.bin', 'a (1).bin', 'A (2).BIN']);
    expect(entries.map((entry) => entry.bytes.toString('base64'))).toEqual(
      [FILES.a, FILES.b, FILES.c].map((bytes) => bytes?.toString('base64')),
    );
    expect(seen.at(-1)).toEqual({ bytes: 1_304_567, totalBytes: 1_304_567, files: 3, totalFiles: 3 });
  });

  it('asks for links a batch at a time, as the zip reaches them', async () => {
    memoryPicker();
    const keys = Array.from({ length: 45 }, (_, index) => `k${index}`);
    const { asked, fetchLinks } = linksFrom(Object.fromEntries(keys.map((key) => [key, '/ok/b'])));
    await downloadFilesAsZip({
      files: keys.map((key) => source(key, `${key}.txt`, 0)),
      fileName: 'x.zip',
      fetchLinks,
      signal: new AbortController().signal,
      onProgress: () => {},
    });
    expect(asked.map((batch) => batch.length)).toEqual([20, 20, 5]);
  });

  it('a body cut off mid-way ends with a retryable message naming the file; the partial file is removed', async () => {
    const disk = memoryPicker();
    const { fetchLinks } = linksFrom({ ka: '/ok/a', kcut: '/cut' });
    const run = downloadFilesAsZip({
      files: [source('ka', 'a.bin', 70_000), source('kcut', 'broken.bin', 100_000)],
      fileName: 'x.zip',
      fetchLinks,
      signal: new AbortController().signal,
      onProgress: () => {},
    });
    await expect(run).rejects.toThrow(/“broken\.bin” could not be downloaded, so the zip was not saved\. Try again\./);
    expect(disk.closed).toBe(false);
    expect(disk.aborted && disk.removed).toBe(true);
  });

  it('a missing file (404) says it may have been deleted or renamed', async () => {
    memoryPicker();
    const { fetchLinks } = linksFrom({});
    await expect(
      downloadFilesAsZip({
        files: [source('gone', 'gone.txt', 5)],
        fileName: 'x.zip',
        fetchLinks,
        signal: new AbortController().signal,
        onProgress: () => {},
      }),
    ).rejects.toThrow(
      '“gone.txt” could not be downloaded (it may have been deleted or renamed), so the zip was not saved. Try again.',
    );
  });

  it('a refused link request passes on its message, and nothing is saved', async () => {
    const disk = memoryPicker();
    await expect(
      downloadFilesAsZip({
        files: [source('k', 'a.txt', 5)],
        fileName: 'x.zip',
        fetchLinks: async () => ({ ok: false, code: 'rate_limited', message: 'Too many requests, try again in a moment.' }),
        signal: new AbortController().signal,
        onProgress: () => {},
      }),
    ).rejects.toThrow('Too many requests, try again in a moment. The zip was not saved.');
    expect(disk.closed).toBe(false);
  });

  it('cancel stops the fetch and the write mid-file and removes the partial file', async () => {
    const disk = memoryPicker();
    const { fetchLinks } = linksFrom({ ka: '/ok/a', khang: '/hang' });
    const controller = new AbortController();
    const outcome = downloadFilesAsZip({
      files: [source('ka', 'a.bin', 70_000), source('khang', 'slow.bin', 100_000)],
      fileName: 'x.zip',
      fetchLinks,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.bytes >= 80_000) controller.abort();
      },
    });
    expect(await outcome).toBe('cancelled');
    expect(disk.closed).toBe(false);
    expect(disk.aborted && disk.removed).toBe(true);
  });

  it('closing the save picker cancels quietly', async () => {
    Object.assign(globalThis, {
      showSaveFilePicker: async () => {
        throw new DOMException('The user aborted a request.', 'AbortError');
      },
    });
    const { asked, fetchLinks } = linksFrom({});
    expect(
      await downloadFilesAsZip({
        files: [source('k', 'a.txt', 5)],
        fileName: 'x.zip',
        fetchLinks,
        signal: new AbortController().signal,
        onProgress: () => {},
      }),
    ).toBe('cancelled');
    expect(asked).toEqual([]);
  });

  it('without a save picker, refuses a zip past the in-memory limit before fetching anything', async () => {
    const { asked, fetchLinks } = linksFrom({});
    await expect(
      downloadFilesAsZip({
        files: [source('k1', 'one.bin', 1.5 * 1024 ** 3), source('k2', 'two.bin', 1024 ** 3)],
        fileName: 'x.zip',
        fetchLinks,
        signal: new AbortController().signal,
        onProgress: () => {},
      }),
    ).rejects.toThrow(/more than this browser can build in memory \(2(\.0)? GB\)\. Select fewer files/);
    expect(asked).toEqual([]);
  });
});
