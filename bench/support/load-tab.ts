/**
 * One tab of one person in bench/load.ts: a bounded loop of the person's real operations through
 * the app's server actions over HTTP and presigned S3 URLs, as the browser makes them, keeping the
 * person's ledger.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { LedgerEntry } from './ledger.ts';
import { call, contestedName, type FileItem, isUnknown, openFiles, pick, s3, sha256, type TabContext } from './load-requests.ts';
import { upload } from './load-upload.ts';

/** A tab stops uploading (and deletes more) past this many files of its own. */
const MAX_FILES_PER_TAB = 12;
/** Tries of one rename: the wanted name, then the suggestions the app offers when it is taken. */
const RENAME_ATTEMPTS = 3;
/** Pages one listing may read: bounds the loop whatever cursors the app hands out. */
const MAX_LIST_PAGES = 20;
/** How long a tab waits for the person's other tab to upload one name with it. */
const MEETING_WAIT_MS = 1500;

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

/**
 * The tab's loop: opens /files, then random operations (now and then the page again, as a reload)
 * with a random pause, until the deadline or the operation cap.
 */
export async function runTab(context: TabContext): Promise<void> {
  await openFiles(context);
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
    else if (roll < 90) context.metrics.count('open /files', (await openFiles(context)) ? 'done' : 'failed');
    else {
      const listed = await listAll(context);
      context.metrics.count('list', listed ? 'done' : 'failed');
    }
    await new Promise((resolve) => setTimeout(resolve, randomInt(context.thinkMs + 1)));
  }
}
