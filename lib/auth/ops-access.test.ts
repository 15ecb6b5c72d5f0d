// The one policy for operations data: the ops page, its snapshot and the health details are open; metrics ask for
// METRICS_TOKEN when it is set.
import { describe, expect, it } from 'vitest';
import { authorizeOpsAccess, opsAccessDenied } from './ops-access';

const token = 'scrape-token-0123456789';
const withAuth = (value?: string) => new Headers(value === undefined ? {} : { authorization: value });

describe('authorizeOpsAccess', () => {
  it('lets anyone see the ops page, its snapshot and the health details', async () => {
    for (const area of ['ops', 'health'] as const) {
      expect(await authorizeOpsAccess(area, withAuth(), { metricsToken: token })).toEqual({ allowed: true });
    }
  });

  it('opens metrics without a token, and asks for the exact bearer token when one is set', async () => {
    expect(await authorizeOpsAccess('metrics', withAuth(), {})).toEqual({ allowed: true });
    const refused = { allowed: false, status: 401, challenge: 'Bearer' };
    for (const header of [
      undefined,
      'Bearer nope',
      `Bearer ${token}x`,
      `Bearer ${token.slice(1)}`,
      'Basic abc',
    ])
      expect(await authorizeOpsAccess('metrics', withAuth(header), { metricsToken: token }), header).toEqual(
        refused,
      );
    for (const header of [`Bearer ${token}`, `bearer ${token}`, token])
      expect(await authorizeOpsAccess('metrics', withAuth(header), { metricsToken: token }), header).toEqual({
        allowed: true,
      });
  });

  it('answers a refusal with 401, the challenge and no body worth reading', async () => {
    const res = opsAccessDenied({ allowed: false, status: 401, challenge: 'Bearer' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.text()).toBe('unauthorized\n');
  });
});
