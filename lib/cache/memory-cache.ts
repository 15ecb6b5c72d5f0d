/** In-process LRU cache with TTL: the default backend, lost on restart and not shared between replicas. */
import type { CacheOptions, CacheStats, ResultCache } from './types';

export class MemoryCache<T> implements ResultCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();
  private readonly counters = { hits: 0, misses: 0, sets: 0 };

  constructor(
    private readonly options: CacheOptions,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<T | undefined> {
    const e = this.entries.get(key);
    if (!e || (e.expiresAt > 0 && e.expiresAt <= this.now())) {
      if (e) this.entries.delete(key);
      this.counters.misses++;
      return undefined;
    }
    // re-insert so Map order doubles as recency order
    this.entries.delete(key);
    this.entries.set(key, e);
    this.counters.hits++;
    return e.value;
  }

  async set(key: string, value: T): Promise<void> {
    this.entries.delete(key);
    const ttl = this.options.ttlSeconds;
    this.entries.set(key, { value, expiresAt: ttl > 0 ? this.now() + ttl * 1000 : 0 });
    this.counters.sets++;
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  stats(): CacheStats {
    return { type: 'memory', ...this.counters, entries: this.entries.size };
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
