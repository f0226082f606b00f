import type { IncomingMessage, ServerResponse } from 'node:http';
import { bucketCorsRules } from '../../lib/aws/policies.ts';
import type { EmulatorContext } from '../context.ts';
import { authenticate } from './auth.ts';
import { newRequestIds, type S3Call, send, sendError } from './call.ts';
import { type CorsRule, parseRequestHeaders, preflightHeaders, responseCorsHeaders } from './cors.ts';
import { S3Error, s3Errors } from './errors.ts';
import { headerValue, parseQuery, parseTarget } from './request.ts';
import { route } from './router.ts';

/** Unread request bodies up to this size are drained before an error answer, keeping the connection usable. */
const DRAIN_LIMIT = 8 * 1024 * 1024;

/** CORS preflight: 200 with the matching rule's headers, 403 AccessForbidden when no rule allows it. */
function preflight(call: S3Call, rules: CorsRule[]): void {
  const origin = headerValue(call.req.headers, 'origin');
  const method = headerValue(call.req.headers, 'access-control-request-method');
  if (!origin) throw new S3Error('BadRequest', 400, 'Insufficient information. Origin request header needed.');
  if (!method) throw new S3Error('BadRequest', 400, 'Invalid Access-Control-Request-Method: null');
  const requested = parseRequestHeaders(headerValue(call.req.headers, 'access-control-request-headers'));
  const headers = preflightHeaders(rules, origin, method, requested);
  if (!headers) {
    throw new S3Error(
      'AccessForbidden',
      403,
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      [
        ['Method', method],
        ['ResourceType', call.target.key === '' ? 'BUCKET' : 'OBJECT'],
      ],
    );
  }
  call.cors = headers;
  send(call, 200);
}

/** Reads and discards a small unread body so an early error answer does not reset the connection. */
async function drain(req: IncomingMessage): Promise<void> {
  if (req.complete || req.destroyed || !(Number(req.headers['content-length']) <= DRAIN_LIMIT)) return;
  await new Promise<void>((resolve) => {
    req.once('end', resolve);
    req.once('close', resolve);
    req.once('error', () => resolve());
    req.resume();
  });
}

/**
 * Path-style S3 for the emulator's single bucket (`/{bucket}/{key}`). S3 is tried last, so it
 * answers every request that reaches it (always returns true): CORS preflights, SigV4
 * authentication, IAM authorization, then the operation; failures as S3 XML errors.
 */
export async function handleS3(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext, _url: URL): Promise<boolean> {
  const rawUrl = req.url ?? '/';
  const call: S3Call = {
    req,
    res,
    ctx,
    method: (req.method ?? 'GET').toUpperCase(),
    target: { bucket: '', key: '', canonicalPath: '/' },
    query: [],
    ...newRequestIds(),
    cors: {},
  };
  try {
    if (await ctx.faults.apply('s3', res)) return true;
    call.target = parseTarget(rawUrl);
    call.query = parseQuery(rawUrl);
    const { bucket } = call.target;
    if (bucket !== '' && bucket !== ctx.config.bucket) throw s3Errors.noSuchBucket(bucket);
    const rules = bucketCorsRules([ctx.config.appUrl]);
    if (call.method === 'OPTIONS') {
      preflight(call, rules);
      return true;
    }
    call.cors = responseCorsHeaders(rules, headerValue(req.headers, 'origin'), call.method);
    await route(call, await authenticate(call));
  } catch (caught) {
    if (!(caught instanceof S3Error)) console.error('[emulator] s3 error', call.method, call.target.key, caught);
    const error =
      caught instanceof S3Error
        ? caught
        : new S3Error('InternalError', 500, 'We encountered an internal error. Please try again.');
    if (res.headersSent) {
      res.destroy();
      return true;
    }
    await drain(req);
    sendError(call, error);
  }
  return true;
}
