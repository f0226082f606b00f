/**
 * `npm run dev`: the offline emulator and `next dev` side by side, output prefixed, both
 * stopped together. The app gets the emulator's endpoints for every variable not already set.
 * Set COGNITO_ISSUER (and the rest, see .env.example) in the environment or .env.local to run against
 * real AWS: then no emulator starts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { parseEnv } from 'node:util';
import { localEnvironment } from '../lib/local-defaults.ts';

/** Variables set in the .env files `next dev` loads (in Next's order), so the emulator's defaults never shadow them. */
function fromEnvFiles(): Record<string, string> {
  const found: Record<string, string> = {};
  for (const file of ['.env.development.local', '.env.local', '.env.development', '.env']) {
    if (!fs.existsSync(file)) continue;
    for (const [name, value] of Object.entries(parseEnv(fs.readFileSync(file, 'utf8')))) {
      if (value && !(name in found)) found[name] = value;
    }
  }
  return found;
}

const configured = { ...fromEnvFiles(), ...process.env };

/** `PORT` alone moves the app: APP_URL (hence the callback, sign-out URL and the emulator's CORS) follows it. */
const appPort = configured.PORT || '3000';
/** Loopback by default, as the emulator; `HOST=0.0.0.0` exposes the dev server on the network. */
const appHost = configured.HOST || '127.0.0.1';
const appUrl = configured.APP_URL || `http://localhost:${appPort}`;
const emulatorPort = configured.EMULATOR_PORT || '9229';
const emulatorOrigin = `http://127.0.0.1:${emulatorPort}`;
const useEmulator = !configured.COGNITO_ISSUER;
const children: ChildProcess[] = [];

function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line) process.stdout.write(`[${name}] ${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    process.stdout.write(`[${name}] exited (${signal ?? code})\n`);
    shutdown(code ?? 1);
  });
  children.push(child);
  return child;
}

let stopping = false;
function shutdown(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1500).unref();
}

process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

const appEnv: NodeJS.ProcessEnv = { NEXT_TELEMETRY_DISABLED: '1', ...process.env };
if (useEmulator) {
  for (const [name, value] of Object.entries(localEnvironment(emulatorOrigin))) {
    if (!configured[name]) appEnv[name] = value;
  }
  appEnv.APP_URL = appUrl;
  run('emulator', process.execPath, ['emulator/server.ts', ...process.argv.slice(2)], {
    ...process.env,
    EMULATOR_PORT: emulatorPort,
    APP_URL: appUrl,
  });
}
run('next', process.execPath, ['node_modules/next/dist/bin/next', 'dev', '--hostname', appHost, '--port', appPort], appEnv);
