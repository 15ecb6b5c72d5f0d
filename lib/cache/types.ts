/** The one cache interface behind every backend (memory, disk, redis): JSON values under string keys, with counters. */

export type CacheStats = {
  type: 'none' | 'memory' | 'disk' | 'redis';
  hits: number;
  misses: number;
  sets: number;
  /** Entries held, where the backend can count them cheaply. */
  entries?: number;
};

export interface ResultCache<T> {
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T): Promise<void>;
  stats(): CacheStats;
  /** Releases connections or timers; the cache is unusable afterwards. */
  close(): Promise<void>;
}

export type CacheOptions = {
  /** Seconds an entry stays valid; 0 = no expiry. */
  ttlSeconds: number;
  /** Most entries kept (memory and disk evict the least recently used). */
  maxEntries: number;
  /**
   * Most bytes of values the memory cache holds (their JSON length); least recently used go first, and a value
   * larger than this is not kept at all. Entry counts alone let a few huge results hold hundreds of MB.
   */
  maxBytes?: number;
};
