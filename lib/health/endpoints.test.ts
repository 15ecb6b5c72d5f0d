// Liveness never runs checks; readiness is strict (every readiness check ok); health maps down to 503.
import { afterEach, describe, expect, it } from 'vitest';
import { getHealth, getLiveness, getReadiness } from './endpoints';
import { listHealthChecks, registerHealthCheck, unregisterHealthCheck } from './registry';

afterEach(() => {
  for (const c of listHealthChecks()) unregisterHealthCheck(c.name);
});

describe('health endpoints', () => {
  it('liveness answers 200 without running any check', () => {
    let calls = 0;
    registerHealthCheck({ name: 'db', run: () => (calls++, { status: 'down' }) });
    const live = getLiveness();
    expect(live.httpStatus).toBe(200);
    expect(live.body).toMatchObject({ status: 'ok' });
    expect(live.body).not.toHaveProperty('pid');
    expect(calls).toBe(0);
  });

  it('health is 503 when a critical check is down and 200 when only degraded', async () => {
    registerHealthCheck({ name: 'cache', critical: false, run: () => ({ status: 'down' }) });
    const degraded = await getHealth();
    expect(degraded.httpStatus).toBe(200);
    expect(degraded.body.status).toBe('degraded');
    registerHealthCheck({ name: 'database', run: () => ({ status: 'down', detail: 'unreachable' }) });
    const down = await getHealth();
    expect(down.httpStatus).toBe(503);
    expect(down.body.status).toBe('down');
  });

  it('without details answers the same status with the overall state only', async () => {
    registerHealthCheck({
      name: 'database',
      run: () => ({ status: 'down', detail: 'db.internal:5432 refused' }),
    });
    const full = await getHealth();
    const brief = await getHealth({ details: false });
    expect(brief.httpStatus).toBe(503);
    expect(brief.body).toEqual({ status: 'down', timestamp: expect.any(String) });
    expect(JSON.stringify(brief.body)).not.toContain('db.internal');
    expect(full.body.checks).toHaveProperty('database');
  });

  it('readiness is 503 while any readiness check is not ok, and names what it waits for', async () => {
    registerHealthCheck({ name: 'database', readiness: true, run: () => ({ status: 'ok' }) });
    registerHealthCheck({
      name: 'models',
      readiness: true,
      run: () => ({ status: 'degraded', detail: 'loading' }),
    });
    registerHealthCheck({ name: 'system', run: () => ({ status: 'down' }) });
    const notReady = await getReadiness();
    expect(notReady.httpStatus).toBe(503);
    expect(notReady.body).toMatchObject({ status: 'not_ready', reason: 'waiting for models' });
    registerHealthCheck({ name: 'models', readiness: true, run: () => ({ status: 'ok' }) });
    const ready = await getReadiness();
    expect(ready.httpStatus).toBe(200);
    expect(ready.body.status).toBe('ready');
    expect(Object.keys(ready.body.checks as object).sort()).toEqual(['database', 'models']);
  });
});
