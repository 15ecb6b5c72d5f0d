/**
 * A conversion as the web process runs it: hash the input once, answer from the shared result cache, or convert on
 * the worker pool and cache the result. The request was parsed at the edge and travels on unchanged.
 */
import { createHash } from 'node:crypto';
import { modelDigests } from '@/lib/ai/models';
import type { ConversionRequest } from '@/lib/ai/request';
import type { RoutedResult } from '@/lib/ai/types';
import { getResultCache, type ResultCache } from '@/lib/cache';
import type { StageListener } from '@/lib/vectorize/conversion-stage';
import { getConvertPool, type ConvertPool } from '@/lib/worker-pool';
import { cacheKey } from './cache-key';

export type CachedConversion = {
  result: RoutedResult;
  /** SHA-256 of the input bytes (hex): the history records it. */
  inputHash: string;
};

export type ConversionServices = {
  pool?: () => ConvertPool;
  cache?: () => ResultCache<RoutedResult>;
};

/**
 * Converts `image` as `request` asks; rejects like ConvertPool.convert (overloaded, aborted, conversion errors).
 * A cache hit comes back with `cached: true` and no inference timings (no model ran for it).
 */
export async function convertWithCache(
  image: Buffer,
  request: ConversionRequest,
  signal: AbortSignal | undefined,
  services: ConversionServices = {},
  onStage?: StageListener,
): Promise<CachedConversion> {
  const inputHash = createHash('sha256').update(image).digest('hex');
  const cache = (services.cache ?? getResultCache<RoutedResult>)();
  const key = cacheKey(inputHash, request, await modelDigests());
  const hit = await cache.get(key);
  if (hit) return { result: { ...hit, cached: true, inferenceMs: undefined }, inputHash };
  const result = await (services.pool ?? getConvertPool)().convert(image, request, signal, onStage);
  await cache.set(key, result);
  return { result, inputHash };
}
