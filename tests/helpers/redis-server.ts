import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect as tlsConnect } from 'node:tls';

/**
 * A real `redis-server` for tests (Debian's, installed by .ci/run; Redis 7 or Valkey): its own
 * temp dir, a free loopback port, no persistence. Each test file starts its own. Relative imports
 * only and no vitest API, so Playwright specs and plain Node scripts can use it too.
 */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` (`rediss://` with TLS): what SESSION_STORE_URL would hold. */
  url: string;
  port: number;
  /** True between start (or {@link RedisServer.restart}) and {@link RedisServer.stop}. */
  readonly running: boolean;
  /** Ends the server (SIGTERM, waits for the exit). Idempotent. The temp dir goes on {@link RedisServer.close}. */
  stop(): Promise<void>;
  /** Starts it again on the same port and dir (empty: nothing is persisted), after {@link RedisServer.stop}. */
  restart(): Promise<void>;
  /** Stops the server and removes its temp dir. */
  close(): Promise<void>;
}

/** The server binary: REDIS_SERVER when set (e.g. valkey-server), else `redis-server` on PATH. */
const BINARY = process.env.REDIS_SERVER || 'redis-server';
const START_TIMEOUT_MS = 10_000;

const TLS_FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'redis-tls');
/**
 * The test-only CA (PEM) that signed the TLS server's certificate (127.0.0.1 and localhost, valid
 * for a century; tests/fixtures/redis-tls). Trust it to connect to a `tls: true` server.
 */
export const TEST_REDIS_CA = readFileSync(path.join(TLS_FIXTURES, 'ca.pem'), 'utf8');

/** A loopback port nobody listens on right now (the OS picks it; redis-server cannot take port 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Resolves when `PING` over a raw connection (TLS when `tls`) answers `+PONG`; rejects on any other outcome. */
export function ping(port: number, timeoutMs = 1_000, tls = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: Socket = tls
      ? tlsConnect({ host: '127.0.0.1', port, ca: TEST_REDIS_CA, servername: 'localhost' })
      : createConnection({ host: '127.0.0.1', port });
    let answer = '';
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => finish(new Error('PING timed out')), timeoutMs);
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) finish(answer.startsWith('+PONG') ? undefined : new Error(`PING answered ${answer.trim()}`));
    });
    socket.once('error', (error) => finish(error));
  });
}

function launch(port: number, dir: string, tls: boolean): { child: ChildProcess; output: () => string } {
  const listen = tls
    ? [
        ...['--port', '0', '--tls-port', String(port), '--tls-auth-clients', 'no'],
        ...[
          '--tls-cert-file',
          path.join(TLS_FIXTURES, 'server.pem'),
          '--tls-key-file',
          path.join(TLS_FIXTURES, 'server-key.pem'),
        ],
        ...['--tls-ca-cert-file', path.join(TLS_FIXTURES, 'ca.pem')],
      ]
    : ['--port', String(port)];
  const child = spawn(
    BINARY,
    [...listen, '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { child, output: () => output };
}

/** Waits until the server answers PING, or fails with its output when it exits or takes too long. */
async function waitForPing(child: ChildProcess, port: number, output: () => string, tls: boolean): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exited = child.exitCode !== null;
  child.once('exit', () => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error(`${BINARY} exited with ${child.exitCode}:\n${output()}`);
    try {
      await ping(port, 500, tls);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${BINARY} did not answer PING on ${port}: ${String(error)}\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Starts `redis-server` on a free loopback port in a fresh temp dir (`--save '' --appendonly no`)
 * and resolves once it answers PING. A port taken between choosing and binding is retried. With
 * `tls`, it listens for TLS only (a certificate from {@link TEST_REDIS_CA}), as hosted Redis does.
 */
export async function startRedisServer(options: { tls?: boolean } = {}): Promise<RedisServer> {
  const tls = options.tls ?? false;
  const dir = await mkdtemp(path.join(tmpdir(), 'cubby-redis-'));
  let port = 0;
  let current: ChildProcess | null = null;
  for (let attempt = 1; current === null; attempt += 1) {
    port = await freePort();
    const { child, output } = launch(port, dir, tls);
    try {
      await waitForPing(child, port, output, tls);
      current = child;
    } catch (error) {
      await stopChild(child);
      if (attempt >= 3) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  let running: ChildProcess | null = current;
  const server: RedisServer = {
    url: `${tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    port,
    get running() {
      return running !== null;
    },
    async stop() {
      const child = running;
      running = null;
      if (child) await stopChild(child);
    },
    async restart() {
      if (running) return;
      const { child, output } = launch(port, dir, tls);
      await waitForPing(child, port, output, tls);
      running = child;
    },
    async close() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return server;
}
