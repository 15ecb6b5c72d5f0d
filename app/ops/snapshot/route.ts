/** GET /ops/snapshot: the ops page's live data as JSON (polled every few seconds by the dashboard). */
import { collectOpsSnapshot } from '@/lib/ops/snapshot';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const snapshot = await collectOpsSnapshot();
  return Response.json(snapshot, { headers: { 'cache-control': 'no-store' } });
}
