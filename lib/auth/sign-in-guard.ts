/**
 * Throttles password sign-in before any password is hashed: a global ceiling, a budget per client address, and
 * per account and client together a backoff that grows with each failure. No hard lock-out: a guesser's
 * failures slow down only that guesser on that account, never the owner signing in from elsewhere.
 */
import type { Redis } from 'ioredis';
import { getConfig } from '@/lib/config';
import { addressBucket } from '@/lib/http/client-address';
import { createRateLimiter, type RateLimiter } from '@/lib/rate-limit';
import { getRedis } from '@/lib/redis/client';

/** Attempts per minute over the whole service: each costs a hash (~50 ms of a core) even when it fails. */
const GLOBAL_ATTEMPTS_PER_MINUTE = 300;
/** Attempts per 10 minutes from one address (a NAT'd office signing in is far below it). */
const ADDRESS_ATTEMPTS = 30;
const ADDRESS_WINDOW_SECONDS = 10 * 60;
/** Failures for one account from one address before each further attempt has to wait. */
const FREE_FAILURES = 5;
/** The wait doubles per failure past the free ones, up to this. */
const MAX_BACKOFF_SECONDS = 15 * 60;
/** A failure streak is forgotten this long after its last failure. */
const FAILURE_MEMORY_SECONDS = 24 * 60 * 60;

export type SignInRefusal = { reason: 'global' | 'address' | 'backoff'; retryAfterSeconds: number };

/** The failure streak of one (account, address) pair. */
type Streak = { failures: number; lastFailureAt: number };

/** Where streaks are kept: Redis when configured (shared by every instance), else this process. */
export type StreakStore = {
  get(key: string, now: number): Promise<Streak | null>;
  recordFailure(key: string, now: number): Promise<Streak>;
  clear(key: string): Promise<void>;
};

export function createMemoryStreakStore(): StreakStore {
  const streaks = new Map<string, Streak>();
  const expired = (s: Streak, now: number) => now - s.lastFailureAt > FAILURE_MEMORY_SECONDS * 1000;
  return {
    async get(key, now) {
      const s = streaks.get(key);
      return s && !expired(s, now) ? s : null;
    },
    async recordFailure(key, now) {
      const prev = streaks.get(key);
      const next = { failures: (prev && !expired(prev, now) ? prev.failures : 0) + 1, lastFailureAt: now };
      streaks.set(key, next);
      if (streaks.size > 100_000) {
        for (const [k, s] of streaks) if (expired(s, now)) streaks.delete(k);
      }
      return next;
    },
    async clear(key) {
      streaks.delete(key);
    },
  };
}

/** Streaks in Redis hashes with a TTL; while Redis is unreachable they are kept by the process instead. */
export function createRedisStreakStore(url: string, prefix = 'svgai:signin:streak:'): StreakStore {
  const fallback = createMemoryStreakStore();
  const run = <T>(commands: (c: Redis) => Promise<T>) => getRedis(url).run(commands);
  return {
    async get(key, now) {
      try {
        const h = await run((c) => c.hgetall(prefix + key));
        return h.failures ? { failures: Number(h.failures), lastFailureAt: Number(h.last) } : null;
      } catch {
        return fallback.get(key, now);
      }
    },
    async recordFailure(key, now) {
      try {
        const [[, failures]] = (await run((c) =>
          c
            .multi()
            .hincrby(prefix + key, 'failures', 1)
            .hset(prefix + key, 'last', String(now))
            .expire(prefix + key, FAILURE_MEMORY_SECONDS)
            .exec(),
        )) as [[Error | null, number], ...unknown[]];
        return { failures: Number(failures), lastFailureAt: now };
      } catch {
        return fallback.recordFailure(key, now);
      }
    },
    async clear(key) {
      await run((c) => c.del(prefix + key)).catch(() => fallback.clear(key));
    },
  };
}

/** Seconds an attempt must wait after `failures` failures in a row (0 while within the free ones). */
export function backoffSeconds(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(2 ** (failures - FREE_FAILURES), MAX_BACKOFF_SECONDS);
}

export type SignInGuard = {
  /** Null when the attempt may go ahead (and be hashed), else why not and for how long. */
  admit(email: string, address: string, now?: number): Promise<SignInRefusal | null>;
  /** The attempt's outcome: a failure lengthens the pair's backoff, a success ends it. */
  settle(email: string, address: string, succeeded: boolean, now?: number): Promise<void>;
};

