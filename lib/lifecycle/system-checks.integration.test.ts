import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkDiskSpace,
  checkEventLoopLag,
  checkMemory,
  checkRedis,
  closeHealthRedis,
  startEventLoopMonitor,
} from './system-checks';

afterAll(closeHealthRedis);

describe('system checks', () => {
  it('reports free disk space, using the nearest existing parent of a missing folder', async () => {
    const r = await checkDiskSpace(`${os.tmpdir()}/svgai-not-created-yet/cache`);
    expect(r.status).not.toBe('down');
    expect(r.data?.freeBytes).toBeGreaterThan(0);
    const strict = await checkDiskSpace(os.tmpdir(), { degradedFreeRatio: 1.01, downFreeBytes: 0 });
    expect(strict.status).toBe('degraded');
  });

  it('sees a blocked event loop', async () => {
    startEventLoopMonitor();
    await new Promise((r) => setTimeout(r, 120));
    const until = Date.now() + 300;
    while (Date.now() < until) {
      // Busy-wait on purpose: this is the behaviour the check must catch.
    }
    await new Promise((r) => setTimeout(r, 120));
    // Few samples in the window, so the 300 ms stall is also the p99.
    const r = checkEventLoopLag({ degradedMs: 100, downMs: 10_000 });
    expect(r.status).toBe('degraded');
    expect(r.data?.maxMs as number).toBeGreaterThanOrEqual(250);
  });

  it('reports memory use against the heap limit', () => {
    const r = checkMemory();
    expect(r.status).toBe('ok');
    expect(r.data?.heapLimitBytes as number).toBeGreaterThan(r.data?.heapUsedBytes as number);
  });

  it('pings the real Redis and reports an unreachable one as down quickly', async () => {
    const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    expect((await checkRedis(url)).status).toBe('ok');
    const started = Date.now();
    const bad = await checkRedis('redis://127.0.0.1:1', 500);
    expect(bad.status).toBe('down');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
