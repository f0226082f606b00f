import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import {
  LOCAL_APP_URL,
  LOCAL_BUCKET,
  LOCAL_CLIENT_ID,
  LOCAL_CLIENT_SECRET,
  LOCAL_EMULATOR_PORT,
  LOCAL_IDENTITY_POOL_ID,
  LOCAL_REGION,
  LOCAL_USER_POOL_ID,
  managedLoginDomainOf,
} from '../lib/local-defaults.ts';

/** The emulator's fixed account and role names (the ARNs only need to be well-formed). */
export const ACCOUNT_ID = '000000000000';
export const ROLE_ARNS = {
  authenticated: `arn:aws:iam::${ACCOUNT_ID}:role/cubby-local-authenticated`,
  unauthenticated: `arn:aws:iam::${ACCOUNT_ID}:role/cubby-local-unauthenticated`,
  admins: `arn:aws:iam::${ACCOUNT_ID}:role/cubby-local-admins`,
} as const;

export interface EmulatorConfig {
  host: string;
  port: number;
  /** `http://127.0.0.1:<port>`; the issuer and the AWS endpoints live here. */
  origin: string;
  /**
   * The managed-login domain, `http://localhost:<port>` (same server): the OAuth endpoints and the
   * sign-in pages as discovery names them, and the passkeys' relying party (`localhost`).
   */
  domain: string;
  region: string;
  userPoolId: string;
  clientId: string;
  clientSecret: string;
  identityPoolId: string;
  bucket: string;
  /** The app's origin: callback `${appUrl}/auth/callback`, sign-out URL `${appUrl}/`, bucket CORS. */
  appUrl: string;
  /** null keeps all state in memory (objects in a temporary folder removed on close). */
  dataDir: string | null;
  /** Start empty, discarding what `dataDir` held. */
  reset: boolean;
}

export interface EmulatorOptions {
  port?: number;
  appUrl?: string;
  dataDir?: string | null;
  reset?: boolean;
}

/** Builds the configuration from explicit options, then EMULATOR_PORT / EMULATOR_DATA / APP_URL. */
export function loadConfig(options: EmulatorOptions = {}, environment: NodeJS.ProcessEnv = process.env): EmulatorConfig {
  const port = options.port ?? (environment.EMULATOR_PORT ? Number(environment.EMULATOR_PORT) : LOCAL_EMULATOR_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`EMULATOR_PORT must be a port number`);
  const data = environment.EMULATOR_DATA;
  const dataDir =
    options.dataDir !== undefined
      ? options.dataDir
      : data === 'memory'
        ? null
        : path.resolve(data || defaultDataDir(environment));
  const appUrl = new URL(options.appUrl ?? (environment.APP_URL || LOCAL_APP_URL)).origin;
  const host = '127.0.0.1';
  return {
    host,
    port,
    origin: `http://${host}:${port}`,
    domain: managedLoginDomainOf(`http://${host}:${port}`),
    region: LOCAL_REGION,
    userPoolId: LOCAL_USER_POOL_ID,
    clientId: LOCAL_CLIENT_ID,
    clientSecret: LOCAL_CLIENT_SECRET,
    identityPoolId: LOCAL_IDENTITY_POOL_ID,
    bucket: LOCAL_BUCKET,
    appUrl,
    dataDir,
    reset: options.reset ?? false,
  };
}

/**
 * Where the emulator keeps its state when EMULATOR_DATA is unset: outside the project, in the
 * user's state folder (`$XDG_STATE_HOME`, else `~/.local/state`; `%LOCALAPPDATA%` on Windows), one
 * folder per checkout. Never inside the tree: `next dev` watches it, and state written there while
 * /files was open made the dev server recompile and reload the page in a loop.
 */
export function defaultDataDir(environment: NodeJS.ProcessEnv = process.env, checkout: string = process.cwd()): string {
  const base =
    environment.XDG_STATE_HOME ||
    (process.platform === 'win32'
      ? environment.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local')
      : path.join(os.homedir(), '.local', 'state'));
  const root = path.resolve(checkout);
  const id = createHash('sha256').update(root).digest('hex').slice(0, 10);
  return path.join(base, 'cubby', `emulator-${path.basename(root)}-${id}`);
}

/** Where state lived before it moved out of the tree; moved once to the new default if found. */
export function legacyDataDir(checkout: string = process.cwd()): string {
  return path.join(path.resolve(checkout), '.data', 'emulator');
}

/** Issuer = origin + pool id, as `https://cognito-idp.<region>.amazonaws.com/<pool>` is on AWS. */
export function issuerOf(config: EmulatorConfig): string {
  return `${config.origin}/${config.userPoolId}`;
}

/** The Identity Pool's Logins key: the issuer without its scheme, exactly as on AWS. */
export function loginsKeyOf(config: EmulatorConfig): string {
  return issuerOf(config).replace(/^https?:\/\//, '');
}
