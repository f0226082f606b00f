import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { managedLoginDomainOf } from '../lib/local-defaults.ts';
import { handleCognito } from './cognito/index.ts';
import { type EmulatorConfig, type EmulatorOptions, issuerOf, legacyDataDir, loadConfig } from './config.ts';
import { createContext, type EmulatorContext } from './context.ts';
import { handleIdentity } from './identity/index.ts';
import { handleOidcProviders } from './idp/oidc-provider.ts';
import { handleSamlProvider } from './idp/saml-provider.ts';
import { handleLocal } from './local.ts';
import { handleS3 } from './s3/index.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, url: URL) => Promise<boolean>;

/**
 * Tried in order; each answers only the requests that are its own. The emulated identity providers
 * come first (they own `/_idp/<slug>/…` and their `/_local/idp/…` switches); S3 comes last: it owns
 * every other path.
 */
const HANDLERS: Handler[] = [handleOidcProviders, handleSamlProvider, handleLocal, handleIdentity, handleCognito, handleS3];

export interface RunningEmulator {
  config: EmulatorConfig;
  ctx: EmulatorContext;
  /** The emulator's origin, e.g. http://127.0.0.1:9229 (the real port when 0 was asked for). */
  url: string;
  close(): Promise<void>;
}

async function dispatch(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext): Promise<void> {
  const url = new URL(req.url ?? '/', ctx.config.origin);
  try {
    for (const handler of HANDLERS) {
      if (await handler(req, res, ctx, url)) return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found');
  } catch (error) {
    // A client that gave up mid-request (a timeout test, a cancelled upload) is not an emulator fault.
    if (req.destroyed || (error instanceof Error && error.message === 'aborted')) {
      res.destroy();
      return;
    }
    console.error('[emulator] unhandled error', req.method, url.pathname, error);
    if (!res.headersSent) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Internal error');
    } else {
      res.destroy();
    }
  }
}

/** Starts the emulator on 127.0.0.1. Port 0 picks a free port (tests). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const requested = loadConfig(options);
  if (requested.dataDir && !options.dataDir && !process.env.EMULATOR_DATA) pointAtLegacyState(requested.dataDir);
  const temporaryBlobs = requested.dataDir === null;
  const blobDir = temporaryBlobs
    ? fs.mkdtempSync(path.join(os.tmpdir(), 'cubby-emulator-'))
    : path.join(requested.dataDir ?? '', 'objects');
  if (requested.reset && !temporaryBlobs) fs.rmSync(blobDir, { recursive: true, force: true });
  fs.mkdirSync(blobDir, { recursive: true });

  const server = http.createServer({ keepAliveTimeout: 5000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requested.port, requested.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${requested.host}:${port}`;
  const config: EmulatorConfig = { ...requested, port, origin, domain: managedLoginDomainOf(origin) };
  const ctx = createContext(config, blobDir);
  server.on('request', (req, res) => {
    void dispatch(req, res, ctx);
  });

  return {
    config,
    ctx,
    url: config.origin,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      ctx.state.flush();
      if (temporaryBlobs) fs.rmSync(blobDir, { recursive: true, force: true });
    },
  };
}

/**
 * Says how to keep the state an older Cubby kept in `.data/emulator/` (inside the tree, where
 * `next dev` watches it) when the default folder outside the tree is still empty. Moves nothing itself.
 */
function pointAtLegacyState(dataDir: string): void {
  const legacy = legacyDataDir();
  if (!fs.existsSync(legacy) || fs.existsSync(dataDir)) return;
  console.log(
    `Cubby emulator: state from an older Cubby is in ${legacy}; state now lives outside the project.\n` +
      `  To keep those accounts and files, stop and run: mkdir -p "${path.dirname(dataDir)}" && mv "${legacy}" "${dataDir}"`,
  );
}

async function main(): Promise<void> {
  const reset = process.argv.includes('--reset');
  const emulator = await startEmulator({ reset });
  const { config } = emulator;
  console.log(
    [
      `Cubby emulator listening on ${emulator.url}`,
      `  issuer            ${issuerOf(config)}`,
      `  managed login     ${config.domain}/login (via /oauth2/authorize)`,
      `  identity pool     ${emulator.url}/ (${config.identityPoolId})`,
      `  s3 (path-style)   ${emulator.url}/${config.bucket}`,
      `  mailbox           ${emulator.url}/_local/mailbox`,
      `  app origin        ${config.appUrl}`,
      `  state             ${config.dataDir ?? 'in memory'}${reset ? ' (reset)' : ''}`,
    ].join('\n'),
  );
  const stop = (signal: string) => {
    console.log(`Cubby emulator: ${signal}, stopping`);
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    console.error('Cubby emulator failed to start:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
