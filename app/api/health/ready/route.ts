// GET /api/health/ready: 503 until migrations are applied, models loaded and the engine warm (and while draining).
import { getReadiness } from '@/lib/health/endpoints';
import { healthResponse } from '@/lib/health/response';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(): Promise<Response> {
  return healthResponse(await getReadiness());
}
