import net from 'node:net';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { recordHttpRequest, startMetricsServer } from './index';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('separate metrics port', () => {
  it('serves the registry at /metrics and nothing else', async () => {
    const port = await freePort();
    const server = await startMetricsServer(port, '127.0.0.1');
    try {
      recordHttpRequest('/api/v1/convert', 'POST', 200, 10);
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(parsePrometheusTextFormat(await res.text()).map((f) => f.name)).toContain(
        'svgai_http_requests_total',
      );
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/convert`)).status).toBe(404);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('fails loudly when the port is taken', async () => {
    const port = await freePort();
    const first = await startMetricsServer(port, '127.0.0.1');
    try {
      await expect(startMetricsServer(port, '127.0.0.1')).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await new Promise((r) => first.close(r));
    }
  });
});
