// The three health routes with the real default checks (registered as the server's boot does) against a fresh
// SQLite file: readiness waits for migrations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registerServerChecks, startServerWarmup } from '@/lib/boot';
import { resetConfig } from '@/lib/config';
import { disconnectDb } from '@/lib/db/client';
import { PEER_ADDRESS_HEADER } from '@/lib/http/client-address';
import { applyMigrations } from '@/scripts/db/migrate.mjs';
import { GET as health } from './route';
import { GET as live } from './live/route';
import { GET as ready } from './ready/route';

type Body = {
  status: string;
  reason?: string;
  checks: Record<string, { status: string; critical: boolean; data?: { pending?: string[] } }>;
};

// In development, ops data is shown to this machine (lib/auth/ops-access.ts); anyone else sees the status only.
const fromOperator = (url: string) => new Request(url, { headers: { [PEER_ADDRESS_HEADER]: '127.0.0.1' } });
const fromOutside = (url: string) => new Request(url, { headers: { [PEER_ADDRESS_HEADER]: '203.0.113.9' } });

let dir: string;
const saved = process.env.DATABASE_URL;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'svgai-health-'));
  process.env.DATABASE_URL = `file:${path.join(dir, 'app.db')}`;
  resetConfig();
  await disconnectDb();
  await registerServerChecks();
  startServerWarmup();
});

afterAll(async () => {
  const { getConvertPoolStats, getConvertPool } = await import('@/lib/worker-pool');
  if (getConvertPoolStats()) await getConvertPool().close();
  await disconnectDb();
  if (saved === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = saved;
  resetConfig();
  rmSync(dir, { recursive: true, force: true });
});

describe('health routes', () => {
  it('live answers 200 JSON, uncached', async () => {
    const res = live();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const body = await res.json();
    expect(body).toMatchObject({ status: 'ok' });
    // Public: no pid (it was there), nothing about the process beyond its uptime.
    expect(Object.keys(body).sort()).toEqual(['startedAt', 'status', 'uptimeSeconds']);
  });

  it('ready is 503 while migrations are pending, and says which', async () => {
    const res = await ready(fromOperator('http://localhost/api/health/ready'));
    expect(res.status).toBe(503);
    const body = (await res.json()) as Body;
    expect(body.status).toBe('not_ready');
    expect(body.reason).toContain('database');
    expect(body.checks.database.status).toBe('down');
    expect(body.checks.database.data?.pending?.length).toBeGreaterThan(0);
  });

  it('health reports every dependency, and is 503 exactly when a critical check is down', async () => {
    await applyMigrations({ databaseUrl: process.env.DATABASE_URL });
    const res = await health(fromOperator('http://localhost/api/health'));
    const body = (await res.json()) as Body;
    for (const name of [
      'database',
      'models',
      'engine',
      'cache',
      'process',
      'system',
      'eventLoop',
      'disk.data',
    ]) {
      expect(body.checks, name).toHaveProperty(name);
    }
    expect(body.checks.database.status).toBe('ok');
    const criticalDown = Object.values(body.checks).some((c) => c.critical && c.status === 'down');
    expect(res.status).toBe(criticalDown ? 503 : 200);
    expect(body.status === 'down').toBe(criticalDown);
  });

  it('shows anyone else the status only: no paths, pid, versions, memory or pending migrations', async () => {
    for (const [route, url] of [
      [health, 'http://localhost/api/health'],
      [ready, 'http://localhost/api/health/ready'],
    ] as const) {
      const res = await route(fromOutside(url));
      const text = await res.text();
      const body = JSON.parse(text);
      expect(body.checks, url).toBeUndefined();
      expect(text).not.toMatch(/\/tmp|\/work|\.onnx|pid|heap|rss|v\d+\.\d+|migration/i);
      expect(['ok', 'degraded', 'down', 'ready', 'not_ready']).toContain(body.status);
    }
  });

  it('ready no longer waits for the database once migrations are applied', async () => {
    const body = (await (await ready(fromOperator('http://localhost/api/health/ready'))).json()) as Body;
    expect(body.checks.database.status).toBe('ok');
    expect(body.reason ?? '').not.toContain('database');
  });
});
