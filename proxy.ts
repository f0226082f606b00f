import type { NextRequest } from 'next/server';
import { handleProxy } from '@/lib/http/proxy';

/** Thin by design: every decision lives in lib/http/proxy.ts. Not an authorization boundary (see lib/dal.ts). */
export function proxy(request: NextRequest) {
  return handleProxy(request);
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)'],
};
