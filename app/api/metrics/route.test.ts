import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { resetConfig } from '@/lib/config';
import { recordHttpRequest } from '@/lib/metrics';
import { PEER_ADDRESS_HEADER } from '@/lib/http/client-address';
import { GET } from './route';

/** This machine, which development lets see operations data; anyone else needs the token or an admin session. */
const fromHere = (headers: Record<string, string> = {}) =>
  new Request('http://localhost/api/metrics', {
    headers: { [PEER_ADDRESS_HEADER]: '127.0.0.1', ...headers },
  });

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetConfig();
});

describe('GET /api/metrics', () => {
  it('serves the registry in the Prometheus text format', async () => {
    recordHttpRequest('/api/v1/convert', 'POST', 200, 42);
    const res = await GET(fromHere());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const names = parsePrometheusTextFormat(await res.text()).map((f) => f.name);
    expect(names).toContain('svgai_http_requests_total');
    expect(names).toContain('process_resident_memory_bytes');
  });

  it('is closed in production without METRICS_TOKEN (it was open), even to this machine', async () => {
    process.env.ENVIRONMENT = 'production';
    process.env.APP_URL = 'https://svg.example.com';
    resetConfig();
    const res = await GET(fromHere());
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('requires the bearer token when METRICS_TOKEN is set', async () => {
    process.env.METRICS_TOKEN = 'scrape-token-0123456789';
    resetConfig();
    expect((await GET(new Request('http://localhost/api/metrics'))).status).toBe(401);
    const wrong = new Request('http://localhost/api/metrics', { headers: { authorization: 'Bearer nope' } });
    expect((await GET(wrong)).status).toBe(401);
    const right = new Request('http://localhost/api/metrics', {
      headers: { authorization: 'Bearer scrape-token-0123456789' },
    });
    expect((await GET(right)).status).toBe(200);
  });

  it('answers 404 when metrics are disabled', async () => {
    process.env.METRICS_ENABLED = 'false';
    resetConfig();
    expect((await GET(new Request('http://localhost/api/metrics'))).status).toBe(404);
  });
});
