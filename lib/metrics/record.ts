/** Small recording helpers the API wrapper, router, cache and model loader call; they never throw. */
import { getMetrics } from './registry';
import { getRecentWindow } from './recent-window';

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Metrics must never break a request.
  }
}

/** Once per HTTP request, with the route template (not the raw URL, to keep label cardinality bounded). */
export function recordHttpRequest(route: string, method: string, status: number, ms: number): void {
  safely(() => {
    const m = getMetrics();
    const labels = { route, method: method.toUpperCase(), status: String(status) };
    m.httpRequests.inc(labels);
    m.httpDuration.observe(labels, ms / 1000);
    getRecentWindow().recordRequest(ms, status);
  });
}

/** Once per finished conversion; `ssim` null when quality was not measured. */
export function recordConversion(
  type: string,
  tier: number | string,
  ssim: number | null | undefined,
  ms: number,
): void {
  safely(() => {
    const m = getMetrics();
    const labels = { type, tier: String(tier) };
    m.conversions.inc(labels);
    m.conversionDuration.observe(labels, ms / 1000);
    if (typeof ssim === 'number' && Number.isFinite(ssim)) m.conversionQuality.observe({ type }, ssim);
    getRecentWindow().recordConversion();
  });
}

export function recordCacheHit(cache = 'default'): void {
  safely(() => {
    getMetrics().cacheHits.inc({ cache });
    getRecentWindow().recordCache(true);
  });
}

export function recordCacheMiss(cache = 'default'): void {
  safely(() => {
    getMetrics().cacheMisses.inc({ cache });
    getRecentWindow().recordCache(false);
  });
}

export function recordInference(model: string, ms: number): void {
  safely(() => getMetrics().inference.observe({ model }, ms / 1000));
}

export function recordError(kind: string): void {
  safely(() => getMetrics().errors.inc({ kind }));
}

export function setQueueDepth(depth: number): void {
  safely(() => getMetrics().queueDepth.set(depth));
}

/** Wrap a handler so the in-flight gauge counts it; returns whatever the handler returns. */
export async function trackInFlight<T>(fn: () => Promise<T>): Promise<T> {
  const state = getMetrics().state;
  state.inFlight += 1;
  try {
    return await fn();
  } finally {
    state.inFlight -= 1;
  }
}

/** For callers that cannot wrap (streaming responses): pair every begin with one end. */
export function beginInFlight(): () => void {
  const state = getMetrics().state;
  state.inFlight += 1;
  let done = false;
  return () => {
    if (!done) state.inFlight -= 1;
    done = true;
  };
}

export function inFlightRequests(): number {
  return getMetrics().state.inFlight;
}

/** A rate-limit decision taken by this process alone while the shared store was unreachable. */
export function recordRateLimitFallback(): void {
  safely(() => getMetrics().rateLimitFallbacks.inc());
}

/** An upload refused before its body was read: `queue-full` or `upload-memory`. */
export function recordShedRequest(reason: 'queue-full' | 'upload-memory'): void {
  safely(() => getMetrics().shedRequests.inc({ reason }));
}

/** One batch job finished in this process (lib/batch). */
export function recordBatchJob(outcome: 'done' | 'failed' | 'cancelled'): void {
  getMetrics().batchJobs.inc({ outcome });
}
