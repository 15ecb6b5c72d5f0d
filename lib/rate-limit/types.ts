/** Shapes shared by the rate-limit backends. */

export type LimitDecision = {
  success: boolean;
  limit: number;
  remaining: number;
  /** Epoch milliseconds when the window resets. */
  reset: number;
  /** Counted by this process alone because the shared store (Redis, Upstash) is unreachable. */
  degraded?: boolean;
};

export type CallerClass = 'anonymous' | 'apiKey';

export type RateLimiter = {
  readonly backend: 'upstash' | 'redis' | 'memory';
  /** Counts one request for `identifier`; `success: false` means refuse it. */
  limit(identifier: string, callerClass: CallerClass): Promise<LimitDecision>;
  close(): Promise<void>;
};
