import { cookies } from 'next/headers';
import type { NextRequest } from 'next/server';
import { isSameOriginRequest, signOut } from '@/lib/auth/logout';
import { authErrorResponse, redirectTo } from '@/lib/auth/responses';
import { AppError } from '@/lib/errors';

export async function POST(request: NextRequest) {
  if (!isSameOriginRequest(request.headers))
    return authErrorResponse('auth.logout_refused', new AppError('forbidden', 'cross-site sign-out'));
  try {
    return redirectTo(await signOut(await cookies()));
  } catch (error) {
    return authErrorResponse('auth.logout_failed', error);
  }
}

export function GET() {
  return new Response('Sign out with the button in Cubby (POST /auth/logout).', {
    status: 405,
    headers: { allow: 'POST', 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}
