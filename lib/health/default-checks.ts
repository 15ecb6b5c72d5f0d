/**
 * The checks every instance runs: database (reachable, migrations applied), AI models, conversion engine,
 * cache, process and system resources, plus disk, event-loop lag and Redis (system-checks.ts). The engine and
 * the models are passed in by the composition root (lib/boot.ts), so lib/health imports nothing above it.
 * Other modules add theirs with registerHealthCheck(); a name registered twice keeps the latest.
 */
import os from 'node:os';
import { getConfig } from '@/lib/config';
import { getDbHandle, type DbHandle } from '@/lib/db/client';
import { getPendingMigrations } from '@/lib/db/migration-status';
import { getRecentWindow } from '@/lib/metrics/recent-window';
import { registerHealthCheck, type CheckResult, type HealthCheck } from './registry';
import {
  checkDiskSpace,
  checkEventLoopLag,
  checkMemory,
  checkRedis,
  startEventLoopMonitor,
} from './system-checks';
import { getWarmupErrors } from './warmup';

/** The worker pool's live figures, null before the pool exists (lib/worker-pool's PoolStats fits). */
type EngineStats = { threads: number; busy: number; queued: number; maxQueue: number };
/** The ONNX models' load state (lib/ai/models' ModelStatus fits). */
type ModelsStatus = { loaded: boolean; error?: string; models: Record<string, { error?: string }> };

/** Where the engine and models checks read from; each may be async (the root imports those modules lazily). */
type CheckSources = {
  engineStats: () => EngineStats | null | Promise<EngineStats | null>;
  modelStatus: () => ModelsStatus | Promise<ModelsStatus>;
};

const MB = 1024 * 1024;

/** Database: one round trip, then pending migrations (remembered once clear: migrations never un-apply). */
function createDatabaseCheck(getHandle: () => DbHandle = getDbHandle): HealthCheck {
  const migrated = new Set<string>();
  return {
    name: 'database',
    readiness: true,
    async run(): Promise<CheckResult> {
      const handle = getHandle();
      const started = performance.now();
      await handle.db.$queryRawUnsafe('SELECT 1');
      const pingMs = Math.round((performance.now() - started) * 100) / 100;
      if (!migrated.has(handle.url)) {
        const pending = await getPendingMigrations(handle);
        if (pending.length > 0) {
          return {
            status: 'down',
            detail: `${pending.length} migration(s) pending: run \`npm run db:migrate\``,
            data: { provider: handle.provider, pending },
          };
        }
        migrated.add(handle.url);
      }
      return {
        status: 'ok',
        detail: `${handle.provider} reachable, migrations applied`,
        data: { provider: handle.provider, pingMs },
      };
    },
  };
}

function checkProcess(): CheckResult {
  const m = checkMemory();
  return {
    status: m.status,
    detail: `up ${Math.round(process.uptime())} s, ${m.detail}`,
    data: { pid: process.pid, node: process.version, uptimeSeconds: Math.round(process.uptime()), ...m.data },
  };
}

function checkSystem(): CheckResult {
  const free = os.freemem();
  const total = os.totalmem();
  const [load1, load5, load15] = os.loadavg();
  const cpus = os.availableParallelism();
  const freeRatio = total ? free / total : 0;
  return {
    // Low free memory slows everyone but is no reason to take the instance out of rotation.
    status: freeRatio < 0.05 ? 'degraded' : 'ok',
    detail: `${Math.round(free / MB)} MB free of ${Math.round(total / MB)} MB, load ${load1.toFixed(2)} on ${cpus} CPUs`,
    data: { freeMemoryBytes: free, totalMemoryBytes: total, loadAverage: [load1, load5, load15], cpus },
  };
}

/** AI models: ok once loaded, degraded while loading (warm-up starts them), down when a file failed to load. */
export async function checkModels(modelStatus: CheckSources['modelStatus']): Promise<CheckResult> {
  const s = await modelStatus();
  const data = { models: s.models };
  if (s.loaded) return { status: 'ok', detail: `${Object.keys(s.models).length} model(s) loaded`, data };
  const loadError = getWarmupErrors().models;
  const anyError = loadError || Object.values(s.models).some((m) => m.error);
  return anyError
    ? { status: 'down', detail: s.error ?? loadError ?? 'a model failed to load', data }
    : { status: 'degraded', detail: s.error ?? 'models loading', data };
}

/** Conversion engine: the worker pool has its threads up; a full queue is degraded (the API answers 503 then). */
export async function checkEngine(engineStats: CheckSources['engineStats']): Promise<CheckResult> {
  const stats = await engineStats();
  const startError = getWarmupErrors().engine;
  if (!stats && startError) return { status: 'down', detail: `worker pool failed to start: ${startError}` };
  if (!stats) return { status: 'degraded', detail: 'worker pool not started yet' };
  const data = { ...stats };
  if (stats.threads === 0) return { status: 'degraded', detail: 'worker threads starting', data };
  if (stats.maxQueue > 0 && stats.queued >= stats.maxQueue)
    return { status: 'degraded', detail: 'queue full', data };
  return {
    status: 'ok',
    detail: `${stats.threads} worker(s), ${stats.busy} busy, ${stats.queued} queued`,
    data,
  };
}

/**
 * The hit rate of the recent window (each request records whether its result came from the cache), so it says how
 * the cache is doing now rather than since the process started.
 */
export function checkCache(): CheckResult {
  const type = getConfig().cache.type;
  const { cacheHitRate, windowSeconds } = getRecentWindow().summarize();
  const rate = cacheHitRate === null ? 'no lookups yet' : `hit rate ${Math.round(cacheHitRate * 100)}%`;
  return {
    status: 'ok',
    detail: type === 'none' ? 'disabled' : `${type}, ${rate} (last ${windowSeconds / 60} min)`,
    data: { type, hitRate: cacheHitRate, windowSeconds },
  };
}

const KEY = Symbol.for('svgai.health.defaults');

/** Registers the built-in checks once per process (the composition root calls it at boot). */
export function registerDefaultChecks(sources: CheckSources): void {
  const holder = globalThis as { [KEY]?: boolean };
  if (holder[KEY]) return;
  holder[KEY] = true;
  const config = getConfig();
  startEventLoopMonitor();
  registerHealthCheck(createDatabaseCheck());
  registerHealthCheck({ name: 'models', readiness: true, run: () => checkModels(sources.modelStatus) });
  registerHealthCheck({
    name: 'engine',
    readiness: true,
    critical: false,
    run: () => checkEngine(sources.engineStats),
  });
  registerHealthCheck({ name: 'cache', critical: false, run: checkCache });
  registerHealthCheck({ name: 'process', critical: false, run: checkProcess });
  registerHealthCheck({ name: 'system', critical: false, run: checkSystem });
  registerHealthCheck({ name: 'eventLoop', critical: false, run: () => checkEventLoopLag() });
  registerHealthCheck({ name: 'disk.data', run: () => checkDiskSpace(config.dataDir) });
  if (config.cache.type === 'disk')
    registerHealthCheck({ name: 'disk.cache', critical: false, run: () => checkDiskSpace(config.cache.dir) });
  if (config.redis.url) {
    const url = config.redis.url;
    // Never required: without it the cache misses and rate limits count per process (lib/rate-limit), so an
    // outage degrades every replica instead of taking them all out of rotation at once.
    registerHealthCheck({
      name: 'redis',
      critical: false,
      degradesReadiness: true,
      run: () => checkRedis(url),
    });
  }
}
