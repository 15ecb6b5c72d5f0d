import { describe, expect, it } from 'vitest';
import { MemoryCache } from './memory-cache';

describe('MemoryCache', () => {
  it('returns what was set and counts hits and misses', async () => {
    const c = new MemoryCache<{ n: number }>({ ttlSeconds: 0, maxEntries: 10 });
    expect(await c.get('a')).toBeUndefined();
    await c.set('a', { n: 1 });
    expect(await c.get('a')).toEqual({ n: 1 });
    expect(c.stats()).toEqual({ type: 'memory', hits: 1, misses: 1, sets: 1, entries: 1, bytes: 7 });
  });

  it('expires entries after the TTL', async () => {
    let now = 1_000_000;
    const c = new MemoryCache<string>({ ttlSeconds: 60, maxEntries: 10 }, () => now);
    await c.set('k', 'v');
    now += 59_000;
    expect(await c.get('k')).toBe('v');
    now += 2_000;
    expect(await c.get('k')).toBeUndefined();
    expect(c.stats().entries).toBe(0);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const c = new MemoryCache<number>({ ttlSeconds: 0, maxEntries: 2 });
    await c.set('a', 1);
    await c.set('b', 2);
    await c.get('a'); // a is now more recent than b
    await c.set('c', 3);
    expect(await c.get('b')).toBeUndefined();
    expect(await c.get('a')).toBe(1);
    expect(await c.get('c')).toBe(3);
  });
});

describe('memory cache byte bound', () => {
  it('evicts the least recently used past maxBytes and never keeps a value larger than it', async () => {
    const cache = new MemoryCache<string>(
      { ttlSeconds: 0, maxEntries: 100, maxBytes: 10 },
      Date.now,
      (v) => v.length,
    );
    await cache.set('a', 'aaaa');
    await cache.set('b', 'bbbb');
    await cache.get('a');
    await cache.set('c', 'cccc'); // 12 bytes: b, the least recently used, goes
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBe('aaaa');
    expect(await cache.get('c')).toBe('cccc');
    await cache.set('huge', 'x'.repeat(11));
    expect(await cache.get('huge')).toBeUndefined();
    expect(cache.stats()).toMatchObject({ entries: 2, bytes: 8 });
    await cache.set('a', 'a'); // replacing counts the new size only
    expect(cache.stats().bytes).toBe(5);
  });
});
