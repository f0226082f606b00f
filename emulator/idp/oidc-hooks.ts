import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.ts';
import { readJson, sendJson } from '../http.ts';
import {
  accountFor,
  type EmulatedProvider,
  emulatedProvider,
  MISBEHAVIOURS,
  type Misbehaviour,
  memory,
  type ProviderSlug,
} from './oidc-store.ts';

/**
 * The emulated OIDC providers' test hooks (emulator only): `POST /_local/idp/<slug>/misbehave`
 * (`DELETE` clears it) makes the provider's next token answers faulty; `POST /_local/idp/<slug>/accounts`
 * gives (and creates) the provider's account of an email, with its stable `sub`.
 */

async function misbehave(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, slug: ProviderSlug): Promise<void> {
  if (req.method === 'DELETE') {
    memory(ctx).misbehaviour.delete(slug);
    return sendJson(res, 200, {});
  }
  const body = (await readJson(req)) as { mode?: unknown; times?: unknown } | undefined;
  const mode = body?.mode;
  const times = body?.times ?? 1;
  if (!MISBEHAVIOURS.includes(mode as Misbehaviour) || typeof times !== 'number' || times === 0) {
    return sendJson(res, 400, {
      error: 'invalid_request',
      message: `mode must be one of ${MISBEHAVIOURS.join(', ')}; times a number (-1 until cleared)`,
    });
  }
  memory(ctx).misbehaviour.set(slug, { mode: mode as Misbehaviour, times });
  sendJson(res, 200, { mode, times });
}

/** `POST /_local/idp/<slug>/accounts {"email","name"}`: the provider's account of that email (created if new). */
async function ensureAccount(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, provider: EmulatedProvider) {
  const body = (await readJson(req)) as { email?: unknown; name?: unknown } | undefined;
  if (typeof body?.email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email)) {
    return sendJson(res, 400, { error: 'invalid_request', message: 'email must be an email address' });
  }
  sendJson(res, 200, accountFor(ctx, provider, body.email, typeof body.name === 'string' ? body.name : ''));
}

/** Answers the hooks above; false for every other request. */
export async function handleOidcProviderHooks(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: EmulatorContext,
  url: URL,
): Promise<boolean> {
  const local = /^\/_local\/idp\/([a-z]+)\/(misbehave|accounts)$/.exec(url.pathname);
  const localProvider = local ? emulatedProvider(local[1] ?? '') : undefined;
  if (localProvider && local?.[2] === 'misbehave' && (req.method === 'POST' || req.method === 'DELETE')) {
    await misbehave(req, res, ctx, localProvider.slug);
    return true;
  }
  if (localProvider && local?.[2] === 'accounts' && req.method === 'POST') {
    await ensureAccount(req, res, ctx, localProvider);
    return true;
  }
  return false;
}
