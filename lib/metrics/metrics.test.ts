import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import {
  getMetrics,
  recordCacheHit,
  recordCacheMiss,
  recordConversion,
  recordError,
  recordHttpRequest,
  recordInference,
  registerMetricsProvider,
  renderMetrics,
  RecentWindow,
  trackInFlight,
} from './index';

let lastBody = '';
async function scrape(): Promise<Map<string, PromFamily>> {
  const { body, contentType } = await renderMetrics();
  expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  lastBody = body;
  return new Map(parsePrometheusTextFormat(body).map((f) => [f.name, f]));
}

/** The parser folds a labelled histogram into one bucket map (fine with one label set) and drops _sum/_count. */
function histogramTotals(name: string, labelText: string): { sum: number; count: number } {
  const grab = (suffix: string) =>
    Number(new RegExp(`^${name}_${suffix}\\{${labelText}\\} (\\S+)$`, 'm').exec(lastBody)?.[1]);
  return { sum: grab('sum'), count: grab('count') };
}

const sample = (f: PromFamily | undefined, labels: Record<string, string>) =>
  f?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));

describe('Prometheus metrics', () => {
  it('keeps one registry across module reloads', async () => {
    const again = await import('./registry?reload=1' as string).catch(() => null);
    expect(getMetrics()).toBe(getMetrics());
    if (again) expect(again.getMetrics()).toBe(getMetrics());
  });

  it('exposes every recorded figure in a parseable text format', async () => {
    getMetrics().registry.resetMetrics();
    recordHttpRequest('/api/v1/convert', 'post', 200, 120);
    recordHttpRequest('/api/v1/convert', 'POST', 415, 4);
    recordConversion('text', 2, 0.962, 110);
    recordCacheHit('memory');
    recordCacheMiss('memory');
    recordCacheMiss('memory');
    recordInference('classifier', 1.5);
    recordError('unsupported_type');
    registerMetricsProvider('queueDepth', () => 7);
    registerMetricsProvider('readiness', async () => true);
    let inFlightDuringRequest: string | undefined;
    await trackInFlight(async () => {
      inFlightDuringRequest = sample((await scrape()).get('svgai_http_requests_in_flight'), {})?.value;
    });
    expect(inFlightDuringRequest).toBe('1');

    const fams = await scrape();
    expect(
      sample(fams.get('svgai_http_requests_total'), {
        route: '/api/v1/convert',
        method: 'POST',
        status: '200',
      })?.value,
    ).toBe('1');
    expect(sample(fams.get('svgai_http_requests_total'), { status: '415' })?.value).toBe('1');
    expect(fams.get('svgai_http_request_duration_seconds')?.type).toBe('HISTOGRAM');
    const ok = histogramTotals(
      'svgai_http_request_duration_seconds',
      'route="/api/v1/convert",method="POST",status="200"',
    );
    expect(ok.sum).toBeCloseTo(0.12, 5);
    expect(ok.count).toBe(1);
    expect(sample(fams.get('svgai_conversions_total'), { type: 'text', tier: '2' })?.value).toBe('1');
    const q = fams.get('svgai_conversion_quality_ssim')?.metrics[0];
    expect(q?.buckets?.['0.975']).toBe('1');
    expect(q?.buckets?.['0.95']).toBe('0');
    expect(histogramTotals('svgai_conversion_quality_ssim', 'type="text"')).toEqual({ sum: 0.962, count: 1 });
    const conv = fams.get('svgai_conversion_duration_seconds')?.metrics[0];
    expect(conv?.buckets?.['0.25']).toBe('1');
    expect(conv?.buckets?.['0.1']).toBe('0');
    expect(sample(fams.get('svgai_cache_hits_total'), { cache: 'memory' })?.value).toBe('1');
    expect(sample(fams.get('svgai_cache_misses_total'), { cache: 'memory' })?.value).toBe('2');
    expect(histogramTotals('svgai_model_inference_duration_seconds', 'model="classifier"').count).toBe(1);
    expect(sample(fams.get('svgai_errors_total'), { kind: 'unsupported_type' })?.value).toBe('1');
    expect(sample(fams.get('svgai_queue_depth'), {})?.value).toBe('7');
    expect(sample(fams.get('svgai_ready'), {})?.value).toBe('1');
    expect(sample(fams.get('svgai_http_requests_in_flight'), {})?.value).toBe('0');
    // Node's default metrics are there too.
    expect(fams.has('process_cpu_user_seconds_total')).toBe(true);
    expect(fams.has('nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('never throws from a recorder, and a conversion without quality adds no SSIM sample', async () => {
    expect(() => recordConversion('simple', 1, Number.NaN, -1)).not.toThrow();
    await scrape();
    expect(histogramTotals('svgai_conversion_duration_seconds', 'type="simple",tier="1"').count).toBe(1);
    expect(lastBody).not.toMatch(/svgai_conversion_quality_ssim_count\{type="simple"\}/);
  });
});

describe('cache statistics provider', () => {
  it("turns the cache's own cumulative hit/miss counts into Prometheus counters", async () => {
    const stats = { type: 'redis', hits: 3, misses: 1 };
    registerMetricsProvider('cacheStats', () => stats);
    let fams = await scrape();
    const before = Number(sample(fams.get('svgai_cache_hits_total'), { cache: 'redis' })?.value ?? 0);
    stats.hits = 10;
    stats.misses = 4;
    fams = await scrape();
    expect(Number(sample(fams.get('svgai_cache_hits_total'), { cache: 'redis' })?.value) - before).toBe(7);
    fams = await scrape();
    expect(Number(sample(fams.get('svgai_cache_hits_total'), { cache: 'redis' })?.value) - before).toBe(7);
    expect(sample(fams.get('svgai_cache_misses_total'), { cache: 'redis' })?.value).toBeDefined();
  });
});

describe('recent window', () => {
  it('computes rates, nearest-rank percentiles, error and cache hit rates over the window', () => {
    let now = 1_000_000;
    const w = new RecentWindow(() => now);
    for (let i = 1; i <= 100; i++) {
      w.recordRequest(i, i % 10 === 0 ? 500 : 200);
      now += 100;
    }
    w.recordCache(true);
    w.recordCache(false);
    w.recordCache(false);
    w.recordCache(true);
    const s = w.summarize(60);
    expect(s.requests).toBe(100);
    expect(s.requestsPerSecond).toBeCloseTo(100 / 60, 5);
    expect(s.latencyMs).toEqual({ p50: 50, p95: 95, p99: 99 });
    expect(s.errorRate).toBeCloseTo(0.1, 5);
    expect(s.cacheHitRate).toBe(0.5);
    expect(s.series.reduce((n, b) => n + b.requests, 0)).toBe(100);
    now += 120_000;
    expect(w.summarize(60).requests).toBe(0);
    expect(w.summarize(60).latencyMs.p50).toBeNull();
  });
});
