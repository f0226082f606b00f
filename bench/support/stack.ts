/**
 * Process plumbing for benchmarks that run the whole stack: a port check, a counting TCP proxy
 * (bytes a client sends a server) and the standalone production server started as the container
 * runs it. Plain Node (type stripping), no test framework.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { localEnvironment } from '../../lib/local-defaults.ts';
import { containerEnvironment, escapeRoutes, layOutStandalone, standaloneDir } from '../../scripts/standalone-layout.ts';

/** Fails early with the port's name when something already listens there. */
export async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', () => reject(new Error(`port ${port} (${what}) is in use: stop whatever listens there`)));
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

export interface CountingProxy {
  /** Bytes clients sent towards the Next server so far. */
  received(): number;
  /** Request lines (`POST /files`) seen so far, in order. */
  requests(): readonly string[];
  close(): Promise<void>;
}

/** An HTTP/1.1 request line; browsers write a request's head in one packet, so one chunk holds it. */
const REQUEST_LINE = /(?:^|\r\n)(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (\S+) HTTP\/1\.[01]\r\n/g;

/**
 * A TCP proxy on `listenPort` to 127.0.0.1:`targetPort` counting client → server bytes (headers
 * included) and the request lines among them.
 */
export async function startCountingProxy(listenPort: number, targetPort: number): Promise<CountingProxy> {
  let received = 0;
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }
    client.on('data', (chunk: Buffer) => {
      received += chunk.length;
      for (const [, method, target] of chunk.toString('latin1').matchAll(REQUEST_LINE)) requests.push(`${method} ${target}`);
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once('error', end);
    upstream.once('error', end);
  });
  await new Promise<void>((resolve) => server.listen(listenPort, resolve));
  return {
    received: () => received,
    requests: () => requests,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** What {@link startStandaloneApp} adds to the emulator environment it gives the server. */
export interface StandaloneOptions {
  /** More variables (SESSION_STORE_URL, RATE_LIMIT_ACTIONS…), over the defaults. */
  env?: Record<string, string>;
  /** A file that receives everything the server writes (stdout and stderr), for the whole run. */
  logFile?: string;
}

/**
 * The production server from `.next/standalone` on `port`, laid out and run as the container runs
 * it, against the emulator at `emulatorUrl`, public at `appUrl`; resolves once /api/health answers.
 */
export async function startStandaloneApp(
  port: number,
  appUrl: string,
  emulatorUrl: string,
  options: StandaloneOptions = {},
): Promise<ChildProcess> {
  const dir = standaloneDir(port);
  layOutStandalone(dir);
  const problems = escapeRoutes(dir, dir);
  if (problems.length > 0) throw new Error(`the server in ${dir} could load code from outside it:\n  ${problems.join('\n  ')}`);
  const source = {
    ...localEnvironment(emulatorUrl),
    APP_URL: appUrl,
    SESSION_SECRET: 'bench-session-secret-0123456789-abcdefghijklmnop',
    ...options.env,
  };
  const child = spawn(process.execPath, ['server.js'], {
    cwd: dir,
    env: containerEnvironment(source, port, dir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = options.logFile ? fs.createWriteStream(options.logFile, { flags: 'a' }) : null;
  // Kept in memory only until the server is healthy (for the error below); the log file has it all.
  let output: string | null = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      log?.write(chunk);
      if (output !== null) output += chunk.toString();
    });
  }
  child.once('close', () => log?.end());
  for (let waited = 0; waited < 30_000; waited += 200) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${output}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) {
      output = null;
      return child;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGTERM');
  throw new Error(`the app did not answer /api/health within 30 s:\n${output}`);
}

/** Peak resident memory of `children` summed, sampled from /proc/<pid>/status every half second (Linux). */
export function sampleRss(children: readonly ChildProcess[]): { stop(): { sampledMb: number; highWaterMb: number } } {
  const read = (pid: number | undefined, field: string) => {
    try {
      const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      return Number(match?.[1] ?? 0) / 1024;
    } catch {
      return 0;
    }
  };
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(
      peak,
      children.reduce((sum, child) => sum + read(child.pid, 'VmRSS'), 0),
    );
  }, 500);
  return {
    stop() {
      clearInterval(timer);
      return { sampledMb: peak, highWaterMb: children.reduce((sum, child) => sum + read(child.pid, 'VmHWM'), 0) };
    },
  };
}

/** Stops `child` with SIGTERM and waits for it to exit. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
