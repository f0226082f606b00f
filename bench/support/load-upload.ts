/**
 * Uploads in bench/load.ts, made exactly as the browser makes them
 * (app/(signed-in)/files/_components/upload.ts), recorded in the person's ledger.
 */
import type { Operation } from './load-metrics.ts';
import {
  call,
  type FileItem,
  isUnknown,
  type MultipartPlan,
  type SinglePlan,
  s3,
  sha256,
  type TabContext,
  typeOf,
} from './load-requests.ts';

/** Names a single upload may meet taken before it gives up (lib/files/types.ts's MAX_NAME_ATTEMPTS). */
const UPLOAD_NAME_ATTEMPTS = 8;

/**
 * Uploads `bytes` as `name` the way the browser does: createUpload, a PUT with exactly the plan's
 * headers (its signed `If-None-Match: *` among them), on 412/409 createUpload again with the name
 * in `taken`, then completeUpload. A multipart plan sends its parts and completes with their ETags.
 */
export async function upload(
  context: TabContext,
  name: string,
  bytes: Uint8Array<ArrayBuffer>,
  operation: Operation = bytes.length > 100_000_000 ? 'multipart upload' : 'upload',
): Promise<void> {
  try {
    await sendFile(context, name, bytes, operation);
  } finally {
    context.desk.writing.delete(context.tab);
  }
}

async function sendFile(context: TabContext, name: string, bytes: Uint8Array<ArrayBuffer>, operation: Operation): Promise<void> {
  const { metrics, ledger, tab } = context;
  const sha = sha256(bytes);
  const taken: string[] = [];
  for (let attempt = 1; attempt <= UPLOAD_NAME_ATTEMPTS; attempt += 1) {
    const created = await call(context, 'createUpload', { name, size: bytes.length, type: typeOf(name), taken });
    if (!created.ok) {
      metrics.error('createUpload', created.code);
      return metrics.count(operation, 'failed');
    }
    const plan = created.value as SinglePlan | MultipartPlan;
    if (plan.kind === 'multipart') return multipart(context, plan, bytes, sha);
    context.desk.writing.set(tab, plan.name);
    const put = await s3(context, 'S3 PUT', plan.url, { method: 'PUT', headers: plan.headers, body: bytes });
    if (put === null) {
      metrics.error('S3 PUT', 'timeout');
      ledger.maybeStored({ sha, size: bytes.length, tab, name: plan.name, key: plan.key });
      return metrics.count(operation, 'failed');
    }
    if (put.status === 412 || put.status === 409) {
      metrics.expected('S3 PUT', `${put.status}, asked again with the name in taken`);
      taken.push(plan.name);
      continue;
    }
    if (put.status !== 200) {
      metrics.error('S3 PUT', String(put.status));
      return metrics.count(operation, 'failed');
    }
    const entry = ledger.stored({ sha, size: bytes.length, tab, name: plan.name, key: plan.key });
    const completed = await call(context, 'completeUpload', { key: plan.key });
    if (!completed.ok) {
      metrics.error('completeUpload', completed.code);
      if (completed.code === 'not_found') {
        const detail = `"${plan.name}": completeUpload answered not_found right after S3 accepted the PUT`;
        metrics.found({ kind: 'lost', person: context.personIndex, tab, detail });
        ledger.flag(entry);
      }
      return metrics.count(operation, 'failed');
    }
    const file = completed.value as FileItem;
    if (file.name !== entry.name || file.size !== bytes.length) {
      metrics.found({
        kind: 'corrupted',
        person: context.personIndex,
        tab,
        detail: `completeUpload of "${entry.name}" (${bytes.length} B) answered "${file.name}" (${file.size} B)`,
      });
    }
    return metrics.count(operation, 'done');
  }
  metrics.error('upload', `name taken ${UPLOAD_NAME_ATTEMPTS} times`);
  metrics.count(operation, 'failed');
}

/** Sends a multipart plan's parts (three at a time, more URLs asked in batches), then completes it. */
async function multipart(context: TabContext, plan: MultipartPlan, bytes: Uint8Array<ArrayBuffer>, sha: string): Promise<void> {
  const { metrics, ledger, tab } = context;
  const urls = new Map(plan.parts.map((part) => [part.partNumber, part.url]));
  const etags: { partNumber: number; etag: string }[] = [];
  let next = 1;
  const worker = async () => {
    for (let part = next++; part <= plan.partCount; part = next++) {
      if (!urls.has(part)) {
        const partNumbers = Array.from({ length: Math.min(20, plan.partCount - part + 1) }, (_, index) => part + index);
        const more = await call(context, 'presignParts', {
          key: plan.key,
          uploadId: plan.uploadId,
          size: bytes.length,
          partNumbers,
        });
        if (!more.ok) throw new Error(`presignParts: ${more.code}`);
        for (const entry of more.value as { partNumber: number; url: string }[]) urls.set(entry.partNumber, entry.url);
      }
      const body = bytes.subarray((part - 1) * plan.partSize, part * plan.partSize);
      const response = await s3(context, 'S3 PUT', urls.get(part) ?? '', { method: 'PUT', body });
      const etag = response?.etag;
      if (response?.status !== 200 || !etag) throw new Error(`part ${part}: ${response?.status ?? 'timeout'}`);
      etags.push({ partNumber: part, etag });
    }
  };
  try {
    await Promise.all([worker(), worker(), worker()]);
  } catch (error) {
    metrics.error('multipart', error instanceof Error ? error.message : String(error));
    await call(context, 'abortUpload', { key: plan.key, uploadId: plan.uploadId });
    return metrics.count('multipart upload', 'failed');
  }
  etags.sort((a, b) => a.partNumber - b.partNumber);
  const completed = await call(context, 'completeUpload', {
    key: plan.key,
    name: plan.name,
    uploadId: plan.uploadId,
    parts: etags,
  });
  if (!completed.ok) {
    metrics.error('completeUpload (multipart)', completed.code);
    if (isUnknown(completed)) ledger.maybeStored({ sha, size: bytes.length, tab, name: plan.name, key: plan.key });
    return metrics.count('multipart upload', 'failed');
  }
  const file = completed.value as FileItem;
  ledger.stored({ sha, size: bytes.length, tab, name: file.name, key: file.key });
  metrics.count('multipart upload', 'done');
}
