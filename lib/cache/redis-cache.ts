/** Redis-backed cache (ioredis): shared by every replica; expiry by Redis TTL, size bounded by Redis's own policy. */
import type { Redis } from 'ioredis';
import { getRedis } from '@/lib/redis/client';
import type { CacheOptions, CacheStats, ResultCache } from './types';

export class RedisCache<T> implements ResultCache<T> {
  private readonly counters = { hits: 0, misses: 0, sets: 0, errors: 0 };

  constructor(
    private readonly url: string,
    private readonly options: CacheOptions,
    private readonly prefix = 'svgai:cache:',
  ) {}

  /** Commands on the shared connection (lib/redis), whose breaker fails fast: an outage only costs a miss. */
  private run<R>(commands: (client: Redis) => Promise<R>): Promise<R> {
    return getRedis(this.url).run(commands);
  }

  async get(key: string): Promise<T | undefined> {
    try {
      const raw = await this.run((c) => c.get(this.prefix + key));
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
      const body = JSON.stringify(value);
      const ttl = this.options.ttlSeconds;
      await this.run((c) =>
        ttl > 0 ? c.set(this.prefix + key, body, 'EX', ttl) : c.set(this.prefix + key, body),
      );
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
    const client = await getRedis(this.url).ready();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 200);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  /** Nothing of its own to release: the connection belongs to lib/redis, closed at shutdown. */
  async close(): Promise<void> {}
}
