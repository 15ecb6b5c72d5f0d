// @upstash/ratelimit over the machine's real Redis (127.0.0.1:6379) through the ioredis adapter.
import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { closeRedisClients } from '@/lib/redis/client';
import { createRateLimiter, type RateLimiter } from './index';

process.env.LOG_LEVEL = 'silent';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `svgai-test:${randomBytes(6).toString('hex')}`;
const opened: RateLimiter[] = [];

function instance(limits: { anonymous: number; apiKey: number }): RateLimiter {
  const limiter = createRateLimiter({ ...limits, windowSeconds: 60, prefix, redisUrl: REDIS_URL });
  opened.push(limiter);
  return limiter;
}

afterAll(async () => {
  await Promise.all(opened.map((l) => l.close()));
  const admin = new IORedis(REDIS_URL);
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length) await admin.del(...keys);
  await admin.quit();
  await closeRedisClients();
});

describe('Redis-backed rate limits', () => {
  it('uses the redis backend and refuses the request after the limit', async () => {
    const limiter = instance({ anonymous: 3, apiKey: 10 });
    expect(limiter.backend).toBe('redis');
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.limit('ip:192.0.2.1', 'anonymous'));
    expect(results.map((r) => r.success)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    expect(results[3].limit).toBe(3);
    expect(results[3].reset).toBeGreaterThan(Date.now());
  });

  it('shares one count between two instances (as two app replicas would)', async () => {
    const a = instance({ anonymous: 4, apiKey: 10 });
    const b = instance({ anonymous: 4, apiKey: 10 });
    const seen = [];
    for (let i = 0; i < 3; i++) {
      seen.push((await a.limit('ip:192.0.2.2', 'anonymous')).success);
      seen.push((await b.limit('ip:192.0.2.2', 'anonymous')).success);
    }
    expect(seen.filter(Boolean)).toHaveLength(4);
    expect(seen.slice(4)).toEqual([false, false]);
  });

  it('keeps separate buckets per caller and per caller class', async () => {
    const limiter = instance({ anonymous: 1, apiKey: 2 });
    expect((await limiter.limit('ip:192.0.2.3', 'anonymous')).success).toBe(true);
    expect((await limiter.limit('ip:192.0.2.3', 'anonymous')).success).toBe(false);
    expect((await limiter.limit('ip:192.0.2.4', 'anonymous')).success).toBe(true);
    expect((await limiter.limit('key:k1', 'apiKey')).success).toBe(true);
    expect((await limiter.limit('key:k1', 'apiKey')).success).toBe(true);
    expect((await limiter.limit('key:k1', 'apiKey')).success).toBe(false);
  });

  it('stores its counters in Redis under the configured prefix', async () => {
    const admin = new IORedis(REDIS_URL);
    const keys = await admin.keys(`${prefix}*`);
    await admin.quit();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.startsWith(prefix))).toBe(true);
  });

  it('keeps limiting per process, quickly, when Redis cannot be reached (it used to switch limits off)', async () => {
    const limiter = createRateLimiter({
      anonymous: 1,
      apiKey: 1,
      windowSeconds: 60,
      prefix,
      redisUrl: 'redis://127.0.0.1:1',
    });
    opened.push(limiter);
    const started = Date.now();
    const decision = await limiter.limit('ip:192.0.2.9', 'anonymous');
    expect(decision).toMatchObject({ success: true, limit: 1, degraded: true });
    // The breaker refuses at once while Redis is down: well inside the limiter's own 1 s timeout.
    const again = Date.now();
    expect(await limiter.limit('ip:192.0.2.9', 'anonymous')).toMatchObject({
      success: false,
      degraded: true,
    });
    expect(Date.now() - again).toBeLessThan(500);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
