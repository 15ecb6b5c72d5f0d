/**
 * The health-check registry: any module registers a named check (database, models, Redis, disk...) and the
 * health endpoints run them. Lives on globalThis so hot reload and duplicate bundles share one registry.
 */

type CheckStatus = 'ok' | 'degraded' | 'down';

export type CheckResult = { status: CheckStatus; detail?: string; data?: Record<string, unknown> };

export type HealthCheck = {
  name: string;
  run: () => CheckResult | Promise<CheckResult>;
  /** A critical check that is down makes the whole report down (HTTP 503). Default true. */
  critical?: boolean;
  /** Also gates /api/health/ready (database migrations, models, warm engine). Default false. */
  readiness?: boolean;
  /**
   * A dependency the service can run without, worse: readiness stays 200 while it is down but names it under
   * `degraded` (e.g. Redis: rate limits fall back to per-process counts, the cache to misses). Default false.
   */
  degradesReadiness?: boolean;
  /** A check slower than this counts as down. Default 2000 ms. */
  timeoutMs?: number;
};

type CheckReport = CheckResult & { durationMs: number; critical: boolean };

export type HealthReport = {
  status: CheckStatus;
  timestamp: string;
  checks: Record<string, CheckReport>;
};

const KEY = Symbol.for('svgai.health.registry');

function registry(): Map<string, HealthCheck> {
  const holder = globalThis as { [KEY]?: Map<string, HealthCheck> };
  holder[KEY] ??= new Map();
  return holder[KEY];
}

/** Adds or replaces (same name) a check. Returns a function that removes it. */
export function registerHealthCheck(check: HealthCheck): () => void {
  if (!check.name || !/^[a-zA-Z][\w.-]*$/.test(check.name))
    throw new Error(`invalid health check name "${check.name}"`);
  registry().set(check.name, check);
  return () => {
    if (registry().get(check.name) === check) registry().delete(check.name);
  };
}

export function unregisterHealthCheck(name: string): void {
  registry().delete(name);
}

export function listHealthChecks(): HealthCheck[] {
  return [...registry().values()];
}

async function runOne(check: HealthCheck): Promise<CheckReport> {
  const timeoutMs = check.timeoutMs ?? 2000;
  const critical = check.critical ?? true;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<CheckResult>((resolve) => {
      timer = setTimeout(
        () => resolve({ status: 'down', detail: `timed out after ${timeoutMs} ms` }),
        timeoutMs,
      );
      timer.unref?.();
    });
    const result = await Promise.race([Promise.resolve().then(() => check.run()), timeout]);
    if (!result || !['ok', 'degraded', 'down'].includes(result.status)) {
      return { status: 'down', detail: 'check returned no status', durationMs: elapsed(started), critical };
    }
    return { ...result, durationMs: elapsed(started), critical };
  } catch (err) {
    // A throwing check is a failing dependency, never a failing endpoint.
    return { status: 'down', detail: errorMessage(err), durationMs: elapsed(started), critical };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the selected checks concurrently. Overall: down if a critical check is down, degraded if anything is not ok. */
export async function runHealthChecks(
  options: { readinessOnly?: boolean; now?: Date } = {},
): Promise<HealthReport> {
  const checks = listHealthChecks().filter(
    (c) => !options.readinessOnly || c.readiness || c.degradesReadiness,
  );
  const reports = await Promise.all(checks.map(runOne));
  const out: Record<string, CheckReport> = {};
  checks.forEach((c, i) => (out[c.name] = reports[i]));
  let status: CheckStatus = 'ok';
  for (const [i, r] of reports.entries()) {
    // In a readiness run a degrading dependency is reported, never what decides the status.
    if (options.readinessOnly && !checks[i].readiness) continue;
    if (r.status === 'down' && r.critical) status = 'down';
    else if (r.status !== 'ok' && status === 'ok') status = 'degraded';
  }
  return { status, timestamp: (options.now ?? new Date()).toISOString(), checks: out };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

function errorMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  // Connection strings in driver errors may carry credentials.
  return msg.replace(/\/\/[^@/\s]*@/g, '//***@').slice(0, 300);
}
