import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export interface EmulatorProcess {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** GET /_local/config */
  config: LocalConfig;
  /** Calls a `/_local/*` hook with a JSON body (or none) and returns the parsed answer. */
  hook(method: string, pathname: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

export interface LocalConfig {
  region: string;
  userPoolId: string;
  clientId: string;
  clientSecret: string;
  issuer: string;
  domain: string;
  identityPoolId: string;
  cognitoIdpEndpoint: string;
  cognitoIdentityEndpoint: string;
  s3Endpoint: string;
  bucket: string;
  appUrl: string;
}

/**
 * The `/_local` hook caller and configuration of an emulator already running at `url` (the
 * process helper's own, or one a test runner started).
 */
export async function connectToEmulator(url: string): Promise<Pick<EmulatorProcess, 'config' | 'hook'>> {
  const hook = async (method: string, pathname: string, body?: unknown) => {
    const response = await fetch(`${url}${pathname}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return { hook, config: (await hook('GET', '/_local/config')) as LocalConfig };
}

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/**
 * Starts the real emulator as its own process (`node emulator/server.ts`) on a free port with
 * in-memory state, and waits until it listens. Each test file gets its own.
 */
export async function startEmulatorProcess(env: Record<string, string> = {}): Promise<EmulatorProcess> {
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'emulator', 'server.ts')], {
    cwd: ROOT,
    env: { ...process.env, EMULATOR_PORT: '0', EMULATOR_DATA: 'memory', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start:\n${output}`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code}:\n${output}`));
    });
  });
  const { config, hook } = await connectToEmulator(url);
  return {
    url,
    config,
    hook,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
