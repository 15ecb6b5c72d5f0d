/** Picks the result cache backend from config (CACHE_TYPE) and keeps one instance per process. */
import { getConfig } from '@/lib/config';
import { DiskCache } from './disk-cache';
import { MemoryCache } from './memory-cache';
import { RedisCache } from './redis-cache';
import type { CacheStats, ResultCache } from './types';

export { DiskCache } from './disk-cache';
export { MemoryCache } from './memory-cache';
export { RedisCache } from './redis-cache';
export type { CacheOptions, CacheStats, ResultCache } from './types';

/** A cache that stores nothing (CACHE_TYPE=none). */
class NoCache<T> implements ResultCache<T> {
  private misses = 0;
  async get(): Promise<T | undefined> {
    this.misses++;
    return undefined;
  }
  async set(): Promise<void> {}
  stats(): CacheStats {
    return { type: 'none', hits: 0, misses: this.misses, sets: 0 };
  }
  async close(): Promise<void> {}
}

const KEY = Symbol.for('svgai.result-cache');
type Holder = { [KEY]?: ResultCache<unknown> };

/** Builds the backend named by the configuration. */
function createCache<T>(): ResultCache<T> {
  const config = getConfig();
  const opts = {
    ttlSeconds: config.cache.ttlSeconds,
    maxEntries: config.cache.maxEntries,
    maxBytes: config.cache.maxBytes,
  };
  switch (config.cache.type) {
    case 'none':
      return new NoCache<T>();
    case 'disk':
      return new DiskCache<T>(config.cache.dir, opts);
    case 'redis':
      if (!config.redis.url) throw new Error('CACHE_TYPE=redis needs REDIS_URL (redis://host:6379)');
      return new RedisCache<T>(config.redis.url, opts);
    default:
      return new MemoryCache<T>(opts);
  }
}

/** The process-wide result cache (on globalThis so hot reload keeps its entries and connections). */
export function getResultCache<T>(): ResultCache<T> {
  const holder = globalThis as Holder;
  holder[KEY] ??= createCache<unknown>();
  return holder[KEY] as ResultCache<T>;
}

/** For tests: closes and forgets the process-wide cache. */
export async function resetResultCache(): Promise<void> {
  const holder = globalThis as Holder;
  const c = holder[KEY];
  delete holder[KEY];
  await c?.close();
}
