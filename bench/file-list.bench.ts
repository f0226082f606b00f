/**
 * The file list at 10,000 files (run: `npm run bench`, or `npx vitest run --project bench bench/file-list.bench.ts`):
 * what the listFiles action's server side costs for one person with 10,000 files in a real
 * emulator, once the listing is read (sorting, searching and paging in memory) and when it must be
 * read from S3 (ListObjectsV2, 10 pages of 1,000). Figures, not assertions: the target ("stays fast
 * at 10,000 files") is read by people.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, it } from 'vitest';
import { listAllFiles } from '@/lib/aws/s3';
import { listOwnFiles, type Owner } from '@/lib/files/service';
import type { ListFilesInput } from '@/lib/files/types';
import { useEmulatorEnvironment } from '../tests/helpers/app-env';
import { type EmulatorProcess, startEmulatorProcess } from '../tests/helpers/emulator-process';
import { type S3Person, signedInS3Person } from '../tests/helpers/s3-person';
import { percentile, sample } from './support/stats';

const FILES = 10_000;
const UPLOAD_CONCURRENCY = 32;
let emulator: EmulatorProcess;
let person: S3Person;
let owner: Owner;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator, { SESSION_SECRET: 'bench-session-secret-0123456789-abcdefghijklmnop' });
  person = await signedInS3Person(emulator, 'list-bench@example.com');
  owner = { identityId: person.identityId, credentials: person.credentials };
  let next = 0;
  const put = async () => {
    for (let index = next++; index < FILES; index = next++) {
      await person.s3.send(
        new PutObjectCommand({
          Bucket: emulator.config.bucket,
          Key: `${person.home}report ${String(index).padStart(5, '0')} ${index % 7 === 0 ? 'holiday' : 'notes'}.txt`,
          Body: 'x'.repeat(index % 100),
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: UPLOAD_CONCURRENCY }, put));
}, 300_000);
afterAll(async () => emulator?.stop());

it('prints the 10,000-file listing table', { timeout: 300_000 }, async () => {
  const page = (input: Partial<ListFilesInput>) => () =>
    listOwnFiles(owner, { sort: 'lastModified', order: 'desc', pageSize: 50, ...input });
  const first = await listOwnFiles(owner, { sort: 'size', order: 'desc', pageSize: 50 });
  if (first.totalCount !== FILES) throw new Error(`expected ${FILES} files, listed ${first.totalCount}`);
  // The cursor of page 100, found the way the browser finds it: by following "Load more".
  let cursor = first.nextCursor ?? undefined;
  for (let pageNumber = 2; pageNumber < 100; pageNumber += 1) {
    cursor = (await listOwnFiles(owner, { sort: 'size', order: 'desc', pageSize: 50, cursor })).nextCursor ?? undefined;
  }
  const rows: [string, number[]][] = [
    ['read the listing from S3 (ListObjectsV2 × 10)', await sample(10, () => listAllFiles(owner.credentials, person.home), 1)],
    ['first page, newest first', await sample(100, page({}), 1)],
    ['first page, by name', await sample(100, page({ sort: 'name', order: 'asc' }), 1)],
    ['page 100 (its cursor), by size', await sample(100, page({ sort: 'size', order: 'desc', cursor }), 1)],
    ['search "holiday" (1,429 matches), by name', await sample(100, page({ sort: 'name', order: 'asc', query: 'holiday' }), 1)],
    ['200 rows at once (the refresh after uploads)', await sample(100, page({ pageSize: 200 }), 1)],
  ];
  const lines = [
    '',
    `| listFiles at ${FILES.toLocaleString('en')} files (server side) | p50 ms | p95 ms | n |`,
    '| --- | ---: | ---: | ---: |',
    ...rows.map(
      ([label, samples]) =>
        `| ${label} | ${(percentile(samples, 50) / 1000).toFixed(2)} | ${(percentile(samples, 95) / 1000).toFixed(2)} | ${samples.length} |`,
    ),
    '',
    'The listing is read from S3 once and kept 20 s (or until this process changes the files); every other row is in memory.',
    '',
  ];
  console.log(lines.join('\n'));
});
