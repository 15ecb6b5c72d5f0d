// Redis that stops answering: the breaker makes callers fail at once instead of each waiting for a timeout, the
// rate limits keep counting per process, readiness stays 200 naming the degraded dependency, and a Redis that
// comes back is used again.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { getReadiness } from '@/lib/health/endpoints';
import { checkRedis } from '@/lib/health/system-checks';
import { registerHealthCheck, unregisterHealthCheck } from '@/lib/health/registry';
import { createRateLimiter } from '@/lib/rate-limit';
import { closeRedisClients, getRedis, REDIS_CONNECT_TIMEOUT_MS, RedisUnavailableError } from './client';

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];
const children: ChildProcess[] = [];

afterAll(async () => {
  await closeRedisClients();
  for (const s of sockets) s.destroy();
  for (const s of servers) await new Promise((r) => s.close(r));
  for (const c of children) c.kill('SIGKILL');
});

/** A "Redis" that accepts connections and never answers: the worst outage, a network black hole. */
async function stalledRedis(): Promise<string> {
  const server = net.createServer((socket) => void sockets.push(socket));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `redis://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('Redis circuit breaker', () => {
  it('with Redis stalled, limits still hold (per process) and only the first call waits', async () => {
    const url = await stalledRedis();
    const limiter = createRateLimiter({
      anonymous: 3,
      apiKey: 10,
      windowSeconds: 60,
      prefix: `svgai-test:${randomBytes(4).toString('hex')}`,
      redisUrl: url,
    });
    const started = performance.now();
    const decisions = [];
    for (let i = 0; i < 30; i++) decisions.push(await limiter.limit('ip:192.0.2.50', 'anonymous'));
    const elapsed = performance.now() - started;
    // Before: every call waited for the connection attempt and none was ever refused (limits off).
    expect(decisions.slice(0, 3).every((d) => d.success)).toBe(true);
    expect(decisions.slice(3).every((d) => !d.success)).toBe(true);
    expect(decisions.every((d) => d.degraded)).toBe(true);
    // One wait for the first attempt; the other 29 fail fast while the breaker is open.
    expect(elapsed).toBeLessThan(2 * REDIS_CONNECT_TIMEOUT_MS);

    const health = getRedis(url).health();
    expect(health.breaker).toBe('open');
    expect(health.ready).toBe(false);
    expect(health.consecutiveFailures).toBeGreaterThanOrEqual(1);
    const fast = performance.now();
    await expect(getRedis(url).run((c) => c.ping())).rejects.toBeInstanceOf(RedisUnavailableError);
    expect(performance.now() - fast).toBeLessThan(50);
  });

  it('keeps readiness at 200 and names Redis as degraded while it is down', async () => {
    const url = await stalledRedis();
    registerHealthCheck({
      name: 'redis-test',
      critical: false,
      degradesReadiness: true,
      run: () => checkRedis(url),
    });
    registerHealthCheck({ name: 'gate-test', readiness: true, run: () => ({ status: 'ok' }) });
    try {
      const answer = await getReadiness({ details: false });
      expect(answer.httpStatus).toBe(200);
      expect(answer.body).toMatchObject({ status: 'ready', degraded: ['redis-test'] });
      expect(answer.body).not.toHaveProperty('checks');
    } finally {
      unregisterHealthCheck('redis-test');
      unregisterHealthCheck('gate-test');
    }
  });

  it('closes again once Redis is back', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const redis = getRedis(url);
    await expect(redis.run((c) => c.ping())).rejects.toBeInstanceOf(RedisUnavailableError);
    expect(redis.health().breaker).toBe('open');

    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    children.push(child);
    let pong: string | null = null;
    for (let i = 0; i < 100 && pong === null; i++) {
      pong = await redis.run((c) => c.ping()).catch(() => null);
      if (pong === null) await new Promise((r) => setTimeout(r, 200));
    }
    expect(pong).toBe('PONG');
    expect(redis.health()).toMatchObject({ breaker: 'closed', ready: true, consecutiveFailures: 0 });
  });
});
