import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { closeRedisClients } from '@/lib/redis/client';
import { RedisCache } from './redis-cache';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `svgai:test:${randomUUID()}:`;
const cache = new RedisCache<{ svg: string; ssim: number }>(url, { ttlSeconds: 30, maxEntries: 100 }, prefix);

afterAll(async () => {
  await cache.clear();
  await cache.close();
  await closeRedisClients();
});

describe('RedisCache against a real Redis', () => {
  it('stores, returns and counts', async () => {
    expect(await cache.get('a')).toBeUndefined();
    await cache.set('a', { svg: '<svg/>', ssim: 0.99 });
    expect(await cache.get('a')).toEqual({ svg: '<svg/>', ssim: 0.99 });
    expect(cache.stats()).toMatchObject({ type: 'redis', hits: 1, misses: 1, sets: 1, errors: 0 });
  });

  it('sets a TTL on every entry', async () => {
    await cache.set('ttl', { svg: '', ssim: 0 });
    const { Redis } = await import('ioredis');
    const raw = new Redis(url);
    try {
      const ttl = await raw.ttl(`${prefix}ttl`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30);
    } finally {
      raw.disconnect();
    }
  });

  it('cleans up its own keys only', async () => {
    const other = new RedisCache<number>(url, { ttlSeconds: 30, maxEntries: 10 }, `${prefix}other:`);
    await other.set('x', 1);
    await other.clear();
    expect(await other.get('x')).toBeUndefined();
    expect(await cache.get('a')).toEqual({ svg: '<svg/>', ssim: 0.99 });
    await other.close();
  });

  it('turns an unreachable server into misses, not errors, quickly', async () => {
    const down = new RedisCache<number>('redis://127.0.0.1:1', { ttlSeconds: 30, maxEntries: 10 }, prefix);
    const started = performance.now();
    await down.set('x', 1);
    expect(await down.get('x')).toBeUndefined();
    expect(down.stats()).toMatchObject({ hits: 0, misses: 1, sets: 0, errors: 2 });
    expect(performance.now() - started).toBeLessThan(1000);
    await down.close();
  });

  it('shares one connection with every other user of the same URL', async () => {
    const { getRedis } = await import('@/lib/redis/client');
    const shared = getRedis(url);
    expect(shared.health().ready).toBe(true);
    await cache.set('shared', { svg: '<svg/>', ssim: 1 });
    expect(await shared.client.get(`${prefix}shared`)).toBe(JSON.stringify({ svg: '<svg/>', ssim: 1 }));
  });
});
