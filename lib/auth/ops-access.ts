/**
 * Who may see operations data: the /ops page and its /ops/snapshot feed, Prometheus metrics (/api/metrics) and
 * the details of /api/health. The policy lives in authorizeOpsAccess alone; those handlers only act on its answer.
 *
 * Today: /ops, /ops/snapshot and the health details are open (restrict them at the proxy, docs/DEPLOYMENT.md),
 * and /api/metrics asks for "Authorization: Bearer <METRICS_TOKEN>" when METRICS_TOKEN is set.
 */
import { timingSafeEqual } from 'node:crypto';
import { getConfig } from '@/lib/config';

type OpsArea = 'ops' | 'metrics' | 'health';

type OpsAccess =
  | { allowed: true }
  /** `challenge`: the WWW-Authenticate value to answer with. */
  | { allowed: false; status: 401; challenge: string };

type OpsAccessSettings = { metricsToken?: string };

/** The Authorization header holds the token (with or without "Bearer "), compared in constant time. */
function bearerMatches(header: string | null, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** Whether a request with these headers may see `area`. Async: a later policy may look up the session. */
export async function authorizeOpsAccess(
  area: OpsArea,
  headers: Headers,
  settings: OpsAccessSettings = { metricsToken: getConfig().metrics.token },
): Promise<OpsAccess> {
  if (area === 'metrics' && settings.metricsToken) {
    if (!bearerMatches(headers.get('authorization'), settings.metricsToken))
      return { allowed: false, status: 401, challenge: 'Bearer' };
  }
  return { allowed: true };
}

/** The plain-text answer to a refused request. */
export function opsAccessDenied(access: Extract<OpsAccess, { allowed: false }>): Response {
  return new Response('unauthorized\n', {
    status: access.status,
    headers: { 'www-authenticate': access.challenge },
  });
}
