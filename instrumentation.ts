/** Runs once when a server starts, including the standalone server.js that skips next.config.mjs. */
export async function register() {
  // Next documents this variable for choosing the runtime; lib/boot.ts is Node-only.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { assertEnvAtBoot } = await import('./lib/boot');
    assertEnvAtBoot();
  }
}
