/** Everything the ops page shows, gathered in one call: health, traffic, conversions, quality trend, cache, queue. */
import fs from 'node:fs';
import path from 'node:path';
import { getConfig } from '@/lib/config';
import { getMetrics, getRecentWindow, inFlightRequests, type WindowSummary } from '@/lib/metrics';

type CheckView = {
  name: string;
  status: 'ok' | 'degraded' | 'down';
  detail?: string;
  durationMs?: number;
  critical?: boolean;
};

export type OpsSnapshot = {
  generatedAt: string;
  environment: string;
  version: string;
  uptimeSeconds: number;
  health: { status: 'ok' | 'degraded' | 'down'; checks: CheckView[] };
  traffic: WindowSummary;
  inFlight: number;
  conversions: { byType: { type: string; count: number }[]; byTier: { tier: string; count: number }[] };
  history:
    | {
        total: number;
        byType: { type: string; count: number; meanSsim: number | null }[];
        byTier: { tier: number; count: number; meanSsim: number | null }[];
        trend: { day: string; count: number; meanSsim: number | null; minSsim: number | null }[];
      }
    | { error: string };
  cache: { type: string; hits: number; misses: number; hitRate: number | null } | null;
  queue: { threads: number; busy: number; queued: number; maxQueue: number } | null;
  /** The batch queue (lib/batch, through its metrics provider): waiting jobs, the oldest's age, jobs finished here. */
  batches: {
    waiting: number;
    oldestAgeSeconds: number;
    finished: { done: number; failed: number; cancelled: number };
  } | null;
};

async function counterBy(
  metric: { get(): Promise<{ values: { labels: Record<string, string | number>; value: number }[] }> },
  label: string,
) {
  const totals = new Map<string, number>();
  for (const v of (await metric.get()).values) {
    const key = String(v.labels[label] ?? 'unknown');
    totals.set(key, (totals.get(key) ?? 0) + v.value);
  }
  return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** The release id: APP_VERSION, else RELEASE.json written by assemble-release next to server.js, else "dev". */
function releaseVersion(): string {
  if (process.env.APP_VERSION) return process.env.APP_VERSION;
  try {
    const file = path.join(/*turbopackIgnore: true*/ process.cwd(), 'RELEASE.json');
    const r = JSON.parse(fs.readFileSync(/*turbopackIgnore: true*/ file, 'utf8')) as {
      id?: string;
      commit?: string;
    };
    return [r.id, r.commit?.slice(0, 12)].filter(Boolean).join(' @ ') || 'dev';
  } catch {
    return process.env.npm_package_version ?? 'dev';
  }
}

function describeError(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\/\/[^@/\s]*@/g, '//***@').slice(0, 200);
}

/** Each source is optional: the page must still render when one of them is broken (that is when it is needed). */
export async function collectOpsSnapshot(options: { historyDays?: number } = {}): Promise<OpsSnapshot> {
  const config = getConfig();
  const m = getMetrics();
  const [health, history, cache, queue, byType, byTier, batches] = await Promise.all([
    (async (): Promise<OpsSnapshot['health']> => {
      try {
        // The checks the composition root (lib/boot.ts) registered at boot.
        const { runHealthChecks } = await import('@/lib/health/registry');
        const r = await runHealthChecks();
        return {
          status: r.status,
          checks: Object.entries(r.checks).map(([name, c]) => ({
            name,
            status: c.status,
            detail: c.detail,
            durationMs: c.durationMs,
            critical: c.critical,
          })),
        };
      } catch (err) {
        return { status: 'down', checks: [{ name: 'health', status: 'down', detail: describeError(err) }] };
      }
    })(),
    (async (): Promise<OpsSnapshot['history']> => {
      try {
        const { conversionStats } = await import('@/lib/db/conversions');
        const s = await conversionStats({ days: options.historyDays ?? 30 });
        return { total: s.total, byType: s.byType, byTier: s.byTier, trend: s.trend };
      } catch (err) {
        return { error: describeError(err) };
      }
    })(),
    // Hits and misses as the API's requests counted them.
    (async (): Promise<OpsSnapshot['cache']> => {
      const total = async (metric: typeof m.cacheHits) =>
        (await metric.get()).values.reduce((n, v) => n + v.value, 0);
      const [hits, misses] = [await total(m.cacheHits), await total(m.cacheMisses)];
      return {
        type: config.cache.type,
        hits,
        misses,
        hitRate: hits + misses ? hits / (hits + misses) : null,
      };
    })(),
    (async (): Promise<OpsSnapshot['queue']> => {
      try {
        const { getConvertPoolStats } = await import('@/lib/worker-pool');
        const s = getConvertPoolStats();
        return s && { threads: s.threads, busy: s.busy, queued: s.queued, maxQueue: s.maxQueue };
      } catch {
        return null;
      }
    })(),
    counterBy(m.conversions, 'type'),
    counterBy(m.conversions, 'tier'),
    (async (): Promise<OpsSnapshot['batches']> => {
      const read = m.providers.batchQueue;
      if (!read) return null;
      try {
        const counts = await read();
        const outcomes = Object.fromEntries(await counterBy(m.batchJobs, 'outcome'));
        return {
          ...counts,
          finished: {
            done: outcomes.done ?? 0,
            failed: outcomes.failed ?? 0,
            cancelled: outcomes.cancelled ?? 0,
          },
        };
      } catch {
        return null;
      }
    })(),
  ]);
  return {
    generatedAt: new Date().toISOString(),
    environment: config.environment,
    version: releaseVersion(),
    uptimeSeconds: Math.round(process.uptime()),
    health,
    traffic: getRecentWindow().summarize(300),
    inFlight: inFlightRequests(),
    conversions: {
      byType: byType.map(([type, count]) => ({ type, count })),
      byTier: byTier.map(([tier, count]) => ({ tier, count })),
    },
    history,
    cache,
    queue,
    batches,
  };
}
