/**
 * Folders at 10,000 files (run: `npm run bench:folders`): what listing one folder of a person's
 * files costs in a real emulator with their own Identity Pool credentials. The folder `Big/` holds
 * 10,000 files and 50 folders (each with a file); the top level holds `Big/` and a few files. Rows:
 * S3's delimiter listing alone (lib/files/folder-listing.ts), the listFiles action's server side
 * with the listings cached (sorting, searching and paging in memory) and read afresh (the folder's
 * listing plus the recursive one the quota and "search all folders" read). Figures, not assertions.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, it } from 'vitest';
import { listFolderPage, listWholeFolder } from '@/lib/files/folder-listing';
import { listOwnFiles, type Owner, storageChanged } from '@/lib/files/service';
import type { ListFilesInput } from '@/lib/files/types';
import { useEmulatorEnvironment } from '../tests/helpers/app-env';
import { type EmulatorProcess, startEmulatorProcess } from '../tests/helpers/emulator-process';
import { type S3Person, signedInS3Person } from '../tests/helpers/s3-person';
import { percentile, sample } from './support/stats';

const FILES = 10_000;
const FOLDERS = 50;
const UPLOAD_CONCURRENCY = 32;
let emulator: EmulatorProcess;
let person: S3Person;
let owner: Owner;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator, { SESSION_SECRET: 'bench-session-secret-0123456789-abcdefghijklmnop' });
  person = await signedInS3Person(emulator, 'folders-bench@example.com');
  owner = { identityId: person.identityId, credentials: person.credentials };
  const keys = [
    ...Array.from(
      { length: FILES },
      (_, index) => `Big/photo ${String(index).padStart(5, '0')}${index % 7 === 0 ? ' holiday' : ''}.jpg`,
    ),
    ...Array.from({ length: FOLDERS }, (_, index) => `Big/Album ${String(index).padStart(2, '0')}/cover.jpg`),
    'notes.txt',
    'todo.txt',
  ];
  let next = 0;
  const put = async () => {
    for (let index = next++; index < keys.length; index = next++) {
      await person.s3.send(
        new PutObjectCommand({
          Bucket: emulator.config.bucket,
          Key: `${person.home}${keys[index]}`,
          Body: 'x'.repeat(index % 100),
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: UPLOAD_CONCURRENCY }, put));
}, 600_000);
afterAll(async () => emulator?.stop());

it('prints the folder listing table', { timeout: 600_000 }, async () => {
  const input = (extra: Partial<ListFilesInput>): ListFilesInput => ({
    sort: 'lastModified',
    order: 'desc',
    pageSize: 50,
    path: ['Big'],
    ...extra,
  });
  const first = await listOwnFiles(owner, input({}));
  if (first.totalCount !== FILES || first.folders.length !== FOLDERS) {
    throw new Error(`expected ${FILES} files and ${FOLDERS} folders, listed ${first.totalCount} and ${first.folders.length}`);
  }
  let cursor = first.nextCursor ?? undefined;
  for (let pageNumber = 2; pageNumber < 100; pageNumber += 1) {
    cursor = (await listOwnFiles(owner, input({ cursor }))).nextCursor ?? undefined;
  }
  const cold = (extra: Partial<ListFilesInput>) => async () => {
    await storageChanged(owner); // Drops the cached listings: the next call reads S3.
    return listOwnFiles(owner, input(extra));
  };
  const warm = (extra: Partial<ListFilesInput>) => () => listOwnFiles(owner, input(extra));
  const rows: [string, number[]][] = [
    [
      'one page of S3 delimiter listing (1,000 keys)',
      await sample(20, () => listFolderPage(owner.credentials, owner.identityId, ['Big']), 2),
    ],
    [
      'the whole folder from S3 (delimiter, 11 pages)',
      await sample(10, () => listWholeFolder(owner.credentials, owner.identityId, ['Big']), 1),
    ],
    ['first page of Big/, read afresh (folder + recursive listing)', await sample(10, cold({}), 1)],
    ['top level, read afresh (2 files, 1 folder + recursive listing)', await sample(10, cold({ path: [] }), 1)],
    ['first page of Big/, cached, newest first', await sample(100, warm({}), 1)],
    ['first page of Big/, cached, by name', await sample(100, warm({ sort: 'name', order: 'asc' }), 1)],
    ['page 100 of Big/ (its cursor), cached', await sample(100, warm({ cursor }), 1)],
    ['search "holiday" in Big/ (1,429 matches), cached', await sample(100, warm({ query: 'holiday' }), 1)],
    [
      'search "cover" across all folders (50 matches), cached',
      await sample(100, warm({ path: [], query: 'cover', scope: 'all' }), 1),
    ],
  ];
  const lines = [
    '',
    `| a folder of ${FILES.toLocaleString('en')} files and ${FOLDERS} folders (server side) | p50 ms | p95 ms | n |`,
    '| --- | ---: | ---: | ---: |',
    ...rows.map(
      ([label, samples]) =>
        `| ${label} | ${(percentile(samples, 50) / 1000).toFixed(2)} | ${(percentile(samples, 95) / 1000).toFixed(2)} | ${samples.length} |`,
    ),
    '',
    'Listings are read from S3 once and kept 20 s (or until a change to the files); the cached rows are in memory.',
    '',
  ];
  console.log(lines.join('\n'));
});
