/** GET /ops/snapshot: the ops page's live data as JSON (polled every few seconds by the dashboard). */
import { authorizeOpsAccess, opsAccessDenied } from '@/lib/auth/ops-access';
import { collectOpsSnapshot } from '@/lib/ops/snapshot';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const access = await authorizeOpsAccess('ops', request.headers);
  if (!access.allowed) return opsAccessDenied(access);
  const snapshot = await collectOpsSnapshot();
  return Response.json(snapshot, { headers: { 'cache-control': 'no-store' } });
}
