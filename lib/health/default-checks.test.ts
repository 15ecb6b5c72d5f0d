import { describe, expect, it } from 'vitest';
import { resetConfig } from '@/lib/config';
import { getRecentWindow } from '@/lib/metrics/recent-window';
import { checkCache, checkEngine, checkModels } from './default-checks';

process.env.CACHE_TYPE = 'memory';
resetConfig();

describe('cache health check', () => {
  it('reports the hit rate of the results the worker threads returned, from the metrics window', () => {
    const window = getRecentWindow();
    // vitest runs each test file in its own process: nothing has looked anything up yet.
    expect(window.summarize().cacheHitRate).toBeNull();
    expect(checkCache()).toMatchObject({ status: 'ok', detail: 'memory, no lookups yet (last 5 min)' });
    for (const hit of [true, true, true, false]) window.recordCache(hit);
    const result = checkCache();
    expect(result).toEqual({
      status: 'ok',
      detail: 'memory, hit rate 75% (last 5 min)',
      data: { type: 'memory', hitRate: 0.75, windowSeconds: 300 },
    });
  });
});

describe('engine and models checks', () => {
  it('reads the worker pool it is given: starting, ready, or with a full queue', async () => {
    expect(await checkEngine(() => null)).toEqual({
      status: 'degraded',
      detail: 'worker pool not started yet',
    });
    const stats = { threads: 2, busy: 1, queued: 0, maxQueue: 4 };
    expect(await checkEngine(async () => stats)).toEqual({
      status: 'ok',
      detail: '2 worker(s), 1 busy, 0 queued',
      data: stats,
    });
    expect(await checkEngine(() => ({ ...stats, threads: 0 }))).toMatchObject({ status: 'degraded' });
    expect(await checkEngine(() => ({ ...stats, queued: 4 }))).toMatchObject({
      status: 'degraded',
      detail: 'queue full',
    });
  });

  it('reads the model status it is given: loaded, loading, or failed', async () => {
    const models = { classifier: {}, optimizer: {} };
    expect(await checkModels(() => ({ loaded: true, models }))).toEqual({
      status: 'ok',
      detail: '2 model(s) loaded',
      data: { models },
    });
    expect(await checkModels(async () => ({ loaded: false, models: {} }))).toMatchObject({
      status: 'degraded',
      detail: 'models loading',
    });
    const failed = { classifier: { error: 'no such file' }, optimizer: {} };
    expect(
      await checkModels(() => ({ loaded: false, error: 'classifier: no such file', models: failed })),
    ).toEqual({ status: 'down', detail: 'classifier: no such file', data: { models: failed } });
  });
});
