/**
 * The one wrapper every API route handler goes through: request id, caller identification (API key, session
 * or anonymous), the scope the endpoint needs, rate limiting, zod validation helpers, error mapping to RFC 9457
 * problem+json, and the logging/metrics hook. Route files stay a few lines:
 * `export const POST = withApi({ route, scope: 'convert' }, handler)`.
 */
import type { z } from 'zod';
import type { ApiKeyScope } from '@/lib/auth/api-keys';
import {
  resolveCaller,
  verifyConfiguredKey,
  type Caller,
  type KeyVerifier,
  type SessionResolver,
} from '@/lib/auth/caller';
import { UnauthorizedError } from '@/lib/auth/errors';
import { sessionUserOf } from '@/lib/auth/sessions';
import { getConfig } from '@/lib/config';
import { isConversionError } from '@/lib/errors/conversion-error';
import { resolveRequestId } from '@/lib/log';
import { beginInFlight } from '@/lib/metrics';
import { getRateLimiter, type RateLimiter } from '@/lib/rate-limit';
import { corsHeaders } from './cors';
import { observeRequest, type RequestEvent } from './observe';
import { ApiError, CONVERSION_PROBLEM_TYPES, createProblem, problemResponse } from './problem';
import { formatIssues } from './schemas';

export type ApiContext = {
  requestId: string;
  caller: Caller;
  /**
   * Handlers attach conversion facts here so the request log line carries them. A handler whose response keeps
   * working after it returns (a streamed body) sets `until`: the request counts as in flight, and is logged,
   * until it settles.
   */
  observe: { conversion?: RequestEvent['conversion']; until?: Promise<unknown> };
  /** Validates `value` against `schema`; failures become a 400 problem listing every issue. */
  parse<S extends z.ZodType>(schema: S, value: unknown, what?: string): z.output<S>;
};

type ApiHandler<P> = (request: Request, ctx: ApiContext, params: P) => Promise<Response> | Response;

export type ApiOptions = {
  /** Route template used in logs and metrics labels, e.g. "/api/v1/convert". */
  route: string;
  /**
   * What the endpoint needs. An API key must carry this scope (else 403 insufficient_scope); signed-in users
   * and anonymous browsers act on their own behalf and are not scoped. 'public': documents anyone may read
   * (OpenAPI) even when API keys are required; no caller is identified.
   */
  scope: ApiKeyScope | 'public';
  /** Count this endpoint against the caller's rate limit (default true). */
  rateLimited?: boolean;
  /** Injection points for tests and for other deployments; default to the process-wide services. */
  rateLimiter?: () => RateLimiter;
  verifyKey?: KeyVerifier;
  /** Identifies signed-in web users from the request's cookies (default: lib/auth's sessionUserOf). */
  session?: SessionResolver;
  keysRequired?: boolean;
};

export function withApi<P = Record<string, never>>(options: ApiOptions, handler: ApiHandler<P>) {
  return async function apiRoute(
    request: Request,
    routeContext?: { params?: Promise<P> },
  ): Promise<Response> {
    const started = performance.now();
    const requestId = resolveRequestId(request.headers.get('x-request-id'));
    // Counted as in flight so graceful shutdown waits for it.
    const done = beginInFlight();
    const observed: ApiContext['observe'] = {};
    let response: Response;
    let failure: unknown;
    let extraHeaders: Record<string, string> = {};
    try {
      const config = getConfig();
      const caller: Caller =
        options.scope === 'public'
          ? { kind: 'anonymous', id: 'public', ip: 'public' }
          : await identifyCaller(request, {
              keysRequired: options.keysRequired ?? config.api.keysRequired,
              address: {
                trustProxy: config.server.trustProxy,
                proxyHops: config.server.proxyHops,
                vercel: config.vercel,
              },
              verify: options.verifyKey ?? verifyConfiguredKey,
              session: options.session ?? sessionUserOf,
            });
      if (options.scope !== 'public') requireScope(caller, options.scope);
      if (options.rateLimited !== false) {
        extraHeaders = await enforceRateLimit((options.rateLimiter ?? getRateLimiter)(), caller);
      }
      const ctx: ApiContext = { requestId, caller, observe: observed, parse: parseWith };
      const params = ((await routeContext?.params) ?? {}) as P;
      response = await handler(request, ctx, params);
    } catch (error) {
      failure =
        request.signal.aborted && !(error instanceof ApiError)
          ? new ApiError(499, 'client-closed', 'The client closed the request before it was answered.')
          : error;
      response = errorResponse(failure, requestId, request);
    } finally {
      if (!observed.until) done();
    }
    response.headers.set('x-request-id', requestId);
    for (const [k, v] of Object.entries(extraHeaders))
      if (!response.headers.has(k)) response.headers.set(k, v);
    try {
      for (const [k, v] of Object.entries(corsHeaders(request))) response.headers.set(k, v);
    } catch {
      // No CORS headers when the configuration itself is unreadable; the error answer above already says why.
    }
    const status = response.status;
    const observe = () =>
      observeRequest({
        requestId,
        route: options.route,
        method: request.method,
        status,
        durationMs: performance.now() - started,
        // A handler may answer an error itself (e.g. next-auth's 401): only a thrown one has a problem kind.
        errorKind: status >= 400 && failure !== undefined ? problemKind(failure) : undefined,
        error: status === 500 ? failure : undefined,
        userAgent: request.headers.get('user-agent') ?? undefined,
        conversion: observed.conversion,
      });
    if (observed.until) {
      void observed.until
        .catch(() => undefined)
        .finally(() => {
          done();
          observe();
        });
    } else observe();
    return response;
  };
}

