import { randomUUID } from 'node:crypto';
import { CreateMultipartUploadCommand, type S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { refreshTokens } from '@/lib/auth/refresh';
import { clearCredentialCaches, credentialsFor, identityIdFor } from '@/lib/aws/credentials';
import { incomingKey } from '@/lib/aws/keys';
import { headFile } from '@/lib/aws/s3';
import { AppError } from '@/lib/errors';
import { finishUpload, listOwnFiles, type Owner, planUpload, renameOwnFile } from '@/lib/files/service';
import type { FileItem } from '@/lib/files/types';
import { UPSTREAM_ACTION_BOUND_MS } from '@/lib/upstream';
import { useEmulatorEnvironment } from '../helpers/app-env';
import { createUser, signIn } from '../helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { credentialsFor as identityCredentials } from '../helpers/identity-credentials';
import { s3ClientFor } from '../helpers/s3-person';

/**
 * Every upstream call is bounded (lib/upstream.ts): with the emulator's Identity Pool, S3 or
 * token endpoint stalled for 30 s (`POST /_local/faults`), what the server actions run answers
 * within the action bound with the retryable code, and an S3 5xx never reads as `not_found`.
 * The elapsed-time checks are bounds (a 30 s stall must not be waited out), not performance tests.
 */

const STALL_MS = 30_000;
/** The bound plus slack for a loaded CI machine: still far below the 30 s stall. */
const BOUND_MS = UPSTREAM_ACTION_BOUND_MS + 2_000;
const EMAIL = 'bounds@example.com';
const PASSWORD = 'Passw0rd!x';

let emulator: EmulatorProcess;
let sub: string;
let idToken: string;
let refreshToken: string;
let owner: Owner;
let s3: S3Client;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator);
  ({ sub } = await createUser(emulator, { email: EMAIL, password: PASSWORD }));
  ({ idToken, refreshToken } = await signIn(emulator, { email: EMAIL, password: PASSWORD }));
  const identity = await identityCredentials(emulator, idToken);
  owner = { identityId: identity.identityId, credentials: identity.credentials };
  s3 = s3ClientFor(emulator, identity.credentials);
});
afterEach(async () => {
  await emulator.hook('DELETE', '/_local/faults');
});
afterAll(async () => {
  await emulator?.stop();
});

/** Runs `work` and returns the AppError it failed with and how long it took. */
async function failure(work: () => Promise<unknown>): Promise<{ error: AppError; elapsedMs: number }> {
  const started = performance.now();
  const error = await work().then(
    () => null,
    (caught: unknown) => caught,
  );
  const elapsedMs = performance.now() - started;
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return { error, elapsedMs };
}

function stall(target: 'identity' | 's3' | 'token', times = -1): Promise<unknown> {
  return emulator.hook('POST', '/_local/faults', { target, status: 200, delayMs: STALL_MS, times });
}

/** What the createUpload action does once the session is read: identity, credentials, then the plan. */
async function createUpload(name: string): Promise<unknown> {
  const identityId = await identityIdFor(sub, idToken);
  const credentials = await credentialsFor(identityId, idToken);
  return planUpload({ identityId, credentials }, { name, size: 5, type: 'text/plain' });
}

async function uploaded(name: string): Promise<FileItem> {
  const plan = await planUpload(owner, { name, size: 5, type: 'text/plain' });
  if (plan.kind !== 'single') throw new Error('expected a single PUT plan');
  const put = await fetch(plan.url, { method: 'PUT', headers: plan.headers, body: 'hello' });
  expect(put.status).toBe(200);
  return finishUpload(owner, { key: plan.key });
}

describe('a stalled Identity Pool', () => {
  it('ends createUpload with storage_unavailable within the bound', async () => {
    clearCredentialCaches();
    await stall('identity');
    const { error, elapsedMs } = await failure(() => createUpload('stalled.txt'));
    expect(error.code).toBe('storage_unavailable');
    expect(elapsedMs).toBeLessThan(BOUND_MS);
  });

  it('is retried once: a single stalled answer costs one attempt, and the upload is planned', async () => {
    clearCredentialCaches();
    await stall('identity', 1);
    await expect(createUpload('retried.txt')).resolves.toMatchObject({ name: 'retried.txt' });
  });
});

