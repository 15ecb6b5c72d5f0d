// GET /api/health/ready: 503 until migrations are applied, models loaded and the engine warm (and while draining).
// The checks' details only for whoever lib/auth lets see operations data; probes need the status alone.
import { authorizeOpsAccess } from '@/lib/auth/ops-access';
import { getReadiness } from '@/lib/health/endpoints';
import { healthResponse } from '@/lib/health/response';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request): Promise<Response> {
  const access = await authorizeOpsAccess('health', request.headers);
  return healthResponse(await getReadiness({ details: access.allowed }));
}
