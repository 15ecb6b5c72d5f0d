/**
 * What the three health endpoints answer; the route handlers only turn these into Responses. They run the
 * checks registered in the registry (the composition root, lib/boot.ts, registers the defaults at boot).
 */
import { isShuttingDown } from '@/lib/lifecycle';
import { listHealthChecks, runHealthChecks, type HealthReport } from './registry';

export type HealthAnswer = { httpStatus: number; body: Record<string, unknown> };

const startedAt = new Date();

/**
 * Liveness: the process answers. Touches no dependency, so a database outage never restarts the pod. Public, so
 * it says nothing about the process (no pid) beyond how long it has been up.
 */
export function getLiveness(): HealthAnswer {
  return {
    httpStatus: 200,
    body: { status: 'ok', uptimeSeconds: Math.round(process.uptime()), startedAt: startedAt.toISOString() },
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

/**
 * Readiness: 200 only when every readiness check is ok (migrations applied, models loaded, engine warm) and not
 * draining. Dependencies the service runs without are listed under `degraded` and never fail it. The checks'
 * details (`details`, lib/auth/ops-access.ts) are for operators; everyone else gets status, reason and names.
 */
export async function getReadiness(options: { details?: boolean } = {}): Promise<HealthAnswer> {
  const report: HealthReport = await runHealthChecks({ readinessOnly: true });
  const gating = new Set(
    listHealthChecks()
      .filter((c) => c.readiness)
      .map((c) => c.name),
  );
  const notReady = Object.entries(report.checks)
    .filter(([name, c]) => gating.has(name) && c.status !== 'ok')
    .map(([name]) => name);
  const degraded = Object.entries(report.checks)
    .filter(([name, c]) => !gating.has(name) && c.status !== 'ok')
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
      ...(degraded.length ? { degraded } : {}),
      timestamp: report.timestamp,
      ...(options.details === false ? {} : { checks: report.checks }),
    },
  };
}