/** lib/auth decides who the caller is; a refusal becomes the 401 problem, with its challenge when it has one. */
async function identifyCaller(
  request: Request,
  options: Parameters<typeof resolveCaller>[1],
): Promise<Caller> {
  try {
    return await resolveCaller(request, options);
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    throw new ApiError(401, 'unauthorized', error.message, {
      ...(error.challenge ? { headers: { 'www-authenticate': error.challenge } } : {}),
    });
  }
}

/** A key used beyond its scopes is refused before it costs anything (RFC 6750's insufficient_scope). */
function requireScope(caller: Caller, scope: ApiKeyScope): void {
  if (caller.kind !== 'apiKey' || caller.scopes.includes(scope)) return;
  throw new ApiError(403, 'forbidden', `This API key lacks the "${scope}" scope this endpoint needs.`, {
    headers: { 'www-authenticate': `Bearer realm="api", error="insufficient_scope", scope="${scope}"` },
    extensions: { requiredScope: scope },
  });
}

function problemKind(error: unknown): string {
  if (error instanceof ApiError) return error.problemType;
  if (isConversionError(error)) return CONVERSION_PROBLEM_TYPES[error.kind];
  return 'internal';
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown, what = 'request'): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = formatIssues(result.error);
    const first = issues[0];
    const at = first.path === '(root)' ? '' : `${first.path}: `;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new ApiError(400, 'bad-request', `Invalid ${what}: ${at}${first.message}${more}.`, {
      extensions: { errors: issues },
    });
  }
  return result.data;
}

async function enforceRateLimit(limiter: RateLimiter, caller: Caller): Promise<Record<string, string>> {
  // Signed-in users get the same allowance as API keys.
  const decision = await limiter.limit(caller.id, caller.kind === 'anonymous' ? 'anonymous' : 'apiKey');
  if (decision.limit === 0) return {};
  const resetSeconds = Math.max(1, Math.ceil((decision.reset - Date.now()) / 1000));
  const headers = {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(resetSeconds),
  };
  if (!decision.success) {
    throw new ApiError(
      429,
      'rate-limited',
      `Rate limit of ${decision.limit} requests exceeded; retry later.`,
      {
        headers: { ...headers, 'retry-after': String(resetSeconds) },
      },
    );
  }
  return headers;
}

/** The problem+json answer for `error` (handlers that stream write it into their stream instead). */
export function errorResponse(error: unknown, requestId: string, request: Request): Response {
  const instance = new URL(request.url).pathname;
  if (error instanceof ApiError) {
    return problemResponse(
      createProblem(error.status, error.problemType, error.message, {
        instance,
        requestId,
        ...error.extensions,
      }),
      error.headers,
    );
  }
  if (isConversionError(error)) {
    const headers: Record<string, string> = error.kind === 'overloaded' ? { 'retry-after': '2' } : {};
    const detail = error.kind === 'internal' ? 'The conversion failed unexpectedly.' : error.message;
    return problemResponse(
      createProblem(error.status, CONVERSION_PROBLEM_TYPES[error.kind], detail, { instance, requestId }),
      headers,
    );
  }
  // Unknown errors: the client gets the request id to quote, never the message or stack.
  return problemResponse(
    createProblem(
      500,
      'internal',
      `Something went wrong on our side. Quote request id ${requestId} when reporting it.`,
      {
        instance,
        requestId,
      },
    ),
  );
}
