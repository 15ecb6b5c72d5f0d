/** The Prometheus registry and every metric of the service, created once per process (survives hot reload). */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { getConfig } from '@/lib/config';
import { getRecentWindow } from './recent-window';

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const SSIM_BUCKETS = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.925, 0.95, 0.975, 0.99, 1];

/** Sources of gauges owned by other modules (worker pool, health); read when Prometheus scrapes. */
type Providers = {
  queueDepth?: () => number;
  workersBusy?: () => number;
  readiness?: () => Promise<boolean> | boolean;
  /** Cumulative hit/miss counts kept by the cache itself; exported as counters at scrape time. */
  cacheStats?: () => { type: string; hits: number; misses: number };
  /** Optional dependencies (Redis) and whether each is usable now (connected, breaker closed). */
  dependencies?: () => Record<string, boolean>;
  /** The batch queue's waiting jobs and the age of the oldest (lib/batch), read from its store at scrape time. */
  batchQueue?: () => Promise<{ waiting: number; oldestAgeSeconds: number }>;
};

function createMetrics() {
  const registry = new Registry();
  const providers: Providers = {};
  /** Plain counter for graceful shutdown, which must read in-flight work synchronously. */
  const state = { inFlight: 0, cacheSeen: { hits: 0, misses: 0 } };

  /** Counters only go up: add what the cache counted since the last scrape (a reset cache restarts from 0). */
  function syncCache(counter: Counter<'cache'>, key: 'hits' | 'misses') {
    const stats = providers.cacheStats?.();
    if (!stats) return;
    const seen = state.cacheSeen[key];
    const delta = stats[key] >= seen ? stats[key] - seen : stats[key];
    if (delta > 0) counter.inc({ cache: stats.type }, delta);
    state.cacheSeen[key] = stats[key];
  }
  /** One read of the batch queue per scrape, shared by its two gauges; null when it cannot be read. */
  let batchRead: { at: number; value: Promise<{ waiting: number; oldestAgeSeconds: number } | null> } | null =
    null;
  function batchCounts() {
    if (!providers.batchQueue) return Promise.resolve(null);
    if (!batchRead || Date.now() - batchRead.at > 500) {
      batchRead = { at: Date.now(), value: providers.batchQueue().catch(() => null) };
    }
    return batchRead.value;
  }
  collectDefaultMetrics({ register: registry });
  const m = {
    registry,
    providers,
    state,
    httpRequests: new Counter({
      name: 'svgai_http_requests_total',
      help: 'HTTP requests by route template, method and status code.',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'svgai_http_request_duration_seconds',
      help: 'HTTP request duration by route template, method and status code.',
      labelNames: ['route', 'method', 'status'] as const,
      buckets: SECONDS_BUCKETS,
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'svgai_http_requests_in_flight',
      help: 'Requests being handled right now.',
      registers: [registry],
      collect() {
        this.set(state.inFlight);
      },
    }),
    conversions: new Counter({
      name: 'svgai_conversions_total',
      help: 'Completed conversions by image type and routing tier.',
      labelNames: ['type', 'tier'] as const,
      registers: [registry],
    }),
    conversionQuality: new Histogram({
      name: 'svgai_conversion_quality_ssim',
      help: 'RGB-SSIM of converted SVGs against their source, by image type.',
      labelNames: ['type'] as const,
      buckets: SSIM_BUCKETS,
      registers: [registry],
    }),
    conversionDuration: new Histogram({
      name: 'svgai_conversion_duration_seconds',
      help: 'Conversion time (engine + routing) by image type and tier.',
      labelNames: ['type', 'tier'] as const,
      buckets: SECONDS_BUCKETS,
      registers: [registry],
    }),
    cacheHits: new Counter({
      name: 'svgai_cache_hits_total',
      help: 'Conversion cache hits by cache backend.',
      labelNames: ['cache'] as const,
      registers: [registry],
      collect() {
        syncCache(this, 'hits');
      },
    }),
    cacheMisses: new Counter({
      name: 'svgai_cache_misses_total',
      help: 'Conversion cache misses by cache backend.',
      labelNames: ['cache'] as const,
      registers: [registry],
      collect() {
        syncCache(this, 'misses');
      },
    }),
    inference: new Histogram({
      name: 'svgai_model_inference_duration_seconds',
      help: 'ONNX model inference time by model.',
      labelNames: ['model'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'svgai_errors_total',
      help: 'Errors by kind (bad_options, too_large, unsupported_type, undecodable, overloaded, internal, ...).',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    rateLimitFallbacks: new Counter({
      name: 'svgai_rate_limit_fallback_total',
      help: 'Rate-limit decisions counted per process because the shared store (Redis, Upstash) was unreachable.',
      registers: [registry],
    }),
    shedRequests: new Counter({
      name: 'svgai_requests_shed_total',
      help: 'Uploads refused with 503 before their body was read (queue full, upload memory budget spent).',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    dependencyUp: new Gauge({
      name: 'svgai_dependency_up',
      help: '1 when an optional dependency (Redis) is usable, 0 while degraded (its breaker open or disconnected).',
      labelNames: ['dependency'] as const,
      registers: [registry],
      collect() {
        for (const [name, up] of Object.entries(providers.dependencies?.() ?? {}))
          this.set({ dependency: name }, up ? 1 : 0);
      },
    }),
    queueDepth: new Gauge({
      name: 'svgai_queue_depth',
      help: 'Conversions waiting for a worker thread.',
      registers: [registry],
      collect() {
        if (providers.queueDepth) this.set(providers.queueDepth());
      },
    }),
    workersBusy: new Gauge({
      name: 'svgai_workers_busy',
      help: 'Worker threads running a conversion.',
      registers: [registry],
      collect() {
        if (providers.workersBusy) this.set(providers.workersBusy());
      },
    }),
    ready: new Gauge({
      name: 'svgai_ready',
      help: '1 when the readiness checks pass (database, migrations, models, required dependencies), else 0.',
      registers: [registry],
      async collect() {
        if (!providers.readiness) return;
        try {
          this.set((await providers.readiness()) ? 1 : 0);
        } catch {
          this.set(0);
        }
      },
    }),
    batchQueueDepth: new Gauge({
      name: 'svgai_batch_queue_depth',
      help: 'Batch jobs waiting for a worker (queued or waiting to retry).',
      registers: [registry],
      async collect() {
        const counts = await batchCounts();
        if (counts) this.set(counts.waiting);
      },
    }),
    batchOldestAge: new Gauge({
      name: 'svgai_batch_oldest_job_age_seconds',
      help: 'Age of the oldest waiting batch job in seconds (0 when none waits).',
      registers: [registry],
      async collect() {
        const counts = await batchCounts();
        if (counts) this.set(counts.oldestAgeSeconds);
      },
    }),
    batchJobs: new Counter({
      name: 'svgai_batch_jobs_total',
      help: 'Batch jobs this process finished, by outcome (done, failed, cancelled).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    buildInfo: new Gauge({
      name: 'svgai_build_info',
      help: 'Always 1; labels carry the running version and environment.',
      labelNames: ['version', 'environment', 'node'] as const,
      registers: [registry],
    }),
  };
  m.buildInfo
    .labels(
      process.env.npm_package_version ?? process.env.APP_VERSION ?? 'dev',
      environmentLabel(),
      process.version,
    )
    .set(1);
  return m;
}

/** ENVIRONMENT as validated by lib/config; a configuration that does not validate never serves, so any label does. */
function environmentLabel(): string {
  try {
    return getConfig().environment;
  } catch {
    return 'development';
  }
}

export type Metrics = ReturnType<typeof createMetrics>;

const KEY = Symbol.for('svgai.metrics');

/** One registry per process: a second `new Counter` with the same name would throw after a hot reload. */
export function getMetrics(): Metrics {
  const holder = globalThis as { [KEY]?: Metrics };
  holder[KEY] ??= createMetrics();
  return holder[KEY];
}

/** Let the worker pool and health registry feed gauges that are read at scrape time. */
export function registerMetricsProvider<K extends keyof Providers>(
  name: K,
  provider: NonNullable<Providers[K]>,
): void {
  getMetrics().providers[name] = provider;
}

export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const { registry } = getMetrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}

export { getRecentWindow };
