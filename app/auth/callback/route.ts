import { cookies } from 'next/headers';
import type { NextRequest } from 'next/server';
import { completeLogin } from '@/lib/auth/callback';
import { authErrorResponse, redirectToPath } from '@/lib/auth/responses';
import { limitSignIn } from '@/lib/http/rate-limit';

export async function GET(request: NextRequest) {
  const refused = await limitSignIn(request, 'callback');
  if (refused) return refused;
  try {
    return redirectToPath(await completeLogin(await cookies(), request.nextUrl.searchParams));
  } catch (error) {
    return authErrorResponse('auth.callback_failed', error);
  }
}
