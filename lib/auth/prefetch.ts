/**
 * True for speculative requests (Next's router prefetch, browser prefetch/prerender hints).
 * Sign-in must not create a transaction cookie for those: nobody is signing in yet.
 */
export function isPrefetchRequest(headers: Headers): boolean {
  if (headers.has('next-router-prefetch')) return true;
  const purpose = `${headers.get('purpose') ?? ''} ${headers.get('sec-purpose') ?? ''} ${headers.get('x-purpose') ?? ''}`;
  return /\b(prefetch|preview|prerender)\b/i.test(purpose);
}
