/** GET /api/metrics: Prometheus text exposition of the process registry (optionally behind a bearer token). */
import { timingSafeEqual } from 'node:crypto';
import { getConfig } from '@/lib/config';
import { renderMetrics } from '@/lib/metrics';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

function tokenMatches(header: string | null, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

export async function GET(request: Request): Promise<Response> {
  const { metrics } = getConfig();
  if (!metrics.enabled) return new Response('metrics disabled\n', { status: 404 });
  if (metrics.token && !tokenMatches(request.headers.get('authorization'), metrics.token)) {
    return new Response('unauthorized\n', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
  }
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}
