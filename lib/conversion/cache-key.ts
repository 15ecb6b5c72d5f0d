/** The result cache key of one conversion: what was converted, how it was asked for, and which models chose. */
import { createHash } from 'node:crypto';
import type { ConversionRequest } from '@/lib/ai/request';

/**
 * The input's hash, the request and the digests of the two models, so a retrained model never serves results its
 * predecessor chose (the version counts changes of the routing code itself).
 */
export function cacheKey(inputHash: string, request: ConversionRequest, modelDigests: string[]): string {
  // every field of the request counts (palette control and any option added later), in a stable key order
  const opts = {
    ...sortKeys(request),
    skipQuality: request.skipQuality ?? false,
    // a result that passed loose limits must not be served to a caller with tighter ones
    limits: request.limits ?? null,
    models: modelDigests,
  };
  // v2: tier 2 falls back to the class defaults and tier 3 aims higher, so v1 results are not what we would return;
  // v3: tier 3 may trace sub-pixel edges; v4: tier 2 converts once (no class-defaults fallback);
  // v5: gradient's tier-1 defaults changed, and the models' digests joined the options; v6: the whole request
  return `route:v6:${inputHash}:${createHash('sha256').update(JSON.stringify(opts)).digest('hex').slice(0, 16)}`;
}

/** `value` with every object's keys sorted and undefined members dropped, so equal requests serialize equally. */
function sortKeys(value: unknown): Record<string, unknown> {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, sort(x)]),
    );
  };
  return sort(value) as Record<string, unknown>;
}
