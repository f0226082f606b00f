/**
 * Process plumbing for benchmarks that run the whole stack: a port check, a counting TCP proxy
 * (bytes a client sends a server) and the standalone production server started as the container
 * runs it. Plain Node (type stripping), no test framework.
 */
import { type ChildProcess, spawn } from 'node:child_process';
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

/**
 * The production server from `.next/standalone` on `port`, laid out and run as the container runs
 * it, against the emulator at `emulatorUrl`, public at `appUrl`; resolves once /api/health answers.
 */
export async function startStandaloneApp(port: number, appUrl: string, emulatorUrl: string): Promise<ChildProcess> {
  const dir = standaloneDir(port);
  layOutStandalone(dir);
  const problems = escapeRoutes(dir, dir);
  if (problems.length > 0) throw new Error(`the server in ${dir} could load code from outside it:\n  ${problems.join('\n  ')}`);
  const source = {
    ...localEnvironment(emulatorUrl),
    APP_URL: appUrl,
    SESSION_SECRET: 'bench-session-secret-0123456789-abcdefghijklmnop',
  };
  const child = spawn(process.execPath, ['server.js'], {
    cwd: dir,
    env: containerEnvironment(source, port, dir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  for (let waited = 0; waited < 30_000; waited += 200) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${output}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return child;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGTERM');
  throw new Error(`the app did not answer /api/health within 30 s:\n${output}`);
}

/** Stops `child` with SIGTERM and waits for it to exit. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
