/**
 * API rate limits: @upstash/ratelimit over Upstash (REST), over our own Redis (REDIS_URL, shared by every
 * instance) or, with neither configured, an in-process sliding window. While the shared store is unreachable
 * the same limits are counted per process (degraded, never off).
 */
import { Ratelimit } from '@upstash/ratelimit';
import { Redis as UpstashRedis } from '@upstash/redis';
import { getConfig } from '@/lib/config';
import { onShutdown } from '@/lib/lifecycle';
import { getLogger } from '@/lib/log';
import { recordRateLimitFallback } from '@/lib/metrics';
import { getRedis } from '@/lib/redis/client';
import { createIoredisAdapter } from './ioredis-adapter';
import { createMemoryLimiter } from './memory-limiter';
import type { CallerClass, LimitDecision, RateLimiter } from './types';

export type { CallerClass, LimitDecision, RateLimiter } from './types';

type RateLimitSettings = {
  /** Requests per window; 0 means unlimited. */
  anonymous: number;
  apiKey: number;
  windowSeconds: number;
  prefix?: string;
  redisUrl?: string;
  upstash?: { url: string; token: string };
};

const UNLIMITED: LimitDecision = { success: true, limit: 0, remaining: 0, reset: 0 };

let lastWarning = 0;
function warnUnavailable(error: unknown) {
  recordRateLimitFallback();
  if (Date.now() - lastWarning < 60_000) return;
  lastWarning = Date.now();
  getLogger().warn({ err: error }, 'rate limit store unavailable: counting per process until it recovers');
}

export function createRateLimiter(settings: RateLimitSettings): RateLimiter {
  const prefix = settings.prefix ?? 'svgai:ratelimit';
  const window = `${settings.windowSeconds} s` as const;
  const tokensFor = (c: CallerClass) => (c === 'apiKey' ? settings.apiKey : settings.anonymous);

  if (!settings.upstash && !settings.redisUrl) {
    const memory = createMemoryLimiter(settings.windowSeconds * 1000);
    return {
      backend: 'memory',
      limit: async (id, c) => (tokensFor(c) > 0 ? memory.limit(`${c}:${id}`, tokensFor(c)) : UNLIMITED),
      close: async () => undefined,
    };
  }

  const redisUrl = settings.redisUrl;
  const redis: UpstashRedis = settings.upstash
    ? new UpstashRedis({ url: settings.upstash.url, token: settings.upstash.token, enableTelemetry: false })
    : // Our own Redis through the shared connection (lib/redis), whose breaker makes an outage fail at once.
      createIoredisAdapter((commands) => getRedis(redisUrl!).run(commands));
  // The same limits per process while the store is down: one instance then allows at most what all did.
  const fallback = createMemoryLimiter(settings.windowSeconds * 1000);
  const make = (tokens: number, c: CallerClass) =>
    new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(tokens, window),
      prefix: `${prefix}:${c}`,
      analytics: false,
      enableTelemetry: false,
      // Fail open after 1 s: a slow cache must not take the API down with it.
      timeout: 1000,
    });
  const limiters: Record<CallerClass, Ratelimit | null> = {
    anonymous: settings.anonymous > 0 ? make(settings.anonymous, 'anonymous') : null,
    apiKey: settings.apiKey > 0 ? make(settings.apiKey, 'apiKey') : null,
  };
  return {
    backend: settings.upstash ? 'upstash' : 'redis',
    async limit(id, c) {
      const limiter = limiters[c];
      if (!limiter) return UNLIMITED;
      try {
        const r = await limiter.limit(id);
        // @upstash/ratelimit lets the request through on its own timeout: count it here instead.
        if (r.reason !== 'timeout')
          return { success: r.success, limit: r.limit, remaining: r.remaining, reset: r.reset };
        warnUnavailable(new Error('rate limit store timed out'));
      } catch (error) {
        // Neither a 500 nor unlimited: an unreachable store falls back to counting in this process.
        warnUnavailable(error);
      }
      return { ...(await fallback.limit(`${c}:${id}`, tokensFor(c))), degraded: true };
    },
    // Nothing of its own to release: the Redis connection belongs to lib/redis, closed at shutdown.
    async close() {},
  };
}

const KEY = Symbol.for('svgai.rateLimiter');
type Holder = { [KEY]?: RateLimiter };

/** The process-wide limiter built from config (kept on globalThis so hot reload does not leak connections). */
export function getRateLimiter(): RateLimiter {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const { api, redis } = getConfig();
    const limiter = createRateLimiter({
      ...api.rateLimit,
      redisUrl: redis.url,
      upstash:
        redis.upstashUrl && redis.upstashToken
          ? { url: redis.upstashUrl, token: redis.upstashToken }
          : undefined,
    });
    holder[KEY] = limiter;
    onShutdown('rate-limiter', async () => {
      delete holder[KEY];
      await limiter.close();
    });
  }
  return holder[KEY];
}
