import { describe, expect, it } from 'vitest';
import { getRecentWindow } from '@/lib/metrics/recent-window';
import { checkCache } from './default-checks';

describe('cache health check', () => {
  it('reports the hit rate of the results the worker threads returned, from the metrics window', () => {
    const window = getRecentWindow();
    const before = window.summarize();
    const hits = Math.round((before.cacheHitRate ?? 0) * 1000);
    expect(hits).toBeGreaterThanOrEqual(0);
    // three hits and one miss on top of whatever this process recorded before
    for (const hit of [true, true, true, false]) window.recordCache(hit);
    const result = checkCache();
    expect(result.status).toBe('ok');
    const rate = (result.data as { hitRate: number | null }).hitRate;
    expect(rate).toBe(window.summarize().cacheHitRate);
    expect(rate).not.toBeNull();
    expect(rate!).toBeGreaterThan(0);
    expect(result.detail).toMatch(/hit rate \d+%/);
  });
});
