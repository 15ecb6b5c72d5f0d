/**
 * The API's answers for requests no handler takes: 405 with an Allow header for a method a route does not
 * implement, and 404 for a path under /api that does not exist. Both are problem+json like every other error
 * (Next.js alone answers an empty 405 and an HTML 404).
 */
import { ApiError } from './problem';
import { withApi } from './with-api';

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type HttpMethod = (typeof HTTP_METHODS)[number];
type RouteHandler = (request: Request, context?: { params?: Promise<unknown> }) => Promise<Response>;

/** What the Allow header lists for a route implementing `methods` (HEAD comes with GET, OPTIONS with CORS). */
export function allowHeader(methods: readonly HttpMethod[]): string {
  return [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
}

/**
 * Handlers for every method except `allowed`, each answering 405; a route file exports them beside its own:
 * `export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods('/api/v1/convert', ['POST'])`.
 */
export function refuseOtherMethods(
  route: string,
  allowed: readonly HttpMethod[],
): Record<HttpMethod, RouteHandler> {
  const allow = allowHeader(allowed);
  const refuse = withApi({ route, scope: 'public', rateLimited: false }, (request) => {
    throw new ApiError(405, 'method-not-allowed', `${request.method} is not allowed here; use ${allow}.`, {
      headers: { allow },
    });
  });
  return Object.fromEntries(HTTP_METHODS.map((m) => [m, refuse])) as Record<HttpMethod, RouteHandler>;
}

/** Every method of the catch-all route under /api: the path does not exist. */
export function unknownApiPath(): Record<HttpMethod | 'OPTIONS' | 'HEAD', RouteHandler> {
  const notFound = withApi({ route: '/api/*', scope: 'public', rateLimited: false }, (request) => {
    throw new ApiError(
      404,
      'not-found',
      `There is no API endpoint at ${new URL(request.url).pathname.slice(0, 200)}; see /docs/api.`,
    );
  });
  return Object.fromEntries([...HTTP_METHODS, 'OPTIONS', 'HEAD'].map((m) => [m, notFound])) as Record<
    HttpMethod | 'OPTIONS' | 'HEAD',
    RouteHandler
  >;
}
