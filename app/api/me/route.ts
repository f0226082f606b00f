import { verifyBearer } from '@/lib/auth/bearer';

export async function GET(request: Request) {
  const identity = await verifyBearer(request.headers.get('authorization'));
  if (!identity) {
    return Response.json(
      { error: 'invalid_token' },
      { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"', 'cache-control': 'no-store' } },
    );
  }
  return Response.json(identity, { headers: { 'cache-control': 'no-store' } });
}
