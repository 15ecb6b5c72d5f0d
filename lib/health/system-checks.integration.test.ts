import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkDiskSpace,
  checkEventLoopLag,
  checkMemory,
  checkRedis,
  startEventLoopMonitor,
} from './system-checks';
import { closeRedisClients } from '@/lib/redis/client';

afterAll(closeRedisClients);

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

  it('pings the real Redis and reports an unreachable one as down quickly, with the connection state', async () => {
    const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const ok = await checkRedis(url);
    expect(ok).toMatchObject({ status: 'ok', data: { status: 'ready', ready: true } });
    expect(ok.data?.latencyMs).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < 2; i++) {
      // The first check waits for one refused connection attempt; the second knows Redis is down already.
      const started = Date.now();
      const bad = await checkRedis('redis://127.0.0.1:1');
      expect(bad.status).toBe('down');
      expect(bad.detail).toMatch(/^unreachable: .*ECONNREFUSED/);
      expect(bad.data).toMatchObject({ ready: false });
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });
});
