/** GET /api/metrics: Prometheus text exposition of the process registry (access decided by lib/auth). */
import { authorizeOpsAccess, opsAccessDenied } from '@/lib/auth/ops-access';
import { createProblem, problemResponse } from '@/lib/api/problem';
import { getConfig } from '@/lib/config';
import { renderMetrics } from '@/lib/metrics';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  if (!getConfig().metrics.enabled)
    return problemResponse(createProblem(404, 'not-found', 'Metrics are disabled (METRICS_ENABLED=false).'));
  const access = await authorizeOpsAccess('metrics', request.headers);
  if (!access.allowed) return opsAccessDenied(access);
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}
