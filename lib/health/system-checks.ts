/** Dependency and resource checks (Redis, disk space, memory, event-loop lag) for the health registry and ops page. */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { getRedis } from '@/lib/redis/client';
import type { CheckResult } from './registry';

/** A check result that always explains itself. */
type SystemCheckResult = CheckResult & { detail: string };

const MB = 1024 * 1024;

/** Free space of the folder's file system; the nearest existing parent is used when the folder is not made yet. */
export async function checkDiskSpace(
  dir: string,
  thresholds = { degradedFreeRatio: 0.1, downFreeBytes: 100 * MB },
): Promise<SystemCheckResult> {
  let target = path.resolve(/*turbopackIgnore: true*/ dir);
  while (!fs.existsSync(target) && path.dirname(target) !== target) target = path.dirname(target);
  const s = await fs.promises.statfs(target);
  const free = s.bavail * s.bsize;
  const total = s.blocks * s.bsize;
  const ratio = total ? free / total : 0;
  const data = { path: dir, freeBytes: free, totalBytes: total, freeRatio: Math.round(ratio * 1000) / 1000 };
  const detail = `${Math.round(free / MB)} MB free of ${Math.round(total / MB)} MB`;
  if (free < thresholds.downFreeBytes) return { status: 'down', detail, data };
  if (ratio < thresholds.degradedFreeRatio) return { status: 'degraded', detail, data };
  return { status: 'ok', detail, data };
}

const LAG_KEY = Symbol.for('svgai.eventLoopMonitor');
const LAG_INTERVAL_MS = 50;
const LAG_WINDOW_MS = 30_000;

type LagMonitor = { samples: { at: number; lagMs: number }[]; timer: NodeJS.Timeout };

/**
 * A timer that should fire every 50 ms records how late it fires; the last 30 s of lateness are kept.
 * (perf_hooks' histogram loses the sample that spans a reset, which is exactly the blocked interval.)
 */
function lagMonitor(): LagMonitor {
  const holder = globalThis as { [LAG_KEY]?: LagMonitor };
  if (!holder[LAG_KEY]) {
    const samples: LagMonitor['samples'] = [];
    let expected = performance.now() + LAG_INTERVAL_MS;
    const timer = setInterval(() => {
      const now = performance.now();
      samples.push({ at: now, lagMs: Math.max(0, now - expected) });
      while (samples.length && samples[0].at < now - LAG_WINDOW_MS) samples.shift();
      expected = now + LAG_INTERVAL_MS;
    }, LAG_INTERVAL_MS);
    timer.unref();
    holder[LAG_KEY] = { samples, timer };
  }
  return holder[LAG_KEY];
}

/** Start measuring at boot so the first check already has a window. */
export function startEventLoopMonitor(): void {
  lagMonitor();
}

/** Event-loop lag over the last 30 s: conversions belong in workers, so a blocked loop is a bug. */
export function checkEventLoopLag(thresholds = { degradedMs: 200, downMs: 2000 }): SystemCheckResult {
  const lags = lagMonitor()
    .samples.map((s) => s.lagMs)
    .sort((a, b) => a - b);
  const p99 = lags.length ? lags[Math.min(lags.length - 1, Math.ceil(lags.length * 0.99) - 1)] : 0;
  const max = lags.length ? lags[lags.length - 1] : 0;
  const data = {
    p99Ms: round(p99),
    maxMs: round(max),
    samples: lags.length,
    windowSeconds: LAG_WINDOW_MS / 1000,
  };
  const detail = `p99 ${round(p99)} ms, max ${round(max)} ms over ${LAG_WINDOW_MS / 1000} s`;
  if (max >= thresholds.downMs) return { status: 'down', detail, data };
  if (p99 >= thresholds.degradedMs) return { status: 'degraded', detail, data };
  return { status: 'ok', detail, data };
}

export function checkMemory(thresholds = { degradedHeapRatio: 0.9 }): SystemCheckResult {
  const m = process.memoryUsage();
  const limit = v8.getHeapStatistics().heap_size_limit;
  const ratio = m.heapUsed / limit;
  const data = {
    rssBytes: m.rss,
    heapUsedBytes: m.heapUsed,
    heapLimitBytes: limit,
    heapRatio: round(ratio, 3),
  };
  const detail = `rss ${Math.round(m.rss / MB)} MB, heap ${Math.round(m.heapUsed / MB)}/${Math.round(limit / MB)} MB`;
  return { status: ratio >= thresholds.degradedHeapRatio ? 'degraded' : 'ok', detail, data };
}

/**
 * PING over the shared connection (lib/redis), which fails fast: a Redis known to be down answers at once with
 * the connection's last error, and the report carries the connection's health state.
 */
export async function checkRedis(url: string): Promise<SystemCheckResult> {
  const redis = getRedis(url);
  const started = performance.now();
  try {
    const pong = await (await redis.ready()).ping();
    const ms = round(performance.now() - started);
    const data = { latencyMs: ms, ...redis.health() };
    return { status: pong === 'PONG' ? 'ok' : 'down', detail: `ping ${ms} ms`, data };
  } catch (err) {
    const health = redis.health();
    return {
      status: 'down',
      detail: `unreachable: ${health.lastError ?? (err as Error).message}`,
      data: { ...health },
    };
  }
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
