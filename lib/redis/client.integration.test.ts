// The shared Redis connection against the machine's real Redis, and against a closed port (the down case).
import { afterAll, describe, expect, it } from 'vitest';
import { closeRedisClients, getRedis, REDIS_CONNECT_TIMEOUT_MS, RedisUnavailableError } from './client';

const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// Port 1 is never listening here: connecting is refused at once, as with a Redis that has stopped.
const downUrl = 'redis://:not-the-password@127.0.0.1:1';

afterAll(closeRedisClients);

describe('shared Redis client', () => {
  it('is one connection per URL, connected on first use, with its health state', async () => {
    const a = getRedis(url);
    expect(getRedis(url)).toBe(a);
    expect(a.health()).toMatchObject({ status: 'wait', ready: false });
    const [c1, c2] = await Promise.all([a.ready(), a.ready()]);
    expect(c1).toBe(a.client);
    expect(c2).toBe(a.client);
    expect(await c1.ping()).toBe('PONG');
    const health = a.health();
    expect(health).toMatchObject({ status: 'ready', ready: true });
    expect(Date.parse(health.lastReadyAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(health.lastError).toBeUndefined();
  });

  it('fails fast when Redis is down: the first caller waits for one refused attempt, later ones not at all', async () => {
    const down = getRedis(downUrl);
    let started = performance.now();
    const first = await down.ready().catch((e: unknown) => e);
    expect(first).toBeInstanceOf(RedisUnavailableError);
    expect((first as Error).message).toMatch(/ECONNREFUSED/);
    expect(performance.now() - started).toBeLessThan(REDIS_CONNECT_TIMEOUT_MS);

    const health = down.health();
    expect(health.ready).toBe(false);
    expect(health.lastError).toMatch(/ECONNREFUSED/);
    expect(JSON.stringify(health)).not.toContain('not-the-password');

    // Commands fail at once too (no offline queue), instead of waiting for a reconnect that will not come.
    started = performance.now();
    await expect(down.client.get('k')).rejects.toThrow();
    const later = await Promise.all([down.ready(), down.ready()].map((p) => p.catch((e: unknown) => e)));
    expect(later.every((e) => e instanceof RedisUnavailableError)).toBe(true);
    expect(performance.now() - started).toBeLessThan(REDIS_CONNECT_TIMEOUT_MS);
  });

  it('closes every connection, and a later use opens a fresh one', async () => {
    const before = getRedis(url);
    await before.ready();
    await closeRedisClients();
    expect(before.client.status).toBe('end');
    const after = getRedis(url);
    expect(after).not.toBe(before);
    expect(await (await after.ready()).ping()).toBe('PONG');
  });
});
