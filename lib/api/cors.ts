/** CORS for the REST API: which browser origins may call it (CORS_ORIGINS), and the preflight answer. */
import { getConfig } from '@/lib/config';

const EXPOSE =
  'x-request-id, ratelimit-limit, ratelimit-remaining, ratelimit-reset, retry-after, x-conversion-id, x-ssim';
const ALLOW_HEADERS = 'authorization, x-api-key, content-type, accept, x-request-id';

/** Headers for an actual request; empty when the origin is not allowed (the browser then blocks the read). */
export function corsHeaders(
  request: Request,
  origins: string[] = getConfig().http.corsOrigins,
): Record<string, string> {
  const origin = request.headers.get('origin');
  if (!origin) return {};
  if (origins.includes('*'))
    return { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSE };
  if (origins.includes(origin)) {
    return { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSE, vary: 'Origin' };
  }
  return {};
}

/** OPTIONS handler for API routes. */
export function corsPreflight(methods: string) {
  return function OPTIONS(request: Request): Response {
    const allowed = corsHeaders(request);
    const headers: Record<string, string> = { allow: `${methods}, OPTIONS` };
    if (allowed['access-control-allow-origin']) {
      Object.assign(headers, allowed, {
        'access-control-allow-methods': `${methods}, OPTIONS`,
        'access-control-allow-headers': ALLOW_HEADERS,
        'access-control-max-age': '600',
      });
    }
    return new Response(null, { status: 204, headers });
  };
}
