/** Optional metrics listener on its own port (METRICS_PORT), so Prometheus can scrape without going through the proxy. */
import http from 'node:http';
import { renderMetrics } from './registry';

type MetricsServerOptions = {
  path?: string;
  /**
   * Whether a scrape with this Authorization header may read the metrics (the composition root passes
   * lib/auth's METRICS_TOKEN check). Refused scrapes get 401. Omitted: open (development only, see config).
   */
  authorize?: (authorization: string | null) => boolean;
};

export function startMetricsServer(
  port: number,
  host = '0.0.0.0',
  options: MetricsServerOptions = {},
): Promise<http.Server> {
  const path = options.path ?? '/metrics';
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (options.authorize && !options.authorize(req.headers.authorization ?? null)) {
      res
        .writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' })
        .end('unauthorized\n');
      return;
    }
    renderMetrics().then(
      ({ body, contentType }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
