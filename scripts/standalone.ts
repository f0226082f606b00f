/**
 * Runs the production build the way the container image does (see Dockerfile), without Docker:
 * lays out `.next/standalone` + `.next/static` + `public/` in a folder outside the repository,
 * refuses to start if anything there could load code from outside it, then runs `node server.js`
 * from that folder with only the container's environment (lib/env.ts's variables from this
 * process, NODE_ENV=production, HOSTNAME=0.0.0.0, PORT).
 *
 *   node scripts/standalone.ts [--port 3000] [--log <file>]
 *
 * `--log` also writes the server's stdout and stderr to a file (truncated first). Signals are
 * passed on to the server and its exit status becomes this script's. Run `next build` first.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { containerEnvironment, escapeRoutes, layOutStandalone, standaloneDir } from './standalone-layout.ts';

const { values } = parseArgs({ options: { port: { type: 'string', default: '3000' }, log: { type: 'string' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65_535) {
  console.error(`standalone: --port must be a TCP port, not ${values.port}`);
  process.exit(2);
}

const dir = standaloneDir(port);
try {
  layOutStandalone(dir);
} catch (error) {
  console.error(`standalone: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const problems = escapeRoutes(dir, dir);
if (problems.length > 0) {
  console.error(`standalone: the server in ${dir} could load code from outside it:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}

let logFile: fs.WriteStream | undefined;
if (values.log) {
  fs.mkdirSync(path.dirname(path.resolve(values.log)), { recursive: true });
  logFile = fs.createWriteStream(values.log, { flags: 'w' });
}

const server = spawn(process.execPath, ['server.js'], {
  cwd: dir,
  env: containerEnvironment(process.env, port, dir),
  stdio: ['ignore', 'pipe', 'pipe'],
});
server.stdout.on('data', (chunk: Buffer) => {
  logFile?.write(chunk);
  process.stdout.write(chunk);
});
server.stderr.on('data', (chunk: Buffer) => {
  logFile?.write(chunk);
  process.stderr.write(chunk);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => {
  const finish = () => process.exit(code ?? (signal ? 1 : 0));
  if (logFile) logFile.end(finish);
  else finish();
});
