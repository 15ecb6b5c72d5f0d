// The shared API wrapper: error mapping to problem+json, request ids, auth and rate-limit headers.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ConversionError } from '@/lib/errors/conversion-error';
import { createRateLimiter } from '@/lib/rate-limit';
import { corsHeaders, corsPreflight } from './cors';
import { ApiError } from './problem';
import { PEER_ADDRESS_HEADER } from '@/lib/http/client-address';
import { withApi } from './with-api';

process.env.LOG_LEVEL = 'silent';

const req = (headers: Record<string, string> = {}) =>
  new Request('http://localhost/api/v1/thing', { headers });
const unlimited = createRateLimiter({ anonymous: 0, apiKey: 0, windowSeconds: 60 });
const opts = { route: '/api/v1/thing', scope: 'convert' as const, rateLimiter: () => unlimited };

describe('withApi', () => {
  it('answers an unexpected error with 500 problem+json carrying the request id and no internals', async () => {
    const handler = withApi(opts, () => {
      throw new Error('database password is hunter2 at /srv/app/lib/secret.ts:12');
    });
    const res = await handler(req());
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const text = await res.text();
    expect(text).not.toMatch(/hunter2|secret\.ts|at \//);
    const body = JSON.parse(text);
    expect(body).toMatchObject({ status: 500, requestId: id, title: 'Internal server error' });
    expect(body.detail).toContain(id);
  });

  it('keeps a sane incoming x-request-id and replaces a hostile one', async () => {
    const handler = withApi(opts, () => new Response('ok'));
    expect((await handler(req({ 'x-request-id': 'abc-123-def' }))).headers.get('x-request-id')).toBe(
      'abc-123-def',
    );
    const hostile = (await handler(req({ 'x-request-id': '<script>alert(1)</script>' }))).headers.get(
      'x-request-id',
    );
    expect(hostile).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('maps ConversionError kinds and ApiErrors to their statuses', async () => {
    const cases: [() => never, number][] = [
      [
        () => {
          throw new ConversionError('bad_options', 'x');
        },
        400,
      ],
      [
        () => {
          throw new ConversionError('too_large', 'x');
        },
        413,
      ],
      [
        () => {
          throw new ConversionError('unsupported_type', 'x');
        },
        415,
      ],
      [
        () => {
          throw new ConversionError('undecodable', 'x');
        },
        422,
      ],
      [
        () => {
          throw new ConversionError('overloaded', 'x');
        },
        503,
      ],
      [
        () => {
          throw new ApiError(404, 'not-found', 'nope');
        },
        404,
      ],
    ];
    for (const [fn, status] of cases) {
      const res = await withApi(opts, fn)(req());
      expect(res.status).toBe(status);
      if (status === 503) expect(res.headers.get('retry-after')).toBeTruthy();
    }
  });

  it('turns zod failures from ctx.parse into a 400 listing each issue', async () => {
    const handler = withApi(opts, (_r, ctx) => {
      ctx.parse(z.object({ colors: z.number().max(64) }), { colors: 100 }, 'options');
      return new Response('unreachable');
    });
    const res = await handler(req());
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors).toEqual([{ path: 'colors', message: expect.any(String) }]);
  });

  it('requires a key when keysRequired, and rejects unknown or malformed keys with 401', async () => {
    const verifyKey = async (raw: string) =>
      raw === 'good-key-0123456789' ? { id: 'k1', userId: 'u1', scopes: ['convert'] } : null;
    const handler = withApi({ ...opts, keysRequired: true, verifyKey }, (_r, ctx) =>
      Response.json(ctx.caller),
    );
    expect((await handler(req())).status).toBe(401);
    expect((await handler(req({ authorization: 'Bearer wrong' }))).status).toBe(401);
    expect((await handler(req({ authorization: 'Basic abc' }))).status).toBe(401);
    const ok = await handler(req({ authorization: 'Bearer good-key-0123456789' }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ kind: 'apiKey', keyId: 'k1', userId: 'u1' });
    const viaHeader = await handler(req({ 'x-api-key': 'good-key-0123456789' }));
    expect(viaHeader.status).toBe(200);
  });

  it('gives API keys their own, higher limit and sets RateLimit headers', async () => {
    const limiter = createRateLimiter({ anonymous: 1, apiKey: 3, windowSeconds: 60 });
    const verifyKey = async () => ({ id: 'k2', scopes: ['convert'] });
    const handler = withApi({ ...opts, rateLimiter: () => limiter, verifyKey }, () => new Response('ok'));
    const anon = [await handler(req()), await handler(req())].map((r) => r.status);
    expect(anon).toEqual([200, 429]);
    const keyed: Response[] = [];
    for (let i = 0; i < 4; i++) keyed.push(await handler(req({ 'x-api-key': 'any' })));
    expect(keyed.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(keyed[0].headers.get('ratelimit-limit')).toBe('3');
    expect(keyed[0].headers.get('ratelimit-remaining')).toBe('2');
    expect(Number(keyed[3].headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses a key without the scope the endpoint declares (403 insufficient_scope), before the handler runs', async () => {
    let ran = 0;
    const scopes: Record<string, string[]> = {
      'history-only-key-0123': ['history:read'],
      'convert-key-012345678': ['convert'],
    };
    const handler = withApi(
      { ...opts, verifyKey: async (raw) => ({ id: raw, userId: 'u1', scopes: scopes[raw] ?? [] }) },
      () => {
        ran++;
        return new Response('converted');
      },
    );
    const refused = await handler(req({ authorization: 'Bearer history-only-key-0123' }));
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="insufficient_scope", scope="convert"',
    );
    expect(await refused.json()).toMatchObject({ status: 403, requiredScope: 'convert' });
    expect(ran).toBe(0);
    expect((await handler(req({ authorization: 'Bearer convert-key-012345678' }))).status).toBe(200);
    // Signed-in users and anonymous browsers act for themselves: no scopes to check.
    expect((await handler(req())).status).toBe(200);
  });

  it('gives each anonymous client its own bucket, whatever forwarding headers it sends', async () => {
    const limiter = createRateLimiter({ anonymous: 1, apiKey: 5, windowSeconds: 60 });
    const handler = withApi({ ...opts, rateLimiter: () => limiter }, () => new Response('ok'));
    const from = (peer: string, extra: Record<string, string> = {}) =>
      handler(req({ [PEER_ADDRESS_HEADER]: peer, ...extra }));
    expect((await from('203.0.113.1')).status).toBe(200);
    // Another client on another address is not starved by the first (they shared "ip:direct" before).
    expect((await from('203.0.113.2')).status).toBe(200);
    // The first one cannot buy a fresh bucket with a forged X-Forwarded-For or a fresh cookie.
    expect((await from('203.0.113.1', { 'x-forwarded-for': '1.2.3.4' })).status).toBe(429);
    expect((await from('203.0.113.1', { cookie: 'svgai_history=' + 'a'.repeat(43) })).status).toBe(429);
  });

  it('answers browsers from allowed origins only (CORS_ORIGINS)', () => {
    const from = (origin: string) => new Request('http://localhost/api/v1/convert', { headers: { origin } });
    expect(corsHeaders(from('https://a.example'), ['*'])['access-control-allow-origin']).toBe('*');
    expect(corsHeaders(from('https://a.example'), ['https://a.example'])['access-control-allow-origin']).toBe(
      'https://a.example',
    );
    expect(corsHeaders(from('https://evil.example'), ['https://a.example'])).toEqual({});
    expect(corsHeaders(from('https://a.example'), [])).toEqual({});
    const preflight = corsPreflight('POST')(
      new Request('http://localhost/api/v1/convert', {
        method: 'OPTIONS',
        headers: { origin: 'https://a.example' },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('allow')).toBe('POST, OPTIONS');
  });

  it('identifies a signed-in web user from the session and gives them the API-key allowance', async () => {
    const limiter = createRateLimiter({ anonymous: 1, apiKey: 2, windowSeconds: 60 });
    const handler = withApi(
      {
        ...opts,
        rateLimiter: () => limiter,
        session: async (r) => (r.headers.get('cookie') ? 'user-7' : null),
      },
      (_r, ctx) => Response.json(ctx.caller),
    );
    const res = await handler(req({ cookie: 'next-auth.session-token=x' }));
    expect(await res.json()).toEqual({ kind: 'session', id: 'user:user-7', userId: 'user-7' });
    expect(res.headers.get('ratelimit-limit')).toBe('2');
    expect(await (await handler(req())).json()).toMatchObject({ kind: 'anonymous' });
  });
});
