// GET /api/health: every registered dependency check; 503 when a critical one is down.
import { getHealth } from '@/lib/health/endpoints';
import { healthResponse } from '@/lib/health/response';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(): Promise<Response> {
  return healthResponse(await getHealth());
}
