/**
 * /api/auth/*: next-auth's endpoints (CSRF, sign-in, session, sign-out) behind our own checks. Sign-in is
 * throttled before a password is hashed (lib/auth/sign-in-guard.ts), callback URLs must stay on our origin, and
 * next-auth is driven from the plain Request, so this runs (and is tested) without Next's request scope.
 */
import NextAuth from 'next-auth';
import { canonicalUrl } from '@/lib/auth/canonical-url';
import { getAuthOptions, SIGN_IN_PATH } from '@/lib/auth/options';
import { hashingIsSaturated } from '@/lib/auth/password';
import { sessionCookieName } from '@/lib/auth/sessions';
import { getSignInGuard, type SignInGuard } from '@/lib/auth/sign-in-guard';
import { usesSecureCookies } from '@/lib/auth/canonical-url';
import { getConfig } from '@/lib/config';
import { clientAddress } from '@/lib/http/client-address';
import { getLogger } from '@/lib/log';
import { ApiError, createProblem } from './problem';
import { readBodyCapped } from './read-body';
import type { ApiContext } from './with-api';

/**
 * The next-auth actions this app uses, per method (credentials is the only provider). Anything else is a 404
 * problem here rather than whatever next-auth answers (a text 400, a JSON 400).
 */
const ACTIONS: Record<string, readonly string[]> = {
  GET: ['providers', 'session', 'csrf', 'signin', 'signout', 'error'],
  POST: ['signin', 'signout', 'callback', 'session', '_log'],
};
const PROVIDER_ACTIONS = new Set(['signin', 'callback']);

/** Sign-in and sign-out forms are a few hundred bytes; nothing next-auth takes comes near this. */
const MAX_AUTH_BODY_BYTES = 16 * 1024;
const CALLBACK_COOKIE = /(^|__Secure-)next-auth\.callback-url$/;

type Fields = Record<string, string>;

/** The pages-router response next-auth's API handler writes to, collected into a fetch Response. */
class CollectedResponse {
  statusCode = 200;
  readonly headers = new Headers();
  private cookies: string[] = [];
  body: string | null = null;

  status(code: number) {
    this.statusCode = code;
    return this;
  }
  getHeader(name: string) {
    // A copy: next-auth appends to what it gets, then sets the result back.
    return name.toLowerCase() === 'set-cookie' ? [...this.cookies] : (this.headers.get(name) ?? undefined);
  }
  setHeader(name: string, value: string | string[]) {
    if (name.toLowerCase() === 'set-cookie') this.cookies = Array.isArray(value) ? [...value] : [value];
    else this.headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
    return this;
  }
  end() {}
  json(value: unknown) {
    this.headers.set('content-type', 'application/json');
    this.body = JSON.stringify(value);
  }
  send(value: unknown) {
    if (typeof value === 'string' || value === undefined || value === null) this.body = value ?? null;
    else this.json(value);
  }
  setsCookie(name: string): boolean {
    return this.cookies.some((c) => c.startsWith(`${name}=`) && !/^[^=]+=;/.test(c));
  }
  toResponse(): Response {
    const headers = new Headers(this.headers);
    for (const c of this.cookies) headers.append('set-cookie', c);
    headers.set('cache-control', 'no-store');
    if (this.statusCode < 400) return new Response(this.body, { status: this.statusCode, headers });
    // Errors are problem+json like every /api error; next-auth's own members (its client reads `url`) stay.
    let members: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(this.body ?? '');
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        members = parsed as Record<string, unknown>;
    } catch {
      // A text body: its first line becomes the detail below.
    }
    const status = this.statusCode;
    const type =
      status === 401
        ? 'unauthorized'
        : status === 404
          ? 'not-found'
          : status >= 500
            ? 'internal'
            : 'bad-request';
    const detail =
      status === 401
        ? 'Wrong email or password.'
        : typeof members.message === 'string'
          ? members.message
          : (this.body ?? '').split('\n')[0].slice(0, 200) || undefined;
    headers.set('content-type', 'application/problem+json');
    return new Response(JSON.stringify({ ...members, ...createProblem(status, type, detail) }), {
      status,
      headers,
    });
  }
}

function parseCookies(header: string | null): Fields {
  const out: Fields = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      out[name] = part.slice(eq + 1).trim();
    }
  }
  return out;
}

async function readFields(request: Request): Promise<Fields | undefined> {
  if (request.method !== 'POST') return undefined;
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  const raw = (await readBodyCapped(request, MAX_AUTH_BODY_BYTES)).toString('utf8');
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  if (type.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new ApiError(400, 'bad-request', 'The request body is not valid JSON.');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new ApiError(400, 'bad-request', 'The request body must be a JSON object.');
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  }
  return {};
}

