import { EnvError, getEnv } from './env.ts';

/**
 * Boot check for servers: validates the environment, or prints every problem and exits with
 * status 1 before the server accepts a request. Called by next.config.mjs (next dev/start) and
 * instrumentation.ts (the standalone server.js, which never loads next.config.mjs). Node only.
 */
export function assertEnvAtBoot(): void {
  try {
    getEnv();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
