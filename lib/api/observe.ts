/** Logging and metrics hooks of the API wrapper: one log line and one metrics sample per request. */
import { getConfig } from '@/lib/config';
import { logRequest } from '@/lib/log';
import {
  recordCacheHit,
  recordCacheMiss,
  recordError,
  recordHttpRequest,
  recordInference,
} from '@/lib/metrics';

export type RequestEvent = {
  requestId: string;
  route: string;
  method: string;
  status: number;
  durationMs: number;
  /** Problem type for 4xx/5xx answers. */
  errorKind?: string;
  /** Set for 500 responses: the original error, logged with its stack, never sent to the client. */
  error?: unknown;
  userAgent?: string;
  conversion?: {
    imageType: string;
    tier: number;
    ssim?: number;
    bytes: number;
    cached: boolean;
    /** Model inference ms per model, measured in the worker thread that converted. */
    inferenceMs?: Partial<Record<string, number>>;
  };
};

export function observeRequest(event: RequestEvent): void {
  const { conversion, ...rest } = event;
  const { inferenceMs, ...logged } = conversion ?? {};
  logRequest({ ...rest, ...logged });
  for (const [model, ms] of Object.entries(inferenceMs ?? {}))
    if (ms !== undefined) recordInference(model, ms);
  recordHttpRequest(event.route, event.method, event.status, event.durationMs);
  if (event.errorKind) recordError(event.errorKind);
  // Each result says whether the result cache (before the pool, lib/conversion) answered it.
  if (conversion) (conversion.cached ? recordCacheHit : recordCacheMiss)(getConfig().cache.type);
}
