// GET /api/health/live: the process answers (never touches dependencies).
import { getLiveness } from '@/lib/health/endpoints';
import { healthResponse } from '@/lib/health/response';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function GET(): Response {
  return healthResponse(getLiveness());
}
