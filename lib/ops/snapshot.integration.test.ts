import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerServerChecks } from '@/lib/boot';
import { resetConfig } from '@/lib/config';
import { disconnectDb } from '@/lib/db/client';
import { recordConversion as storeConversion } from '@/lib/db/conversions';
import { createTestDatabase, type TestDatabase } from '@/test/support/test-databases';
import { recordCacheHit, recordCacheMiss, recordConversion, recordHttpRequest } from '@/lib/metrics';
import { collectOpsSnapshot } from './snapshot';

let db: TestDatabase;
const savedUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  db = await createTestDatabase('sqlite');
  process.env.DATABASE_URL = db.url;
  resetConfig();
  await disconnectDb();
  await registerServerChecks();
});

afterAll(async () => {
  await disconnectDb();
  await db.drop();
  if (savedUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedUrl;
  resetConfig();
});

const record = (type: string, tier: number, ssim: number) => ({
  inputHash: 'a'.repeat(63) + String(tier),
  inputBytes: 1234,
  width: 64,
  height: 64,
  type,
  confidence: 0.9,
  tier,
  mode: 'color' as const,
  params: {},
  ssim,
  psnr: 30,
  bytes: 800,
  paths: 3,
  durationMs: 40,
  svg: '<svg xmlns="http://www.w3.org/2000/svg"/>',
});

describe('ops snapshot', () => {
  it('combines health, live traffic and the history table', async () => {
    await storeConversion(record('simple', 1, 0.99), db.db);
    await storeConversion(record('simple', 2, 0.97), db.db);
    await storeConversion(record('text', 2, 0.95), db.db);
    recordHttpRequest('/api/v1/convert', 'POST', 200, 80);
    recordConversion('simple', 1, 0.99, 70);
    recordCacheHit('memory');
    recordCacheMiss('memory');

    const s = await collectOpsSnapshot();
    expect('error' in s.history ? s.history.error : null).toBeNull();
    if ('error' in s.history) return;
    expect(s.history.total).toBe(3);
    expect(s.history.byType).toEqual([
      { type: 'simple', count: 2, meanSsim: expect.closeTo(0.98, 6) },
      { type: 'text', count: 1, meanSsim: expect.closeTo(0.95, 6) },
    ]);
    expect(s.history.byTier.map((t) => [t.tier, t.count])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(s.history.trend).toHaveLength(1);
    expect(s.history.trend[0].count).toBe(3);
    expect(s.traffic.requests).toBeGreaterThanOrEqual(1);
    expect(s.traffic.latencyMs.p50).not.toBeNull();
    expect(s.conversions.byType.find((b) => b.type === 'simple')?.count).toBeGreaterThanOrEqual(1);
    expect(s.cache?.hits).toBeGreaterThanOrEqual(1);
    expect(s.cache?.misses).toBeGreaterThanOrEqual(1);
    expect(s.cache?.hitRate).toBeGreaterThan(0);
    const database = s.health.checks.find((c) => c.name === 'database');
    expect(database?.status).toBe('ok');
    expect(s.health.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['database', 'eventLoop', 'disk.data']),
    );
  });
});
