/**
 * Move benchmark (run: `npm run bench:move`): moving 1,000 files against a real emulator with a
 * person's own Identity Pool credentials, as the server actions do it (lib/files/move.ts: a
 * planning pass, then batches of create-only copies and deletes the browser would drive), as a
 * folder and as 1,000 selected files, next to a bare CopyObject + DeleteObject loop at the same
 * concurrency with no checks (the floor). Prints a table; figures, not assertions.
 */
import { CopyObjectCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, it } from 'vitest';
import { copySourceOf } from '@/lib/aws/s3';
import { moveBatch, startMove } from '@/lib/files/move';
import type { Owner } from '@/lib/files/service';
import { useEmulatorEnvironment } from '../tests/helpers/app-env';
import { type EmulatorProcess, startEmulatorProcess } from '../tests/helpers/emulator-process';
import { type S3Person, signedInS3Person } from '../tests/helpers/s3-person';

const FILES = 1000;
const BODY = 'x'.repeat(4096);
const CONCURRENCY = 8;
let emulator: EmulatorProcess;
let person: S3Person;

function owner(): Owner {
  return { identityId: person.identityId, credentials: person.credentials };
}

async function fill(folder: string): Promise<string[]> {
  const keys = Array.from({ length: FILES }, (_, index) => `${person.home}${folder}/file-${String(index).padStart(4, '0')}.txt`);
  for (let start = 0; start < keys.length; start += 50) {
    await Promise.all(
      keys
        .slice(start, start + 50)
        .map((Key) => person.s3.send(new PutObjectCommand({ Bucket: emulator.config.bucket, Key, Body: BODY }))),
    );
  }
  return keys;
}

interface Row {
  what: string;
  ms: number;
  batches: number;
}

async function timed(what: string, run: () => Promise<number>): Promise<Row> {
  const started = performance.now();
  const batches = await run();
  return { what, ms: performance.now() - started, batches };
}

async function driveMove(input: Parameters<typeof startMove>[1]): Promise<number> {
  let job = await startMove(owner(), input);
  let batches = 0;
  for (;;) {
    const result = await moveBatch(owner(), job);
    batches += 1;
    if (result.failed.length > 0) throw new Error(`${result.failed.length} failed`);
    job = result.job;
    if (result.done) return batches;
  }
}

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator);
  person = await signedInS3Person(emulator, 'move-bench@example.com');
});
afterAll(async () => {
  await emulator?.stop();
});

it(`moves ${FILES} files`, async () => {
  const rows: Row[] = [];

  await fill('Folder');
  rows.push(
    await timed('a folder of 1,000 files (startMove + moveBatch)', () =>
      driveMove({ files: [], folders: [['Folder']], destination: ['Moved'] }),
    ),
  );

  const selected = await fill('Loose');
  rows.push(
    await timed('1,000 selected files (startMove + moveBatch)', () =>
      driveMove({ files: selected, folders: [], destination: ['Target'] }),
    ),
  );

  const bare = await fill('Bare');
  rows.push(
    await timed('floor: CopyObject + DeleteObject, no checks', async () => {
      const bucket = emulator.config.bucket;
      let next = 0;
      const worker = async () => {
        for (let index = next++; index < bare.length; index = next++) {
          const key = bare[index] as string;
          const to = key.replace('/Bare/', '/BareMoved/');
          await person.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: copySourceOf(bucket, key) }));
          await person.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      return 0;
    }),
  );

  const lines = [
    `Moving ${FILES.toLocaleString('en')} files of ${BODY.length} bytes (emulator, ${CONCURRENCY} copies at once)`,
    '',
    '| What | Total | Per file | Files/s | Batches (server calls) |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (row) =>
        `| ${row.what} | ${(row.ms / 1000).toFixed(2)} s | ${(row.ms / FILES).toFixed(2)} ms | ${Math.round((FILES / row.ms) * 1000)} | ${row.batches || '–'} |`,
    ),
  ];
  console.log(lines.join('\n'));
});
