// GET /api/health: every registered dependency check; 503 when a critical one is down. The checks' details are
// shown to whoever lib/auth lets see operations data; everyone else gets the overall status.
import { authorizeOpsAccess } from '@/lib/auth/ops-access';
import { getHealth } from '@/lib/health/endpoints';
import { healthResponse } from '@/lib/health/response';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request): Promise<Response> {
  const access = await authorizeOpsAccess('health', request.headers);
  return healthResponse(await getHealth({ details: access.allowed }));
}
