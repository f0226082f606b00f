import { localEnvironment } from '../../lib/local-defaults.ts';

/** Ports of the end-to-end stack, apart from `npm run dev`'s 3000/9229 so both can run at once. */
export const E2E_APP_PORT = 3100;
export const E2E_EMULATOR_PORT = 9329;
export const E2E_APP_URL = `http://localhost:${E2E_APP_PORT}`;
export const E2E_EMULATOR_URL = `http://127.0.0.1:${E2E_EMULATOR_PORT}`;
/** The emulator's managed-login domain (sign-in pages, OAuth endpoints): the same server on `localhost`. */
export const E2E_MANAGED_LOGIN_URL = `http://localhost:${E2E_EMULATOR_PORT}`;

/** The production-mode environment the e2e app server runs with: every variable set, as in a real deployment. */
export function e2eAppEnvironment(): Record<string, string> {
  return {
    ...localEnvironment(E2E_EMULATOR_URL),
    NODE_ENV: 'production',
    APP_URL: E2E_APP_URL,
    SESSION_SECRET: 'e2e-session-secret-0123456789-abcdefghijklmnop',
    // As behind a proxy that sets X-Real-IP: rate-limit tests send it to act as distinct clients
    // (requests without it have no address and are not limited per address).
    TRUSTED_PROXY_HEADER: 'x-real-ip',
    NEXT_TELEMETRY_DISABLED: '1',
  };
}
