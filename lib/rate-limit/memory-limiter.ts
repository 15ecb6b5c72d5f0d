/** Sliding-window limiter kept in process memory: the fallback when no Redis is configured (one instance only). */
import type { LimitDecision } from './types';

type Windows = { window: number; current: number; previous: number };

export function createMemoryLimiter(windowMs: number) {
  const counters = new Map<string, Windows>();

  return {
    async limit(identifier: string, tokens: number): Promise<LimitDecision> {
      const now = Date.now();
      const window = Math.floor(now / windowMs);
      let entry = counters.get(identifier);
      if (!entry || entry.window < window - 1) entry = { window, current: 0, previous: 0 };
      else if (entry.window === window - 1) entry = { window, current: 0, previous: entry.current };
      // Same weighting as @upstash/ratelimit's sliding window, so behaviour does not change with the backend.
      const weight = 1 - (now % windowMs) / windowMs;
      const used = Math.ceil(entry.previous * weight) + entry.current;
      const success = used < tokens;
      if (success) entry.current += 1;
      counters.set(identifier, entry);
      if (counters.size > 50_000) pruneOld(counters, window);
      return {
        success,
        limit: tokens,
        remaining: Math.max(0, tokens - used - (success ? 1 : 0)),
        reset: (window + 1) * windowMs,
      };
    },
  };
}

function pruneOld(counters: Map<string, Windows>, window: number) {
  for (const [key, entry] of counters) if (entry.window < window - 1) counters.delete(key);
}
