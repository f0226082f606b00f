import { randomBytes } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.ts';
import type { S3Error } from './errors.ts';
import type { QueryPair, S3Target } from './request.ts';
import { xmlDocument } from './xml.ts';

/** One S3 request being served: what was asked, and the ids and CORS headers its answer carries. */
export interface S3Call {
  req: IncomingMessage;
  res: ServerResponse;
  ctx: EmulatorContext;
  method: string;
  target: S3Target;
  query: QueryPair[];
  /** `x-amz-request-id` (16 upper-case hex) and `x-amz-id-2`, also echoed in error XML. */
  requestId: string;
  hostId: string;
  /** CORS headers for this request's Origin (empty when none or not allowed). */
  cors: Record<string, string>;
}

export function newRequestIds(): { requestId: string; hostId: string } {
  return { requestId: randomBytes(8).toString('hex').toUpperCase(), hostId: randomBytes(48).toString('base64') };
}

/** Headers every S3 response carries; `Date` follows the emulator's clock so SDK skew correction sees it. */
export function commonHeaders(call: S3Call): OutgoingHttpHeaders {
  return {
    'x-amz-request-id': call.requestId,
    'x-amz-id-2': call.hostId,
    date: call.ctx.clock.date().toUTCString(),
    server: 'AmazonS3',
    ...call.cors,
  };
}

/** Sends a complete response (status, headers, optional body) with the common S3 headers. */
export function send(call: S3Call, status: number, headers: OutgoingHttpHeaders = {}, body?: string): void {
  const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
  call.res.writeHead(status, {
    ...commonHeaders(call),
    ...headers,
    'content-length': String(payload?.length ?? 0),
  });
  call.res.end(payload);
}

/** Sends an XML document (`Content-Type: application/xml`). */
export function sendXml(call: S3Call, status: number, xml: string, headers: OutgoingHttpHeaders = {}): void {
  send(call, status, { 'content-type': 'application/xml', ...headers }, xml);
}

/**
 * Answers with S3's error document (§7.3): Code, Message, details, RequestId, HostId. HEAD
 * responses carry the status and headers only. A connection whose request body was not read
 * to the end is closed after the answer, as S3 does.
 */
export function sendError(call: S3Call, error: S3Error): void {
  const headers: OutgoingHttpHeaders = { ...error.headers };
  if (!call.req.complete) headers.connection = 'close';
  if (call.method === 'HEAD') {
    send(call, error.status, headers);
    return;
  }
  sendXml(call, error.status, errorDocument(call, error), headers);
}

/** S3's error document (§7.3) for `error`: Code, Message, details, RequestId, HostId. */
export function errorDocument(call: S3Call, error: S3Error): string {
  return xmlDocument(
    'Error',
    [['Code', error.code], ['Message', error.message], ...error.details, ['RequestId', call.requestId], ['HostId', call.hostId]],
    false,
  );
}
