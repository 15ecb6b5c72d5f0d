/** Redis-backed cache (ioredis): shared by every replica; expiry by Redis TTL, size bounded by Redis's own policy. */
import { Redis } from 'ioredis';
import type { CacheOptions, CacheStats, ResultCache } from './types';

export class RedisCache<T> implements ResultCache<T> {
  private readonly counters = { hits: 0, misses: 0, sets: 0, errors: 0 };
  private readonly client: Redis;

  constructor(
    url: string,
    private readonly options: CacheOptions,
    private readonly prefix = 'svgai:cache:',
  ) {
    // fail fast instead of queueing forever: a cache outage must only cost a cache miss
    this.client = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    this.client.on('error', () => {
      this.counters.errors++;
    });
  }

  private async connected(): Promise<void> {
    if (this.client.status === 'wait') await this.client.connect();
  }

  async get(key: string): Promise<T | undefined> {
    try {
      await this.connected();
      const raw = await this.client.get(this.prefix + key);
      if (raw !== null) {
        this.counters.hits++;
        return JSON.parse(raw) as T;
      }
    } catch {
      this.counters.errors++;
    }
    this.counters.misses++;
    return undefined;
  }

  async set(key: string, value: T): Promise<void> {
    try {
      await this.connected();
      const body = JSON.stringify(value);
      if (this.options.ttlSeconds > 0)
        await this.client.set(this.prefix + key, body, 'EX', this.options.ttlSeconds);
      else await this.client.set(this.prefix + key, body);
      this.counters.sets++;
    } catch {
      this.counters.errors++;
    }
  }

  stats(): CacheStats & { errors: number } {
    return { type: 'redis', ...this.counters };
  }

  /** For tests and maintenance: deletes every key under this cache's prefix. */
  async clear(): Promise<void> {
    await this.connected();
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 200);
      if (keys.length > 0) await this.client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