describe('a stalled S3', () => {
  it('ends listFiles with storage_unavailable within the bound', async () => {
    await stall('s3');
    const { error, elapsedMs } = await failure(() => listOwnFiles(owner, { sort: 'name', order: 'asc' }));
    expect(error.code).toBe('storage_unavailable');
    expect(elapsedMs).toBeLessThan(BOUND_MS);
  });

  it('ends renameFile with storage_unavailable within the bound', async () => {
    const file = await uploaded('rename-me.txt');
    await stall('s3');
    const { error, elapsedMs } = await failure(() => renameOwnFile(owner, file.key, 'renamed.txt'));
    expect(error.code).toBe('storage_unavailable');
    expect(elapsedMs).toBeLessThan(BOUND_MS);
  });

  it('ends finishUpload with storage_unavailable within the bound', async () => {
    const plan = await planUpload(owner, { name: 'finish-me.txt', size: 5, type: 'text/plain' });
    if (plan.kind !== 'single') throw new Error('expected a single PUT plan');
    expect((await fetch(plan.url, { method: 'PUT', headers: plan.headers, body: 'hello' })).status).toBe(200);
    await stall('s3');
    const { error, elapsedMs } = await failure(() => finishUpload(owner, { key: plan.key }));
    expect(error.code).toBe('storage_unavailable');
    expect(elapsedMs).toBeLessThan(BOUND_MS);
  });
});

describe('S3 answering 503 (SlowDown) at one step', () => {
  /** Requests of `method` answer 503 (`times` of them; -1 until cleared), the SDK's retry included. */
  const busy = (method: string, times = -1) =>
    emulator.hook('POST', '/_local/faults', { target: 's3', status: 503, times, method });

  it('during completeUpload: Complete succeeds, the HEADs after it answer 503 → storage_unavailable, and a retry finishes it', async () => {
    const key = incomingKey(owner.identityId, randomUUID());
    const Bucket = emulator.config.bucket;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: key }));
    if (!UploadId) throw new Error('no UploadId');
    const { ETag } = await s3.send(new UploadPartCommand({ Bucket, Key: key, UploadId, PartNumber: 1, Body: 'one part' }));
    await busy('HEAD');
    const finish = () =>
      finishUpload(owner, {
        key,
        name: 'multipart.bin',
        uploadId: UploadId,
        parts: [{ partNumber: 1, etag: (ETag ?? '').replaceAll('"', '') }],
      });
    expect((await failure(finish)).error.code).toBe('storage_unavailable');
    await emulator.hook('DELETE', '/_local/faults');
    expect(await finish()).toMatchObject({ name: 'multipart.bin', size: 8 });
  });

  it('during renameFile: a HEAD, the copy or the delete answering 503 is storage_unavailable, and the file keeps its name', async () => {
    const file = await uploaded('busy.txt');
    // The delete fails for both of its attempts; the clean-up delete of the copy that follows goes through.
    for (const [method, times] of [
      ['HEAD', -1],
      ['PUT', -1],
      ['DELETE', 2],
    ] as const) {
      await busy(method, times);
      const { error } = await failure(() => renameOwnFile(owner, file.key, 'busy-renamed.txt'));
      expect(error.code, method).toBe('storage_unavailable');
      await emulator.hook('DELETE', '/_local/faults');
      expect(await headFile(owner.credentials, file.key), method).not.toBeNull();
      expect(await headFile(owner.credentials, file.key.replace('busy.txt', 'busy-renamed.txt')), method).toBeNull();
    }
  });

  it('during finishUpload of a single PUT that landed: storage_unavailable, never not_found', async () => {
    const file = await uploaded('landed.txt');
    await busy('HEAD');
    expect((await failure(() => finishUpload(owner, { key: file.key }))).error.code).toBe('storage_unavailable');
  });
});

describe('a stalled Cognito token endpoint', () => {
  it('ends a refresh with idp_unavailable within the bound', async () => {
    await stall('token');
    const { error, elapsedMs } = await failure(() => refreshTokens({ refreshToken, idToken }));
    expect(error.code).toBe('idp_unavailable');
    expect(elapsedMs).toBeLessThan(BOUND_MS);
  });
  it('reads a 4xx that is no OAuth answer (a proxy or firewall page, not JSON) as unavailable, never as a sign-out', async () => {
    // Tokens of their own: the stalled refresh above is remembered for its tokens a moment.
    const fresh = await signIn(emulator, { email: EMAIL, password: PASSWORD });
    await emulator.hook('POST', '/_local/faults', { target: 'token', status: 400, times: 1 });
    const { error } = await failure(() => refreshTokens({ refreshToken: fresh.refreshToken, idToken: fresh.idToken }));
    expect(error.code).toBe('idp_unavailable');
  });
});
