/**
 * The composition root: server start-up wiring, called once by instrumentation.ts. It is the only module that
 * imports all the others (nothing in lib/ imports it), so every module below it imports downwards only.
 *
 * Order: validate the configuration (exit 1 on a bad value), take over SIGTERM, register what closes at
 * shutdown, register the health checks, start the warm-up (worker threads, ONNX models), feed the metrics
 * gauges, and start the optional metrics listener.
 */
import { bearerMatches } from '@/lib/auth/ops-access';
import { ConfigError, getConfig } from '@/lib/config';
import { registerHealthCheck } from '@/lib/health/registry';
import { startWarmup } from '@/lib/health/warmup';
import { installShutdownHandlers, onShutdown } from '@/lib/lifecycle';
import { getLogger } from '@/lib/log';
import { registerMetricsProvider, startMetricsServer } from '@/lib/metrics';
import { installPeerAddressStamp } from '@/lib/http/client-address';
import { closeRedisClients, getRedis } from '@/lib/redis/client';

// Loaded on first use: a module that fails to load (a native addon, the database client, a model runtime) then
// shows up as a failing health check or a logged warning instead of stopping the boot.
const workerPool = () => import('@/lib/worker-pool');
const aiModels = () => import('@/lib/ai/models');
const defaultChecks = () => import('@/lib/health/default-checks');
const healthEndpoints = () => import('@/lib/health/endpoints');
const resultCache = () => import('@/lib/cache');
const batches = () => import('@/lib/batch');

/** The default health checks, reading the engine from the worker pool and the models from lib/ai. */
export async function registerServerChecks(): Promise<void> {
  const { registerDefaultChecks } = await defaultChecks();
  registerDefaultChecks({
    engineStats: async () => (await workerPool()).getConvertPoolStats(),
    modelStatus: async () => (await aiModels()).getModelStatus(),
  });
}

/** Starts the worker threads and loads the models once, so readiness turns green before the first conversion. */
export function startServerWarmup(): void {
  startWarmup({
    engine: async () => {
      (await workerPool()).getConvertPool();
    },
    models: async () => (await aiModels()).loadAiModels(),
  });
}

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
  // Before the first request: rate limits and sign-in throttling key on the address this stamps.
  installPeerAddressStamp();
  installShutdownHandlers({
    timeoutMs: config.server.shutdownTimeoutMs,
    replaceExisting: config.env === 'production',
  });
  // Hooks close in reverse order: whatever registers later (database, rate limiter) closes before Redis.
  onShutdown('redis', closeRedisClients);
  onShutdown('cache', async () => (await resultCache()).resetResultCache());
  // Registered before the first request, so readiness never answers from an empty registry.
  try {
    await registerServerChecks();
  } catch (err) {
    log.error({ err }, 'health checks could not be registered');
    const detail = `health checks could not be registered: ${err instanceof Error ? err.message : String(err)}`;
    registerHealthCheck({ name: 'checks', readiness: true, run: () => ({ status: 'down', detail }) });
  }
  // Start model loading and engine warm-up now rather than at the first probe; the first readiness run also
  // opens the database and checks its migrations.
  startServerWarmup();
  void healthEndpoints()
    .then((m) => m.getReadiness())
    .catch((err) => log.warn({ err }, 'warm-up could not start'));
  // Gauges read at scrape time.
  registerMetricsProvider('readiness', async () => {
    const { getReadiness } = await healthEndpoints();
    return (await getReadiness()).httpStatus === 200;
  });
  const { getConvertPoolStats } = await workerPool();
  registerMetricsProvider('workersBusy', () => getConvertPoolStats()?.busy ?? 0);
  registerMetricsProvider('queueDepth', () => getConvertPoolStats()?.queued ?? 0);
  // Batches: the queue feeds the metrics; without Redis this process also converts them (the embedded queue),
  // resuming whatever a previous run left unfinished. With BullMQ, `npm run worker` processes do.
  void batches()
    .then((m) => (config.batch.queue === 'embedded' ? m.startBatchWorker() : m.getBatchQueue()))
    .catch((err) => log.warn({ err }, 'batch queue could not start'));
  const redisUrl = config.redis.url;
  if (redisUrl) {
    registerMetricsProvider('dependencies', () => {
      const h = getRedis(redisUrl).health();
      // Not connected yet because nothing needed it is not an outage.
      return { redis: h.breaker === 'closed' && (h.ready || h.status === 'wait') };
    });
  }
  if (config.metrics.enabled && config.metrics.port > 0) {
    const token = config.metrics.token;
    // The separate port answers only the token (config refuses METRICS_PORT without one outside development).
    const server = await startMetricsServer(config.metrics.port, config.server.host, {
      ...(token ? { authorize: (authorization) => bearerMatches(authorization, token) } : {}),
    });
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
