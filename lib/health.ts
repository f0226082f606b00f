import { APP_VERSION } from '@/lib/version';

/** The body of `GET /api/health`: liveness only, nothing secret, no upstream calls. */
export function healthReport(): { status: 'ok'; version: string } {
  return { status: 'ok', version: APP_VERSION };
}
