// The one policy for operations data (/ops, its snapshot, metrics, health details): the metrics token, an admin
// session, or (development only) this machine; everyone else is refused. Tokens compare in constant time.
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '@/lib/rate-limit';
import { PEER_ADDRESS_HEADER } from '@/lib/http/client-address';
import { authorizeOpsAccess, bearerMatches, opsAccessDenied, type OpsAccessSettings } from './ops-access';

const token = 'scrape-token-0123456789';
const base: OpsAccessSettings = {
  metricsToken: token,
  adminEmails: ['ops@example.org'],
  environment: 'production',
  address: { trustProxy: false, proxyHops: 1, vercel: false },
  signedInEmail: async (cookie) =>
    cookie === 'session=admin' ? 'Ops@Example.org' : cookie ? 'user@example.org' : null,
  limiter: createRateLimiter({ anonymous: 0, apiKey: 0, windowSeconds: 60 }),
};
const headers = (h: Record<string, string> = {}) =>
  new Headers({ [PEER_ADDRESS_HEADER]: '203.0.113.5', ...h });
const refused = { allowed: false, status: 401, challenge: 'Bearer realm="ops"' };

describe('authorizeOpsAccess', () => {
  it('refuses anonymous visitors, signed-in non-admins and a local visitor in production, for every area', async () => {
    for (const area of ['ops', 'metrics', 'health'] as const) {
      expect(await authorizeOpsAccess(area, headers(), base), area).toEqual(refused);
      expect(await authorizeOpsAccess(area, headers({ cookie: 'session=user' }), base)).toEqual(refused);
      const local = new Headers({ [PEER_ADDRESS_HEADER]: '127.0.0.1' });
      expect(await authorizeOpsAccess(area, local, base)).toEqual(refused);
    }
  });

  it('keeps metrics closed when METRICS_TOKEN is unset (it was open in production)', async () => {
    const noToken = { ...base, metricsToken: undefined };
    expect(await authorizeOpsAccess('metrics', headers(), noToken)).toEqual(refused);
    expect(await authorizeOpsAccess('metrics', headers({ authorization: 'Bearer ' }), noToken)).toEqual(
      refused,
    );
  });

  it('lets in the exact bearer token, an admin session, and in development this machine', async () => {
    for (const area of ['ops', 'metrics', 'health'] as const) {
      expect(await authorizeOpsAccess(area, headers({ authorization: `Bearer ${token}` }), base)).toEqual({
        allowed: true,
        via: 'token',
      });
      expect(await authorizeOpsAccess(area, headers({ cookie: 'session=admin' }), base)).toEqual({
        allowed: true,
        via: 'admin',
      });
      const local = new Headers({ [PEER_ADDRESS_HEADER]: '::1' });
      expect(await authorizeOpsAccess(area, local, { ...base, environment: 'development' })).toEqual({
        allowed: true,
        via: 'local',
      });
    }
  });

  it('throttles the ops snapshot per caller', async () => {
    const limited = { ...base, limiter: createRateLimiter({ anonymous: 2, apiKey: 0, windowSeconds: 60 }) };
    const h = headers({ authorization: `Bearer ${token}` });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await authorizeOpsAccess('ops', h, limited));
    expect(answers.map((a) => a.allowed)).toEqual([true, true, false]);
    expect(answers[2]).toMatchObject({ status: 429, retryAfterSeconds: expect.any(Number) });
    // Metrics scrapes are not counted against it.
    expect((await authorizeOpsAccess('metrics', h, limited)).allowed).toBe(true);
  });

  it('answers a refusal with a 401 problem and the challenge, saying nothing about what is there', async () => {
    const res = opsAccessDenied({ allowed: false, status: 401, challenge: 'Bearer' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
  });
});

describe('bearerMatches', () => {
  it('accepts exactly "Bearer <token>" (any case of the scheme), nothing shorter, longer or bare', () => {
    for (const good of [`Bearer ${token}`, `bearer ${token}`, `BEARER  ${token}`])
      expect(bearerMatches(good, token)).toBe(true);
    for (const bad of [
      null,
      '',
      token, // a bare token was accepted before
      `Bearer ${token}x`,
      `Bearer ${token.slice(1)}`,
      `Bearer ${token} extra`,
      `Basic ${token}`,
      `Bearer\t${token}`,
    ])
      expect(bearerMatches(bad, token), String(bad)).toBe(false);
  });
});
