/** In-process rolling window of recent requests and conversions, for the ops page's rates, percentiles and charts. */

const BUCKET_MS = 10_000;
const KEEP_BUCKETS = 180; // 30 minutes of 10 s buckets
const MAX_SAMPLES = 5_000;

type Bucket = {
  start: number;
  requests: number;
  errors: number;
  conversions: number;
  cacheHits: number;
  cacheMisses: number;
  durations: number[];
};
type Sample = { at: number; ms: number };

export type WindowSummary = {
  windowSeconds: number;
  requests: number;
  requestsPerSecond: number;
  errorRate: number;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  cacheHitRate: number | null;
  series: { start: number; requests: number; errors: number; conversions: number; p95Ms: number | null }[];
};

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export class RecentWindow {
  private buckets: Bucket[] = [];
  private samples: Sample[] = [];

  constructor(private now: () => number = Date.now) {}

  private bucket(): Bucket {
    const start = Math.floor(this.now() / BUCKET_MS) * BUCKET_MS;
    let last = this.buckets[this.buckets.length - 1];
    if (!last || last.start !== start) {
      last = { start, requests: 0, errors: 0, conversions: 0, cacheHits: 0, cacheMisses: 0, durations: [] };
      this.buckets.push(last);
      const cutoff = start - KEEP_BUCKETS * BUCKET_MS;
      while (this.buckets.length && this.buckets[0].start < cutoff) this.buckets.shift();
    }
    return last;
  }

  recordRequest(ms: number, status: number): void {
    const b = this.bucket();
    b.requests += 1;
    if (status >= 500) b.errors += 1;
    if (b.durations.length < 2_000) b.durations.push(ms);
    this.samples.push({ at: this.now(), ms });
    if (this.samples.length > MAX_SAMPLES) this.samples.splice(0, this.samples.length - MAX_SAMPLES);
  }

  recordConversion(): void {
    this.bucket().conversions += 1;
  }

  recordCache(hit: boolean): void {
    const b = this.bucket();
    if (hit) b.cacheHits += 1;
    else b.cacheMisses += 1;
  }

  /** Rates and percentiles over the last `seconds`; the chart series covers the whole kept window. */
  summarize(seconds = 300): WindowSummary {
    const now = this.now();
    const since = now - seconds * 1000;
    const recent = this.samples
      .filter((s) => s.at >= since)
      .map((s) => s.ms)
      .sort((a, b) => a - b);
    const inWindow = this.buckets.filter((b) => b.start + BUCKET_MS > since);
    const requests = inWindow.reduce((n, b) => n + b.requests, 0);
    const errors = inWindow.reduce((n, b) => n + b.errors, 0);
    const hits = inWindow.reduce((n, b) => n + b.cacheHits, 0);
    const misses = inWindow.reduce((n, b) => n + b.cacheMisses, 0);
    return {
      windowSeconds: seconds,
      requests,
      requestsPerSecond: requests / seconds,
      errorRate: requests ? errors / requests : 0,
      latencyMs: { p50: percentile(recent, 50), p95: percentile(recent, 95), p99: percentile(recent, 99) },
      cacheHitRate: hits + misses ? hits / (hits + misses) : null,
      series: this.buckets.map((b) => ({
        start: b.start,
        requests: b.requests,
        errors: b.errors,
        conversions: b.conversions,
        p95Ms: percentile(
          [...b.durations].sort((x, y) => x - y),
          95,
        ),
      })),
    };
  }
}

const KEY = Symbol.for('svgai.metrics.recentWindow');

export function getRecentWindow(): RecentWindow {
  const holder = globalThis as { [KEY]?: RecentWindow };
  holder[KEY] ??= new RecentWindow();
  return holder[KEY];
}
