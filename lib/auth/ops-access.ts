/**
 * Who may see operations data: the /ops page and its /ops/snapshot feed, Prometheus metrics (/api/metrics and
 * the METRICS_PORT listener), and the details of /api/health and /api/health/ready. The policy lives in
 * authorizeOpsAccess alone; those handlers only act on its answer.
 *
 * Allowed: "Authorization: Bearer <METRICS_TOKEN>", a signed-in account listed in ADMIN_EMAILS, or, in the
 * development environment only, a client on this machine (loopback). Everyone else: metrics answer 401, the ops
 * page is missing (404), health answers its status without details. The app enforces this itself, because the
 * Vercel deployment has no proxy in front that could.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { getConfig } from '@/lib/config';
import { clientAddress, type ClientAddressSettings } from '@/lib/http/client-address';
import { createRateLimiter, type RateLimiter } from '@/lib/rate-limit';
import { getCurrentUser } from './sessions';

type OpsArea = 'ops' | 'metrics' | 'health';

type OpsAccess =
  | { allowed: true; via: 'token' | 'admin' | 'local' }
  /** `challenge`: the WWW-Authenticate value to answer with; `retryAfterSeconds` for a 429. */
  | { allowed: false; status: 401 | 429; challenge?: string; retryAfterSeconds?: number };

export type OpsAccessSettings = {
  metricsToken?: string;
  adminEmails: readonly string[];
  environment: 'development' | 'staging' | 'production';
  address: ClientAddressSettings;
  /** The signed-in user's email for a Cookie header (default: the session, lib/auth/sessions.ts). */
  signedInEmail?: (cookieHeader: string | null) => Promise<string | null>;
  /** Throttles the snapshot, which runs history aggregates (default: 120 per minute per caller). */
  limiter?: RateLimiter;
};

const SNAPSHOT_LIMIT_PER_MINUTE = 120;

function settingsFromConfig(): OpsAccessSettings {
  const c = getConfig();
  return {
    metricsToken: c.metrics.token,
    adminEmails: c.security.adminEmails,
    environment: c.environment,
    address: { trustProxy: c.server.trustProxy, proxyHops: c.server.proxyHops, vercel: c.vercel },
  };
}

/**
 * Exactly "Bearer <token>" (the scheme is case-insensitive, RFC 9110). Both sides are hashed first, so the
 * constant-time comparison sees equal lengths and the time taken says nothing about the token's length.
 */
export function bearerMatches(header: string | null, token: string): boolean {
  const m = /^Bearer +(\S+)$/i.exec(header ?? '');
  if (!m) return false;
  const given = createHash('sha256').update(m[1]).digest();
  const want = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, want);
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^127\./.test(address);
}

const LIMITER_KEY = Symbol.for('svgai.auth.opsLimiter');

function snapshotLimiter(): RateLimiter {
  const holder = globalThis as { [LIMITER_KEY]?: RateLimiter };
  holder[LIMITER_KEY] ??= createRateLimiter({
    anonymous: SNAPSHOT_LIMIT_PER_MINUTE,
    apiKey: 0,
    windowSeconds: 60,
    prefix: 'svgai:ops',
    redisUrl: getConfig().redis.url,
  });
  return holder[LIMITER_KEY];
}

async function whoMayLook(
  headers: Headers,
  settings: OpsAccessSettings,
): Promise<{ via: 'token' | 'admin' | 'local'; id: string } | null> {
  if (settings.metricsToken && bearerMatches(headers.get('authorization'), settings.metricsToken))
    return { via: 'token', id: 'token' };
  if (settings.adminEmails.length > 0) {
    const email = await (
      settings.signedInEmail ?? (async (cookie) => (await getCurrentUser(cookie))?.email ?? null)
    )(headers.get('cookie')).catch(() => null);
    if (email && settings.adminEmails.includes(email.toLowerCase())) return { via: 'admin', id: email };
  }
  const address = clientAddress(headers, settings.address);
  if (settings.environment === 'development' && isLoopback(address)) return { via: 'local', id: address };
  return null;
}

/** Whether a request with these headers may see `area`. */
export async function authorizeOpsAccess(
  area: OpsArea,
  headers: Headers,
  settings: OpsAccessSettings = settingsFromConfig(),
): Promise<OpsAccess> {
  const who = await whoMayLook(headers, settings);
  if (!who) return { allowed: false, status: 401, challenge: 'Bearer realm="ops"' };
  if (area === 'ops') {
    const decision = await (settings.limiter ?? snapshotLimiter()).limit(`${who.via}:${who.id}`, 'anonymous');
    if (!decision.success) {
      return {
        allowed: false,
        status: 429,
        retryAfterSeconds: Math.max(1, Math.ceil((decision.reset - Date.now()) / 1000)),
      };
    }
  }
  return { allowed: true, via: who.via };
}

/** The answer to a refused request: problem+json like every API error, saying no more than "no". */
export function opsAccessDenied(access: Extract<OpsAccess, { allowed: false }>): Response {
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json',
    'cache-control': 'no-store',
  };
  if (access.challenge) headers['www-authenticate'] = access.challenge;
  if (access.retryAfterSeconds) headers['retry-after'] = String(access.retryAfterSeconds);
  const [type, title, detail] =
    access.status === 429
      ? ['rate-limited', 'Too many requests', 'Too many requests; retry later.']
      : [
          'unauthorized',
          'Unauthorized',
          'Operations data needs the metrics token or an administrator session.',
        ];
  return new Response(
    JSON.stringify({ type: `/docs/api#problem-${type}`, title, status: access.status, detail }),
    { status: access.status, headers },
  );
}
