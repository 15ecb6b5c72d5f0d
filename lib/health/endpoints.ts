/** What the three health endpoints answer; the route handlers only turn these into Responses. */
import { isShuttingDown } from '@/lib/lifecycle';
import { registerDefaultChecks } from './default-checks';
import { runHealthChecks, type HealthReport } from './registry';
import { startWarmup } from './warmup';

export type HealthAnswer = { httpStatus: number; body: Record<string, unknown> };

const startedAt = new Date();

/** Liveness: the process answers. Touches no dependency, so a database outage never restarts the pod. */
export function getLiveness(): HealthAnswer {
  return {
    httpStatus: 200,
    body: {
      status: 'ok',
      uptimeSeconds: Math.round(process.uptime()),
      pid: process.pid,
      startedAt: startedAt.toISOString(),
    },
  };
}

function prepare(options: { defaults: boolean }): void {
  if (options.defaults) {
    registerDefaultChecks();
    startWarmup();
  }
}

/** Full report: 503 when a critical dependency is down, 200 when ok or degraded. */
export async function getHealth(options: { defaults?: boolean } = {}): Promise<HealthAnswer> {
  prepare({ defaults: options.defaults ?? true });
  const report = await runHealthChecks();
  return {
    httpStatus: report.status === 'down' ? 503 : 200,
    body: { ...report, uptimeSeconds: Math.round(process.uptime()) },
  };
}

/** Readiness: 200 only when every readiness check is ok (migrations applied, models loaded, engine warm) and not draining. */
export async function getReadiness(options: { defaults?: boolean } = {}): Promise<HealthAnswer> {
  prepare({ defaults: options.defaults ?? true });
  const report: HealthReport = await runHealthChecks({ readinessOnly: true });
  const notReady = Object.entries(report.checks)
    .filter(([, c]) => c.status !== 'ok')
    .map(([name]) => name);
  const draining = isShuttingDown();
  const ready = notReady.length === 0 && !draining;
  return {
    httpStatus: ready ? 200 : 503,
    body: {
      status: ready ? 'ready' : 'not_ready',
      ...(draining
        ? { reason: 'shutting down' }
        : notReady.length
          ? { reason: `waiting for ${notReady.join(', ')}` }
          : {}),
      timestamp: report.timestamp,
      checks: report.checks,
    },
  };
}
