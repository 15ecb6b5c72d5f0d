/** The result cache key of one conversion: what was converted, how it was asked for, and which models chose. */
import { createHash } from 'node:crypto';
import type { ConversionRequest } from '@/lib/ai/request';

/**
 * The input's hash, the request and the digests of the two models, so a retrained model never serves results its
 * predecessor chose (the version counts changes of the routing code itself).
 */
export function cacheKey(inputHash: string, request: ConversionRequest, modelDigests: string[]): string {
  const params = request.params
    ? Object.fromEntries(Object.entries(request.params).sort(([a], [b]) => a.localeCompare(b)))
    : undefined;
  const opts = {
    mode: request.mode,
    params,
    quality: request.quality,
    targetSsim: request.targetSsim,
    timeBudgetMs: request.timeBudgetMs,
    skipQuality: request.skipQuality ?? false,
    // a result that passed loose limits must not be served to a caller with tighter ones
    limits: request.limits ?? null,
    models: modelDigests,
  };
  // v2: tier 2 falls back to the class defaults and tier 3 aims higher, so v1 results are not what we would return;
  // v3: tier 3 may trace sub-pixel edges; v4: tier 2 converts once (no class-defaults fallback);
  // v5: gradient's tier-1 defaults changed, and the models' digests joined the options
  return `route:v5:${inputHash}:${createHash('sha256').update(JSON.stringify(opts)).digest('hex').slice(0, 16)}`;
}