type GuardParts = { global: RateLimiter; perAddress: RateLimiter; streaks: StreakStore };

function retryAfter(reset: number, now: number): number {
  return Math.max(1, Math.ceil((reset - now) / 1000));
}

export function createSignInGuard(parts: GuardParts): SignInGuard {
  const pairKey = (email: string, address: string) =>
    `${email.trim().toLowerCase()}|${addressBucket(address)}`;
  return {
    async admit(email, address, now = Date.now()) {
      // Cheapest and most specific first: a guesser in backoff spends neither budget below.
      const streak = await parts.streaks.get(pairKey(email, address), now);
      if (streak) {
        const until = streak.lastFailureAt + backoffSeconds(streak.failures) * 1000;
        if (until > now) return { reason: 'backoff', retryAfterSeconds: Math.ceil((until - now) / 1000) };
      }
      const byAddress = await parts.perAddress.limit(addressBucket(address), 'anonymous');
      if (!byAddress.success)
        return { reason: 'address', retryAfterSeconds: retryAfter(byAddress.reset, now) };
      const overall = await parts.global.limit('all', 'anonymous');
      if (!overall.success) return { reason: 'global', retryAfterSeconds: retryAfter(overall.reset, now) };
      return null;
    },
    async settle(email, address, succeeded, now = Date.now()) {
      const key = pairKey(email, address);
      if (succeeded) await parts.streaks.clear(key);
      else await parts.streaks.recordFailure(key, now);
    },
  };
}

const KEY = Symbol.for('svgai.auth.signInGuard');

/** The process-wide guard: limits and streaks in Redis / Upstash when configured, so instances agree. */
export function getSignInGuard(): SignInGuard {
  const holder = globalThis as { [KEY]?: SignInGuard };
  if (!holder[KEY]) {
    const { redis } = getConfig();
    const shared = {
      redisUrl: redis.url,
      upstash:
        redis.upstashUrl && redis.upstashToken
          ? { url: redis.upstashUrl, token: redis.upstashToken }
          : undefined,
    };
    holder[KEY] = createSignInGuard({
      global: createRateLimiter({
        anonymous: GLOBAL_ATTEMPTS_PER_MINUTE,
        apiKey: 0,
        windowSeconds: 60,
        prefix: 'svgai:signin:all',
        ...shared,
      }),
      perAddress: createRateLimiter({
        anonymous: ADDRESS_ATTEMPTS,
        apiKey: 0,
        windowSeconds: ADDRESS_WINDOW_SECONDS,
        prefix: 'svgai:signin:addr',
        ...shared,
      }),
      streaks: redis.url ? createRedisStreakStore(redis.url) : createMemoryStreakStore(),
    });
  }
  return holder[KEY];
}

/** Sign-ups per address per hour, and over the whole service per hour (each creates an account and a hash). */
const SIGN_UPS_PER_ADDRESS_PER_HOUR = 5;
const SIGN_UPS_PER_HOUR = 200;
const SIGN_UP_KEY = Symbol.for('svgai.auth.signUpLimits');

/** Null when a sign-up from `address` may go ahead, else seconds to wait. */
export async function admitSignUp(
  address: string,
  limits: { perAddress: RateLimiter; global: RateLimiter } = getSignUpLimits(),
  now = Date.now(),
): Promise<number | null> {
  const byAddress = await limits.perAddress.limit(addressBucket(address), 'anonymous');
  if (!byAddress.success) return retryAfter(byAddress.reset, now);
  const overall = await limits.global.limit('all', 'anonymous');
  if (!overall.success) return retryAfter(overall.reset, now);
  return null;
}

function getSignUpLimits(): { perAddress: RateLimiter; global: RateLimiter } {
  const holder = globalThis as { [SIGN_UP_KEY]?: { perAddress: RateLimiter; global: RateLimiter } };
  if (!holder[SIGN_UP_KEY]) {
    const { redis } = getConfig();
    const base = { apiKey: 0, windowSeconds: 3600, redisUrl: redis.url };
    holder[SIGN_UP_KEY] = {
      perAddress: createRateLimiter({
        ...base,
        anonymous: SIGN_UPS_PER_ADDRESS_PER_HOUR,
        prefix: 'svgai:signup:addr',
      }),
      global: createRateLimiter({ ...base, anonymous: SIGN_UPS_PER_HOUR, prefix: 'svgai:signup:all' }),
    };
  }
  return holder[SIGN_UP_KEY];
}
