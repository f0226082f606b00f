import { verifyBearer } from '@/lib/auth/bearer';
import { limitApiAddress, limitApiSubject } from '@/lib/http/rate-limit';

export async function GET(request: Request) {
  const refusedAddress = await limitApiAddress(request);
  if (refusedAddress) return refusedAddress;
  const identity = await verifyBearer(request.headers.get('authorization'));
  if (!identity) {
    return Response.json(
      { error: 'invalid_token' },
      { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"', 'cache-control': 'no-store' } },
    );
  }
  const refusedSubject = await limitApiSubject(identity.sub);
  if (refusedSubject) return refusedSubject;
  return Response.json(identity, { headers: { 'cache-control': 'no-store' } });
}
