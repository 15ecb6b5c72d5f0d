/**
 * A batch worker process (`npm run worker`): the composition root of a process that only converts batch items,
 * from BullMQ (REDIS_URL) or the embedded queue's rows, `WORKER_CONCURRENCY` at a time on its own worker-thread
 * pool. SIGTERM: stop taking jobs, let the running ones finish within SHUTDOWN_TIMEOUT_MS (past it they are
 * handed back: BullMQ gives a job whose lock lapses to another worker), close everything, exit 0.
 */
import { bearerMatches } from '@/lib/auth/ops-access';
import { ConfigError, getConfig } from '@/lib/config';
import { onShutdown, shutdownGracefully } from '@/lib/lifecycle';
import { getLogger } from '@/lib/log';
import { registerMetricsProvider, startMetricsServer } from '@/lib/metrics';
import { closeRedisClients } from '@/lib/redis/client';
import { getConvertPool, getConvertPoolStats } from '@/lib/worker-pool';
import { startBatchWorker } from './index';

export async function runBatchWorkerProcess(): Promise<void> {
  let config;
  try {
    config = getConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`[worker] refusing to start. ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const log = getLogger().child({ role: 'batch-worker' });
  onShutdown('redis', closeRedisClients);
  // the pool first: its threads start (and load the engine) before the first job arrives
  getConvertPool();
  registerMetricsProvider('workersBusy', () => getConvertPoolStats()?.busy ?? 0);
  registerMetricsProvider('queueDepth', () => getConvertPoolStats()?.queued ?? 0);
  const queue = startBatchWorker();
  if (config.metrics.enabled && config.metrics.port > 0) {
    const token = config.metrics.token;
    const server = await startMetricsServer(config.metrics.port, config.server.host, {
      ...(token ? { authorize: (authorization) => bearerMatches(authorization, token) } : {}),
    });
    onShutdown('metrics-server', () => new Promise<void>((r) => server.close(() => r())));
  }
  // The queue's timers and the pool's threads do not hold the event loop open: this process lives for them.
  const keepAlive = setInterval(() => undefined, 60_000);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(keepAlive);
    log.info({ signal }, 'worker: no new jobs; finishing the running ones');
    const deadline = new Promise<'timeout'>((r) =>
      setTimeout(() => r('timeout'), config.server.shutdownTimeoutMs).unref(),
    );
    void Promise.race([queue.close().then(() => 'closed' as const), deadline])
      .then((how) => {
        if (how === 'timeout') log.warn('worker: running jobs did not finish in time; they are handed back');
      })
      .catch((err) => log.error({ err }, 'worker: queue close failed'))
      .finally(() => void shutdownGracefully(signal, { timeoutMs: 1_000 }));
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stop(signal));
  log.info(
    { queue: queue.kind, concurrency: config.batch.concurrency, threads: config.performance.workers },
    'worker started',
  );
}
