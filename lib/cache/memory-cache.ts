/**
 * In-process LRU cache with TTL, bounded by entries and by bytes: the default backend, lost on restart and not
 * shared between replicas.
 */
import type { CacheOptions, CacheStats, ResultCache } from './types';

type Entry<T> = { value: T; expiresAt: number; bytes: number };

export class MemoryCache<T> implements ResultCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly counters = { hits: 0, misses: 0, sets: 0 };
  private bytes = 0;

  constructor(
    private readonly options: CacheOptions,
    private readonly now: () => number = Date.now,
    /** A value's size in bytes (default: its JSON length, what the other backends store too). */
    private readonly sizeOf: (value: T) => number = (v) => JSON.stringify(v)?.length ?? 0,
  ) {}

  private remove(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.bytes;
  }

  async get(key: string): Promise<T | undefined> {
    const e = this.entries.get(key);
    if (!e || (e.expiresAt > 0 && e.expiresAt <= this.now())) {
      if (e) this.remove(key);
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
    this.remove(key);
    const maxBytes = this.options.maxBytes ?? Infinity;
    const bytes = this.sizeOf(value);
    if (bytes > maxBytes) return;
    const ttl = this.options.ttlSeconds;
    this.entries.set(key, { value, expiresAt: ttl > 0 ? this.now() + ttl * 1000 : 0, bytes });
    this.bytes += bytes;
    this.counters.sets++;
    while (this.entries.size > this.options.maxEntries || this.bytes > maxBytes) {
      this.remove(this.entries.keys().next().value as string);
    }
  }

  stats(): CacheStats & { bytes: number } {
    return { type: 'memory', ...this.counters, entries: this.entries.size, bytes: this.bytes };
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.bytes = 0;
  }
}
