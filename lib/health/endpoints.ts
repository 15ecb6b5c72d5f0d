/**
 * What the three health endpoints answer; the route handlers only turn these into Responses. They run the
 * checks registered in the registry (the composition root, lib/boot.ts, registers the defaults at boot).
 */
import { isShuttingDown } from '@/lib/lifecycle';
import { runHealthChecks, type HealthReport } from './registry';

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

/**
 * Full report: 503 when a critical dependency is down, 200 when ok or degraded. Without `details` (a caller not
 * allowed to see operations data, lib/auth/ops-access.ts) only the overall status and time, same HTTP status.
 */
export async function getHealth(options: { details?: boolean } = {}): Promise<HealthAnswer> {
  const report = await runHealthChecks();
  const httpStatus = report.status === 'down' ? 503 : 200;
  if (options.details === false)
    return { httpStatus, body: { status: report.status, timestamp: report.timestamp } };
  return { httpStatus, body: { ...report, uptimeSeconds: Math.round(process.uptime()) } };
}

/** Readiness: 200 only when every readiness check is ok (migrations applied, models loaded, engine warm) and not draining. */
export async function getReadiness(): Promise<HealthAnswer> {
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
