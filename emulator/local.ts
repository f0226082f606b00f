import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { issuerOf } from './config.ts';
import { DEFAULT_SETTINGS, type EmulatorContext, type PoolSettings } from './context.ts';
import { FAULT_TARGETS, type FaultTarget } from './faults.ts';
import { escapeHtml, readJson, sendHtml, sendJson } from './http.ts';

/** The values `GET /_local/config` returns; the app's development defaults are exactly these. */
export function localConfig(ctx: EmulatorContext) {
  const { config } = ctx;
  return {
    region: config.region,
    userPoolId: config.userPoolId,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    issuer: issuerOf(config),
    domain: config.domain,
    identityPoolId: config.identityPoolId,
    cognitoIdpEndpoint: config.origin,
    cognitoIdentityEndpoint: config.origin,
    s3Endpoint: config.origin,
    bucket: config.bucket,
    appUrl: config.appUrl,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function badRequest(res: ServerResponse, message: string): void {
  sendJson(res, 400, { error: 'invalid_request', message });
}

async function updateSettings(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext): Promise<void> {
  const body = await readJson(req);
  if (!isRecord(body)) return badRequest(res, 'body must be a JSON object');
  const next: PoolSettings = { ...ctx.settings };
  for (const [name, value] of Object.entries(body)) {
    if (!(name in DEFAULT_SETTINGS)) return badRequest(res, `unknown setting ${name}`);
    const key = name as keyof PoolSettings;
    if (typeof DEFAULT_SETTINGS[key] !== typeof value)
      return badRequest(res, `${name} must be a ${typeof DEFAULT_SETTINGS[key]}`);
    if (typeof value === 'number' && (!Number.isFinite(value) || value < 0)) return badRequest(res, `${name} must be >= 0`);
    (next as unknown as Record<string, unknown>)[key] = value;
  }
  if (next.retryGracePeriodSeconds > 60) return badRequest(res, 'retryGracePeriodSeconds must be 0-60');
  ctx.settings = next;
  sendJson(res, 200, ctx.settings);
}

async function addFault(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext): Promise<void> {
  const body = await readJson(req);
  if (!isRecord(body)) return badRequest(res, 'body must be a JSON object');
  const { target, status = 503, delayMs = 0, times = 1, method } = body;
  if (!FAULT_TARGETS.includes(target as FaultTarget)) return badRequest(res, `target must be one of ${FAULT_TARGETS.join(', ')}`);
  if (typeof status !== 'number' || typeof delayMs !== 'number' || typeof times !== 'number' || times === 0) {
    return badRequest(res, 'status, delayMs and times must be numbers (times -1 for always)');
  }
  if (method !== undefined && (typeof method !== 'string' || !/^[A-Za-z]{3,10}$/.test(method))) {
    return badRequest(res, 'method must be an HTTP method such as HEAD or PUT');
  }
  ctx.faults.add({ target: target as FaultTarget, status, delayMs, times, ...(method ? { method: method.toUpperCase() } : {}) });
  sendJson(res, 200, { faults: ctx.faults.list() });
}

function mailboxPage(ctx: EmulatorContext, to: string | null): string {
  const rows = ctx
    .mailbox(to ?? undefined)
    .slice()
    .reverse()
    .map(
      (message) =>
        `<tr><td>${escapeHtml(message.sentAt)}</td><td>${escapeHtml(message.to)}</td><td>${escapeHtml(message.subject)}</td>` +
        `<td><strong>${escapeHtml(message.code ?? '')}</strong></td><td>${escapeHtml(message.text)}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Emulator mailbox</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1c1d22}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.5rem;text-align:left;vertical-align:top}strong{font-size:1.2rem;letter-spacing:.1em}</style></head>
<body><h1>Mailbox</h1><p>Messages the local user pool "sent"${to ? ` to ${escapeHtml(to)}` : ''}, newest first.</p>
<table><thead><tr><th>Sent</th><th>To</th><th>Subject</th><th>Code</th><th>Text</th></tr></thead><tbody>${rows || '<tr><td colspan="5">No messages yet.</td></tr>'}</tbody></table></body></html>`;
}

/** Test and developer hooks under `/_local/`; never part of any AWS surface. */
export async function handleLocal(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, url: URL): Promise<boolean> {
  if (!url.pathname.startsWith('/_local/')) return false;
  const route = `${req.method} ${url.pathname}`;
  switch (route) {
    case 'GET /_local/config':
      sendJson(res, 200, localConfig(ctx));
      return true;
    case 'GET /_local/clock':
      sendJson(res, 200, { offsetSeconds: ctx.clock.offsetSeconds, now: ctx.clock.date().toISOString() });
      return true;
    case 'POST /_local/clock': {
      const body = await readJson(req);
      if (!isRecord(body) || typeof body.offsetSeconds !== 'number') {
        badRequest(res, 'body must be {"offsetSeconds": <number>}');
        return true;
      }
      ctx.clock.offsetSeconds = body.offsetSeconds;
      sendJson(res, 200, { offsetSeconds: ctx.clock.offsetSeconds, now: ctx.clock.date().toISOString() });
      return true;
    }
    case 'GET /_local/faults':
      sendJson(res, 200, { faults: ctx.faults.list() });
      return true;
    case 'POST /_local/faults':
      await addFault(req, res, ctx);
      return true;
    case 'DELETE /_local/faults':
      ctx.faults.clear();
      sendJson(res, 200, { faults: [] });
      return true;
    case 'GET /_local/stats':
      sendJson(res, 200, ctx.stats);
      return true;
    case 'DELETE /_local/stats':
      ctx.stats = {};
      sendJson(res, 200, ctx.stats);
      return true;
    case 'GET /_local/settings':
      sendJson(res, 200, ctx.settings);
      return true;
    case 'POST /_local/settings':
      await updateSettings(req, res, ctx);
      return true;
    case 'POST /_local/reset':
      ctx.state.clear();
      ctx.faults.clear();
      ctx.clock.offsetSeconds = 0;
      ctx.settings = { ...DEFAULT_SETTINGS };
      ctx.stats = {};
      fs.rmSync(ctx.blobDir, { recursive: true, force: true });
      fs.mkdirSync(ctx.blobDir, { recursive: true });
      sendJson(res, 200, { reset: true });
      return true;
    case 'GET /_local/mailbox': {
      const to = url.searchParams.get('to');
      if ((req.headers.accept ?? '').includes('text/html')) sendHtml(res, 200, mailboxPage(ctx, to));
      else sendJson(res, 200, { messages: ctx.mailbox(to ?? undefined) });
      return true;
    }
    default:
      sendJson(res, 404, { error: 'not_found', message: `no local hook ${route}` });
      return true;
  }
}
