/** Throttles password guessing: a few sign-in attempts per email and client address per window. */
import { getConfig } from '@/lib/config';
import { createRateLimiter, type RateLimiter } from '@/lib/rate-limit';

export const SIGN_IN_ATTEMPTS = 10;
const SIGN_IN_WINDOW_SECONDS = 15 * 60;

export class TooManySignInAttemptsError extends Error {
  /** Earliest moment the limiter may allow again (a lower bound). */
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    // The sliding window keeps counting part of the previous window after `reset`, so promise no exact time.
    super('Too many sign-in attempts: wait a few minutes, then try again.');
    this.name = 'TooManySignInAttemptsError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

const KEY = Symbol.for('svgai.auth.signInLimiter');

/** Shares Redis / Upstash with the API limits when configured, so every instance counts the same attempts. */
function getSignInLimiter(): RateLimiter {
  const holder = globalThis as { [KEY]?: RateLimiter };
  if (!holder[KEY]) {
    const config = getConfig();
    holder[KEY] = createRateLimiter({
      anonymous: SIGN_IN_ATTEMPTS,
      apiKey: 0,
      windowSeconds: SIGN_IN_WINDOW_SECONDS,
      prefix: 'svgai:signin',
      redisUrl: config.redis.url,
      upstash:
        config.redis.upstashUrl && config.redis.upstashToken
          ? { url: config.redis.upstashUrl, token: config.redis.upstashToken }
          : undefined,
    });
  }
  return holder[KEY];
}

/**
 * Counts one attempt for this email from this address; throws TooManySignInAttemptsError past the limit.
 * Keyed by both, so a guesser cannot lock a user out from everywhere, yet one address cannot hammer one account.
 */
export async function countSignInAttempt(
  email: string,
  clientAddress: string,
  limiter: RateLimiter = getSignInLimiter(),
  now = Date.now(),
): Promise<void> {
  const id = `${email.trim().toLowerCase()}|${clientAddress || 'unknown'}`;
  const decision = await limiter.limit(id, 'anonymous');
  if (!decision.success) throw new TooManySignInAttemptsError(Math.max(0, (decision.reset - now) / 1000));
}
