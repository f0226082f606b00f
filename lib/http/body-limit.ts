/**
 * The largest request body Cubby accepts, declared once: next.config.mjs gives it to Next as the
 * server actions' `bodySizeLimit`, and lib/http/proxy.ts answers 413 above it before Next reads the
 * body (Next's own check throws, which answers 500 with an error log and a stack). File bytes
 * never pass through the app (browsers upload to S3 with presigned URLs), so 1 MiB is plenty for
 * an action's arguments. Pure: safe anywhere, including next.config.mjs.
 */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/**
 * True when a `Content-Length` header value declares more than `limit` bytes. A missing or
 * malformed value is not "too large" here (the caller counts the bytes of such a body instead).
 */
export function declaresTooLargeBody(contentLength: string | null, limit: number = MAX_REQUEST_BODY_BYTES): boolean {
  if (contentLength === null || !/^\d+$/.test(contentLength.trim())) return false;
  return Number(contentLength.trim()) > limit;
}

/**
 * Reads `body` only until more than `limit` bytes have been seen, then stops reading it. True when
 * the body is larger than `limit`. For bodies sent without `Content-Length` (chunked).
 */
export async function exceedsLimit(body: ReadableStream<Uint8Array>, limit: number = MAX_REQUEST_BODY_BYTES): Promise<boolean> {
  const reader = body.getReader();
  let seen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      seen += value.byteLength;
      if (seen > limit) return true;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
