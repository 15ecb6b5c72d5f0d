/** File-per-entry cache under a folder: survives restarts, shared by processes on one machine. */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CacheOptions, CacheStats, ResultCache } from './types';

type Stored<T> = { expiresAt: number; value: T };

export class DiskCache<T> implements ResultCache<T> {
  private readonly counters = { hits: 0, misses: 0, sets: 0 };
  private ready: Promise<unknown> | undefined;
  private setsSinceSweep = 0;

  constructor(
    private readonly dir: string,
    private readonly options: CacheOptions,
  ) {}

  private fileOf(key: string): string {
    // hashed names: keys may hold any characters, and the folder stays flat and safe
    return path.join(this.dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  }

  async get(key: string): Promise<T | undefined> {
    const file = this.fileOf(key);
    try {
      const stored = JSON.parse(await readFile(file, 'utf8')) as Stored<T>;
      if (stored.expiresAt > 0 && stored.expiresAt <= Date.now()) {
        await rm(file, { force: true });
      } else {
        this.counters.hits++;
        const now = new Date();
        await utimes(file, now, now).catch(() => undefined);
        return stored.value;
      }
    } catch {
      // missing or unreadable (half-written by a crashed process): a miss either way
    }
    this.counters.misses++;
    return undefined;
  }

  async set(key: string, value: T): Promise<void> {
    this.ready ??= mkdir(this.dir, { recursive: true });
    await this.ready;
    const file = this.fileOf(key);
    const ttl = this.options.ttlSeconds;
    const body: Stored<T> = { expiresAt: ttl > 0 ? Date.now() + ttl * 1000 : 0, value };
    // write then rename, so readers never see a partial file
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, JSON.stringify(body));
    await rename(tmp, file);
    this.counters.sets++;
    if (++this.setsSinceSweep >= Math.max(1, Math.min(100, Math.floor(this.options.maxEntries / 10)))) {
      this.setsSinceSweep = 0;
      await this.evict();
    }
  }

  /** Deletes the least recently used files beyond maxEntries (run every few sets, not on each). */
  async evict(): Promise<void> {
    const names = (await readdir(this.dir)).filter((n) => n.endsWith('.json'));
    if (names.length <= this.options.maxEntries) return;
    const withTimes = await Promise.all(
      names.map(async (n) => {
        const s = await stat(path.join(this.dir, n)).catch(() => null);
        return { n, t: s ? s.mtimeMs : 0 };
      }),
    );
    withTimes.sort((a, b) => a.t - b.t || a.n.localeCompare(b.n));
    const excess = withTimes.slice(0, withTimes.length - this.options.maxEntries);
    await Promise.all(excess.map(({ n }) => rm(path.join(this.dir, n), { force: true })));
  }

  stats(): CacheStats {
    return { type: 'disk', ...this.counters };
  }

  async close(): Promise<void> {}
}