/** A callback URL is a path on this site or an absolute URL on the canonical origin; nothing else is followed. */
function isOwnUrl(value: string, base: string): boolean {
  if (value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\'))
    return !/[\u0000-\u001f\u007f]/.test(value);
  try {
    return new URL(value).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

/** Problem+json that next-auth's browser client also understands: it reads `url` and its `error` parameter. */
function refusal(status: 429 | 503, detail: string, retryAfterSeconds: number, base: string): Response {
  const url = `${base}${SIGN_IN_PATH}?error=${encodeURIComponent(detail)}`;
  return new Response(
    JSON.stringify({ ...createProblem(status, status === 429 ? 'rate-limited' : 'overloaded', detail), url }),
    {
      status,
      headers: {
        'content-type': 'application/problem+json',
        'cache-control': 'no-store',
        'retry-after': String(retryAfterSeconds),
      },
    },
  );
}

export function createAuthHandler(options: { guard?: () => SignInGuard } = {}) {
  return async function handleAuth(
    request: Request,
    ctx: ApiContext,
    params: { nextauth?: string[] },
  ): Promise<Response> {
    const base = canonicalUrl();
    const config = getConfig();
    const segments = params.nextauth ?? [];
    const [action, provider, ...extra] = segments;
    const known =
      (ACTIONS[request.method] ?? []).includes(action ?? '') &&
      extra.length === 0 &&
      (provider === undefined
        ? action !== 'callback'
        : PROVIDER_ACTIONS.has(action) && provider === 'credentials');
    if (!known)
      throw new ApiError(
        404,
        'not-found',
        `There is no sign-in endpoint at /api/auth/${segments.join('/').slice(0, 100)}.`,
      );
    const query = Object.fromEntries(new URL(request.url).searchParams);
    const body = await readFields(request);
    const cookies = parseCookies(request.headers.get('cookie'));

    for (const [where, value] of [
      ['query', query.callbackUrl],
      ['body', body?.callbackUrl],
    ] as const) {
      if (value !== undefined && !isOwnUrl(value, base)) {
        // Logged as a field: the structured logger escapes it, so a newline in it cannot forge a line.
        getLogger().warn(
          { requestId: ctx.requestId, where, callbackUrl: value.slice(0, 300) },
          'refused callback URL',
        );
        throw new ApiError(400, 'bad-request', 'callbackUrl must be a path on this site.', {
          extensions: { errors: [{ path: 'callbackUrl', message: 'Not a URL on this site' }] },
        });
      }
    }
    // A callback cookie next-auth would refuse (with a 500) is dropped instead: it only ever comes from the client.
    for (const name of Object.keys(cookies))
      if (CALLBACK_COOKIE.test(name) && !isOwnUrl(cookies[name], base)) delete cookies[name];

    const signingIn =
      request.method === 'POST' && segments[0] === 'callback' && segments[1] === 'credentials';
    const guard = (options.guard ?? getSignInGuard)();
    const email = String(body?.email ?? '').slice(0, 254);
    const address = clientAddress(request.headers, {
      trustProxy: config.server.trustProxy,
      proxyHops: config.server.proxyHops,
      vercel: config.vercel,
    });
    if (signingIn) {
      const refused = await guard.admit(email, address);
      if (refused) {
        return refusal(
          429,
          'Too many sign-in attempts: wait a little, then try again.',
          refused.retryAfterSeconds,
          base,
        );
      }
      if (hashingIsSaturated()) {
        return refusal(503, 'Too many sign-ins are being checked right now: try again in a moment.', 2, base);
      }
    }

    const res = new CollectedResponse();
    const { nextauth: _segments, ...rest } = { ...query, nextauth: segments };
    void _segments;
    await (NextAuth as unknown as (req: unknown, res: unknown, options: unknown) => Promise<void>)(
      {
        method: request.method,
        headers: Object.fromEntries(request.headers),
        cookies,
        body: body ?? {},
        query: { ...rest, nextauth: segments },
      },
      res,
      getAuthOptions(),
    );

    if (signingIn) {
      const succeeded = res.statusCode === 200 && res.setsCookie(sessionCookieName(usesSecureCookies()));
      // Only a refused password is a failure; a missing CSRF token or a malformed form is not a guess.
      if (succeeded || res.statusCode === 401) await guard.settle(email, address, succeeded);
    }
    return res.toResponse();
  };
}
