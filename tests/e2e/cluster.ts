import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { localEnvironment } from '../../lib/local-defaults.ts';
import { e2eAppEnvironment } from '../helpers/e2e-env.ts';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process.ts';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.ts';

/**
 * Cubby as ops run it on several instances: two production servers (the standalone build, as the
 * container runs it) with the same environment and one Redis, behind a round-robin proxy that
 * alternates requests between them, and an emulator of their own whose app URL is the proxy.
 * Needs the production build the e2e stack already made (playwright.config.ts).
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface Cluster {
  /** The proxy's origin: the app URL people open. */
  url: string;
  /** Each instance's own origin, for requests that must reach one of them. */
  instances: string[];
  emulator: EmulatorProcess;
  redis: RedisServer;
  /** Requests the proxy sent to each instance so far. */
  served(): number[];
  stop(): Promise<void>;
}

async function waitForHealth(origin: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`instance exited:\n${output()}`);
    if (
      await fetch(`${origin}/api/health`).then(
        (response) => response.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`instance ${origin} did not become healthy:\n${output()}`);
}

function startInstance(port: number, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'standalone.ts'), '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** A round-robin HTTP proxy on `port`: request n goes to `targets[n % targets.length]`. */
function startRoundRobin(port: number, targets: string[]): Promise<{ server: http.Server; counts: number[] }> {
  const counts = targets.map(() => 0);
  let next = 0;
  const server = http.createServer((incoming, outgoing) => {
    const index = next++ % targets.length;
    counts[index] = (counts[index] ?? 0) + 1;
    const target = new URL(targets[index] ?? '');
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, counts })));
}

/** Starts Redis, an emulator, two instances on `ports[1]`/`ports[2]` and the proxy on `ports[0]`. */
export async function startCluster(ports: [number, number, number], extraEnv: Record<string, string> = {}): Promise<Cluster> {
  const url = `http://localhost:${ports[0]}`;
  const redis = await startRedisServer();
  const emulator = await startEmulatorProcess({ APP_URL: url });
  const { SESSION_SECRET: _development, ...endpoints } = localEnvironment(emulator.url);
  const env = {
    ...e2eAppEnvironment(),
    ...endpoints,
    APP_URL: url,
    SESSION_STORE_URL: redis.url,
    ...extraEnv,
  };
  const instances = [ports[1], ports[2]].map((port) => `http://127.0.0.1:${port}`);
  const started = [ports[1], ports[2]].map((port) => startInstance(port, env));
  try {
    await Promise.all(started.map(({ child, output }, index) => waitForHealth(instances[index] ?? '', child, output)));
  } catch (error) {
    for (const { child } of started) child.kill('SIGTERM');
    await emulator.stop();
    await redis.close();
    throw error;
  }
  const proxy = await startRoundRobin(ports[0], instances);
  return {
    url,
    instances,
    emulator,
    redis,
    served: () => [...proxy.counts],
    async stop() {
      await new Promise((resolve) => proxy.server.close(resolve));
      proxy.server.closeAllConnections();
      await Promise.all(
        started.map(
          ({ child }) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
            }),
        ),
      );
      await emulator.stop();
      await redis.close();
    },
  };
}
