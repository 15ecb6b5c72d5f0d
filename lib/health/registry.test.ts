// The health registry: aggregation rules, failure containment (throws, hangs) and readiness selection.
import { afterEach, describe, expect, it } from 'vitest';
import { listHealthChecks, registerHealthCheck, runHealthChecks, unregisterHealthCheck } from './registry';

afterEach(() => {
  for (const c of listHealthChecks()) unregisterHealthCheck(c.name);
});

describe('health registry', () => {
  it('is ok when every check is ok, and reports each with its duration', async () => {
    registerHealthCheck({ name: 'a', run: () => ({ status: 'ok', detail: 'fine' }) });
    registerHealthCheck({ name: 'b', run: async () => ({ status: 'ok', data: { n: 1 } }) });
    const r = await runHealthChecks({ now: new Date('2026-01-01T00:00:00Z') });
    expect(r.status).toBe('ok');
    expect(r.timestamp).toBe('2026-01-01T00:00:00.000Z');
    expect(Object.keys(r.checks).sort()).toEqual(['a', 'b']);
    expect(r.checks.a).toMatchObject({ status: 'ok', detail: 'fine', critical: true });
    expect(r.checks.b.data).toEqual({ n: 1 });
    expect(r.checks.a.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('is down when a critical check is down, degraded when only a non-critical one is', async () => {
    registerHealthCheck({ name: 'optional', critical: false, run: () => ({ status: 'down' }) });
    expect((await runHealthChecks()).status).toBe('degraded');
    registerHealthCheck({ name: 'required', run: () => ({ status: 'down', detail: 'gone' }) });
    expect((await runHealthChecks()).status).toBe('down');
  });

  it('treats degraded as degraded, never down', async () => {
    registerHealthCheck({ name: 'slowish', run: () => ({ status: 'degraded' }) });
    expect((await runHealthChecks()).status).toBe('degraded');
  });

  it('turns a throwing check into down with its message, credentials masked', async () => {
    registerHealthCheck({
      name: 'db',
      run: () => {
        throw new Error('connect ECONNREFUSED postgresql://admin:hunter2@db:5432/app');
      },
    });
    const r = await runHealthChecks();
    expect(r.status).toBe('down');
    expect(r.checks.db.detail).toContain('ECONNREFUSED');
    expect(r.checks.db.detail).not.toContain('hunter2');
  });

  it('turns a hanging check into down after its timeout without waiting for it', async () => {
    registerHealthCheck({ name: 'hang', timeoutMs: 50, run: () => new Promise(() => {}) });
    const started = performance.now();
    const r = await runHealthChecks();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r.checks.hang).toMatchObject({ status: 'down', detail: 'timed out after 50 ms' });
  });

  it('runs only readiness checks when asked', async () => {
    registerHealthCheck({ name: 'migrations', readiness: true, run: () => ({ status: 'ok' }) });
    registerHealthCheck({ name: 'cpu', run: () => ({ status: 'down' }) });
    const r = await runHealthChecks({ readinessOnly: true });
    expect(Object.keys(r.checks)).toEqual(['migrations']);
    expect(r.status).toBe('ok');
  });

  it('replaces a check registered again under the same name, and its remover only removes its own', async () => {
    const removeFirst = registerHealthCheck({ name: 'x', run: () => ({ status: 'down' }) });
    registerHealthCheck({ name: 'x', run: () => ({ status: 'ok' }) });
    removeFirst();
    expect((await runHealthChecks()).checks.x.status).toBe('ok');
  });

  it('refuses names that would not read well in JSON or metrics', () => {
    expect(() => registerHealthCheck({ name: '', run: () => ({ status: 'ok' }) })).toThrow();
    expect(() => registerHealthCheck({ name: 'has space', run: () => ({ status: 'ok' }) })).toThrow();
  });

  it('reports a check that returns garbage as down', async () => {
    registerHealthCheck({ name: 'bad', run: () => ({ status: 'maybe' }) as never });
    expect((await runHealthChecks()).checks.bad.status).toBe('down');
  });
});
