/**
 * S3 emulator throughput benchmark (issue 3, "Performance"): a 100 MB object PUT and GET through
 * presigned URLs with node:http — streamed from a file on disk and to a file on disk — against plain
 * local-disk write and read of 100 MB in the same run, plus the emulator's peak memory.
 *
 * The emulator runs as its own process (`node emulator/server.ts`, in-memory state, objects in a
 * temporary folder); its peak RSS is VmHWM from /proc/<pid>/status. Credentials are real: a user
 * is created and signed in through the managed login, then the Identity Pool's GetId and
 * GetCredentialsForIdentity are called. Each figure is the median of ROUNDS runs.
 * Run: `npx node bench/s3-throughput.ts` (Node 24 type stripping). Prints a markdown table.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createUser, signIn } from '../tests/helpers/cognito-login.ts';
import type { EmulatorProcess, LocalConfig } from '../tests/helpers/emulator-process.ts';

const MB = 1024 * 1024;
const SIZE = 100 * MB;
const CHUNK = MB;
const ROUNDS = 3;
const ROOT = path.resolve(import.meta.dirname, '..');

/** Starts the emulator as a child process and returns it with the pid whose memory is measured. */
async function startEmulator(): Promise<{ emulator: EmulatorProcess; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'emulator', 'server.ts')], {
    cwd: ROOT,
    env: { ...process.env, EMULATOR_PORT: '0', EMULATOR_DATA: 'memory' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  const hook = async (method: string, pathname: string, body?: unknown) => {
    const response = await fetch(`${url}${pathname}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return response.json();
  };
  const config = (await hook('GET', '/_local/config')) as LocalConfig;
  const stop = async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { emulator: { url, config, hook, stop }, child };
}

/** A signed-in person's Identity Pool credentials and identity id. */
async function credentialsOf(emulator: EmulatorProcess) {
  const email = 'bench@example.com';
  const password = 'Bench-Passw0rd';
  await createUser(emulator, { email, password });
  const { idToken } = await signIn(emulator, { email, password });
  const identity = new CognitoIdentityClient({ region: emulator.config.region, endpoint: emulator.url });
  const Logins = { [emulator.config.issuer.replace(/^https?:\/\//, '')]: idToken };
  const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId: emulator.config.identityPoolId, Logins }));
  const { Credentials } = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
  if (!IdentityId || !Credentials?.AccessKeyId || !Credentials.SecretKey || !Credentials.SessionToken) {
    throw new Error('the Identity Pool returned no credentials');
  }
  return {
    identityId: IdentityId,
    credentials: {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretKey,
      sessionToken: Credentials.SessionToken,
    },
  };
}

/** MB/s of `run`, the median of ROUNDS runs. */
async function throughput(run: () => Promise<void>): Promise<number> {
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    await run();
    rates.push(SIZE / MB / ((performance.now() - start) / 1000));
  }
  return rates.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)] ?? 0;
}

const discard = () =>
  new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });

/** Resident memory of a process in MB: `VmRSS` now or `VmHWM` (its peak so far). */
function memoryMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** A PUT of `file` streamed with node:http (undici's fetch tops out well below the disk here). */
function httpPut(url: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'PUT', headers: { 'content-length': String(SIZE) }, agent: false },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    fs.createReadStream(file, { highWaterMark: CHUNK }).pipe(request);
  });
}

/** A GET streamed to `file` with node:http. */
function httpGet(url: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        pipeline(response, fs.createWriteStream(file, { highWaterMark: CHUNK }))
          .then(() => resolve(response.statusCode ?? 0))
          .catch(reject);
      })
      .on('error', reject);
  });
}

/** The same transfer for any pair of URLs: PUT streamed from `source`, GET streamed to `download`. */
async function transfer(urls: () => Promise<{ put: string; get: string }>, source: string, download: string) {
  const put = await throughput(async () => {
    const status = await httpPut((await urls()).put, source);
    if (status !== 200) throw new Error(`PUT answered ${status}`);
  });
  const get = await throughput(async () => {
    const status = await httpGet((await urls()).get, download);
    if (status !== 200) throw new Error(`GET answered ${status}`);
  });
  if (fs.statSync(download).size !== SIZE) throw new Error('the download is not 100 MB');
  return { put, get };
}

/**
 * For context: a bare Node HTTP server (no auth, no hashing) streaming the same bytes to and from
 * disk, to show what loopback HTTP with the same client allows on this machine.
 */
const BARE_SERVER = `
import fs from 'node:fs'; import http from 'node:http'; import { pipeline } from 'node:stream/promises';
const file = process.argv[1];
const server = http.createServer(async (req, res) => {
  if (req.method === 'PUT') { await pipeline(req, fs.createWriteStream(file)); res.end(); return; }
  res.writeHead(200, { 'content-length': fs.statSync(file).size });
  await pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), res);
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;

async function startBareServer(file: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', BARE_SERVER, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve) =>
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())),
  );
  return { url: `http://127.0.0.1:${port}/object`, child };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cubby-bench-'));
const source = path.join(work, 'source.bin');
const download = path.join(work, 'download.bin');
const block = randomBytes(CHUNK);
const { emulator, child } = await startEmulator();
const bare = await startBareServer(path.join(work, 'bare.bin'));
try {
  // Plain local disk: write 100 MB from memory to a file, then read it back (discarding the bytes).
  const diskWrite = await throughput(async () => {
    await pipeline(
      Readable.from(
        (function* () {
          for (let offset = 0; offset < SIZE; offset += CHUNK) yield block;
        })(),
      ),
      fs.createWriteStream(source),
    );
  });
  const diskRead = await throughput(() => pipeline(fs.createReadStream(source, { highWaterMark: CHUNK }), discard()));

  const idle = memoryMb(child.pid, 'VmRSS');
  const { identityId, credentials } = await credentialsOf(emulator);
  const signedIn = memoryMb(child.pid, 'VmRSS');
  const s3 = new S3Client({
    region: emulator.config.region,
    endpoint: emulator.url,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const target = { Bucket: emulator.config.bucket, Key: `private/${identityId}/bench.bin` };
  const presigned = async () => ({
    put: await getSignedUrl(s3, new PutObjectCommand({ ...target, ContentLength: SIZE }), { expiresIn: 300 }),
    get: await getSignedUrl(s3, new GetObjectCommand(target), { expiresIn: 300 }),
  });
  const s3Rates = await transfer(presigned, source, download);
  const peak = memoryMb(child.pid, 'VmHWM');
  const bareRates = await transfer(async () => ({ put: bare.url, get: bare.url }), source, download);

  const mbs = (value: number) => `${value.toFixed(0)} MB/s`;
  const row = (name: string, value: number, baseline: number, context: number) => {
    const ratio = (value / baseline) * 100;
    const met = ratio >= 70 ? 'yes' : 'no';
    return `| ${name} | ${mbs(value)} | ${mbs(baseline)} | ${ratio.toFixed(0)}% | ≥ 70% | ${met} | ${mbs(context)} |`;
  };
  console.log(
    [
      `S3 emulator throughput, 100 MB object, median of ${ROUNDS} (Node ${process.version}, ${os.cpus().length} CPUs)`,
      '',
      '| Operation | Emulator (presigned, node:http) | Plain local disk | Ratio | Target | Met | Bare Node HTTP server, same client |',
      '|---|---|---|---|---|---|---|',
      row('PUT (file → emulator)', s3Rates.put, diskWrite, bareRates.put),
      row('GET (emulator → file)', s3Rates.get, diskRead, bareRates.get),
      '',
      '| Emulator process memory | Value | Target | Met |',
      '|---|---|---|---|',
      `| Peak RSS over the run (VmHWM) | ${peak.toFixed(0)} MB | < 200 MB | ${peak < 200 ? 'yes' : 'no'} |`,
      `| RSS idle, before any request | ${idle.toFixed(0)} MB | | |`,
      `| RSS after one sign-in + Identity Pool credentials | ${signedIn.toFixed(0)} MB | | |`,
    ].join('\n'),
  );
} finally {
  await emulator.stop();
  bare.child.kill('SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
}
