/** Metrics entry point: recording helpers for the API, router, cache and models; rendering for /api/metrics. */
export {
  beginInFlight,
  recordBatchJob,
  inFlightRequests,
  recordCacheHit,
  recordCacheMiss,
  recordConversion,
  recordError,
  recordHttpRequest,
  recordInference,
  recordRateLimitFallback,
  recordShedRequest,
  setQueueDepth,
  trackInFlight,
} from './record';
export { getMetrics, registerMetricsProvider, renderMetrics, type Metrics } from './registry';
export { getRecentWindow, percentile, RecentWindow, type WindowSummary } from './recent-window';
export { startMetricsServer } from './metrics-server';
