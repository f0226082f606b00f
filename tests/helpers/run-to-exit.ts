import { type SpawnOptionsWithoutStdio, spawn } from 'node:child_process';

/**
 * Runs a process to its end (killed after `timeoutMs`) and returns its exit code and its stdout
 * and stderr together, for tests of servers that must refuse to start.
 */
export function runToExit(
  command: string,
  args: readonly string[],
  options: SpawnOptionsWithoutStdio,
  timeoutMs = 30_000,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, options);
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
