import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskCache } from './disk-cache';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'svgai-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('DiskCache', () => {
  it('keeps entries across instances (restarts)', async () => {
    const a = new DiskCache<{ svg: string }>(path.join(dir, 'c'), { ttlSeconds: 0, maxEntries: 10 });
    await a.set('img:1/../x', { svg: '<svg/>' });
    const b = new DiskCache<{ svg: string }>(path.join(dir, 'c'), { ttlSeconds: 0, maxEntries: 10 });
    expect(await b.get('img:1/../x')).toEqual({ svg: '<svg/>' });
    expect(await b.get('other')).toBeUndefined();
    expect(b.stats()).toMatchObject({ type: 'disk', hits: 1, misses: 1 });
    // key characters never reach the file system
    expect((await readdir(path.join(dir, 'c'))).every((n) => /^[0-9a-f]{64}\.json$/.test(n))).toBe(true);
  });

  it('treats expired entries as misses', async () => {
    const c = new DiskCache<number>(dir, { ttlSeconds: 1, maxEntries: 10 });
    await c.set('k', 1);
    expect(await c.get('k')).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await c.get('k')).toBeUndefined();
  });

  it('evicts down to maxEntries', async () => {
    const c = new DiskCache<number>(dir, { ttlSeconds: 0, maxEntries: 3 });
    for (let i = 0; i < 8; i++) await c.set(`k${i}`, i);
    await c.evict();
    expect((await readdir(dir)).filter((n) => n.endsWith('.json'))).toHaveLength(3);
  });
});
