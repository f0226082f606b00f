import { healthReport } from '@/lib/health';

export function GET() {
  return Response.json(healthReport(), { headers: { 'cache-control': 'no-store' } });
}
