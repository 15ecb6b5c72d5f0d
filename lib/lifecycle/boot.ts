/** Server boot: validate configuration once (exit on a bad value), then install shutdown and metrics listeners. */
import { ConfigError, getConfig } from '@/lib/config';
import { getLogger } from '@/lib/log';
import { registerMetricsProvider, startMetricsServer } from '@/lib/metrics';
import { installShutdownHandlers, onShutdown } from './shutdown';
import { closeRedisClients } from '@/lib/redis/client';

const KEY = Symbol.for('svgai.booted');

export async function bootServer(): Promise<void> {
  const holder = globalThis as { [KEY]?: boolean };
  if (holder[KEY]) return;
  holder[KEY] = true;
  let config;
  try {
    config = getConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      // Plain stderr: the logger's own settings may be the bad ones. The message never holds secret values.
      console.error(
        `[svgai] refusing to start. ${err.message}\nRun \`npm run config:check\` for the effective settings.`,
      );
      process.exit(1);
    }
    throw err;
  }
  const log = getLogger();
  installShutdownHandlers({
    timeoutMs: config.server.shutdownTimeoutMs,
    replaceExisting: process.env.NODE_ENV === 'production',
  });
  onShutdown('redis', closeRedisClients);
  onShutdown('cache', async () => (await import('@/lib/cache')).resetResultCache());
  // Gauges read at scrape time; imports stay lazy so a broken dependency cannot stop the boot.
  registerMetricsProvider('readiness', async () => {
    const { getReadiness } = await import('@/lib/health/endpoints');
    return (await getReadiness()).httpStatus === 200;
  });
  const { getConvertPoolStats } = await import('@/lib/worker-pool');
  registerMetricsProvider('workersBusy', () => getConvertPoolStats()?.busy ?? 0);
  registerMetricsProvider('queueDepth', () => getConvertPoolStats()?.queued ?? 0);
  // Start model loading and engine warm-up now rather than at the first probe.
  void import('@/lib/health/endpoints')
    .then((m) => m.getReadiness())
    .catch((err) => log.warn({ err }, 'warm-up could not start'));
  if (config.metrics.enabled && config.metrics.port > 0) {
    const server = await startMetricsServer(config.metrics.port, config.server.host);
    onShutdown('metrics-server', () => new Promise<void>((r) => server.close(() => r())));
    log.info({ port: config.metrics.port }, 'metrics listener started');
  }
  log.info(
    {
      environment: config.environment,
      port: config.port,
      database: config.databaseUrl.startsWith('file:') ? 'sqlite' : 'postgresql',
      cache: config.cache.type,
      workers: config.performance.workers,
    },
    'server booted',
  );
}
