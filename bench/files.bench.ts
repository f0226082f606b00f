/**
 * File-manager benchmark (run: `npm run bench`, or `npx vitest run --project bench bench/files.bench.ts`):
 * what the createUpload server action costs on the server with warm credentials (cached in memory),
 * with cold ones (GetCredentialsForIdentity every time), and what an action that does nothing but
 * validate its input and read the session costs, in one run against a real emulator. Both sides
 * share Next's own action dispatch, which is left out, so the warm/no-op ratio is an upper bound.
 * Figures, not assertions: targets are read by people.
 */
import { afterAll, beforeAll, it } from 'vitest';
import { z } from 'zod';
import { runAction } from '@/lib/actions';
import { readSession } from '@/lib/auth/session';
import { clearCredentialCaches } from '@/lib/aws/credentials';
import { presignUpload } from '@/lib/aws/s3';
import { accessFor, type PersonAccess } from '@/lib/dal';
import { cancelUpload, planUpload } from '@/lib/files/service';
import { useEmulatorEnvironment } from '../tests/helpers/app-env';
import { createUser, signIn } from '../tests/helpers/cognito-login';
import { type EmulatorProcess, startEmulatorProcess } from '../tests/helpers/emulator-process';
import { MemoryCookieStore } from '../tests/helpers/session-cookie';
import { interleaved, percentile, sample } from './support/stats';

const PASSWORD = 'Correct-Horse-9';
const ITERATIONS = 400;
/** A same-region round trip to the Identity Pool's public endpoint, for the labelled "far" row. */
const IDENTITY_POOL_RTT_MS = 20;
let emulator: EmulatorProcess;
let store: MemoryCookieStore;

const CreateSchema = z.object({
  name: z.string().trim().min(1).max(1000),
  size: z.number().int().min(0),
  type: z.string().max(255),
});

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  useEmulatorEnvironment(emulator, { SESSION_SECRET: 'bench-session-secret-0123456789-abcdefghijklmnop' });
  await createUser(emulator, { email: 'files-bench@example.com', password: PASSWORD });
  const tokens = await signIn(emulator, { email: 'files-bench@example.com', password: PASSWORD });
  const { createSession } = await import('@/lib/auth/session');
  const claims = JSON.parse(Buffer.from(tokens.idToken.split('.')[1] ?? '', 'base64url').toString()) as { sub: string };
  store = new MemoryCookieStore();
  await createSession(store, tokens, claims);
});
afterAll(async () => emulator?.stop());

async function session() {
  const current = await readSession(store);
  if (!current) throw new Error('bench session missing');
  return current;
}

/** What every action does before its work: validate, read and check the session. */
function noopAction() {
  return runAction(
    'bench.noop',
    CreateSchema,
    { name: 'a.txt', size: 1, type: 'text/plain' },
    async () => null,
    async () => ({ session: await session() }) as PersonAccess,
  );
}

/** The createUpload action's server side: validate, session, identity + credentials, plan + presign. */
async function createUploadAction() {
  const result = await runAction(
    'bench.create_upload',
    CreateSchema,
    { name: 'photo.jpg', size: 2_000_000, type: 'image/jpeg' },
    async (valid, owner) => {
      const plan = await planUpload(owner, valid);
      await cancelUpload(owner, { key: plan.key }); // Frees the bytes again: in memory, no S3 call.
      return plan;
    },
    async () => accessFor(await session(), 'action', store),
  );
  if (!result.ok) throw new Error(result.code);
}

it('prints the createUpload benchmark table', { timeout: 240_000 }, async () => {
  const quiet = { log: console.log, error: console.error };
  console.log = () => {};
  console.error = () => {};
  let rows: [string, number[]][];
  try {
    // No-op and warm createUpload alternate, sample by sample, so drift on a shared machine hits both alike.
    const [noop, warm] = await interleaved(ITERATIONS, noopAction, createUploadAction);
    const owner = await accessFor(await session(), 'action', store);
    const parts = {
      session: await sample(ITERATIONS, session),
      access: await sample(ITERATIONS, async () => accessFor(await session(), 'action', store)),
      presign: await sample(ITERATIONS, () =>
        presignUpload(owner.credentials, { key: `${owner.identityId}`, size: 1, contentType: 'a/b' }, 60),
      ),
    };
    const cold = await sample(ITERATIONS / 4, async () => {
      clearCredentialCaches();
      await createUploadAction();
    });
    // The emulator answers GetCredentialsForIdentity in a few ms on loopback; the real Identity Pool
    // is a TLS round trip away. This row adds that distance, so "cold" reads as it would on AWS.
    await emulator.hook('POST', '/_local/faults', { target: 'identity', status: 200, delayMs: IDENTITY_POOL_RTT_MS, times: -1 });
    const coldFar = await sample(ITERATIONS / 20, async () => {
      clearCredentialCaches();
      await createUploadAction();
    });
    await emulator.hook('DELETE', '/_local/faults');
    rows = [
      ['  part: read session', parts.session],
      ['  part: read session + identity + credentials', parts.access],
      ['  part: presign a PUT', parts.presign],
      ['no-op action (validate + session)', noop],
      ['createUpload, warm credentials', warm],
      ['createUpload, cold credentials', cold],
      [`createUpload, cold, Identity Pool ${IDENTITY_POOL_RTT_MS} ms away`, coldFar],
    ];
  } finally {
    console.log = quiet.log;
    console.error = quiet.error;
  }
  const p50 = (samples: number[]) => percentile(samples, 50);
  const [noop, warm, cold, coldFar] = rows.slice(3).map(([, samples]) => samples) as [number[], number[], number[], number[]];
  const lines = [
    '',
    '| createUpload (server side) | p50 µs | p95 µs | n |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(
      ([label, samples]) =>
        `| ${label} | ${p50(samples).toFixed(0)} | ${percentile(samples, 95).toFixed(0)} | ${samples.length} |`,
    ),
    '',
    `warm / no-op = ${(p50(warm) / p50(noop)).toFixed(2)}× (target ≤ 1.3×); cold / warm = ${(p50(cold) / p50(warm)).toFixed(1)}× on loopback, ${(p50(coldFar) / p50(warm)).toFixed(1)}× with the Identity Pool ${IDENTITY_POOL_RTT_MS} ms away (target ≥ 5×)`,
    '',
  ];
  console.log(lines.join('\n'));
});
