import { cookies } from 'next/headers';
import type { NextRequest } from 'next/server';
import { beginLogin } from '@/lib/auth/login';
import { isPrefetchRequest } from '@/lib/auth/prefetch';
import { authErrorResponse, redirectTo } from '@/lib/auth/responses';
import { limitSignIn } from '@/lib/http/rate-limit';

export async function GET(request: NextRequest) {
  if (isPrefetchRequest(request.headers)) return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  const refused = await limitSignIn(request, 'start');
  if (refused) return refused;
  try {
    const url = await beginLogin(await cookies(), {
      returnTo: request.nextUrl.searchParams.get('returnTo'),
      provider: request.nextUrl.searchParams.get('provider'),
      domain: request.nextUrl.searchParams.get('domain'),
      prompt: request.nextUrl.searchParams.get('prompt'),
    });
    return redirectTo(url);
  } catch (error) {
    return authErrorResponse('auth.login_failed', error);
  }
}
