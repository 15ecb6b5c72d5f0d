import { describe, expect, it } from 'vitest';
import { MemoryCache } from './memory-cache';

describe('MemoryCache', () => {
  it('returns what was set and counts hits and misses', async () => {
    const c = new MemoryCache<{ n: number }>({ ttlSeconds: 0, maxEntries: 10 });
    expect(await c.get('a')).toBeUndefined();
    await c.set('a', { n: 1 });
    expect(await c.get('a')).toEqual({ n: 1 });
    expect(c.stats()).toEqual({ type: 'memory', hits: 1, misses: 1, sets: 1, entries: 1 });
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
