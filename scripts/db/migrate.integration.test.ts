// The migration runner on both databases: ordered, idempotent, atomic per migration, and loud about failures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations, getMigrationStatus } from './migrate.mjs';
import { createPostgresDatabase, dropPostgresDatabase } from './postgres-admin.mjs';
import { createDbClient } from '@/lib/db/client';
import { postgresTestsEnabled, testPostgresAdminUrl } from '@/test/support/test-databases';

const providers = (['sqlite', 'postgresql'] as const).filter((p) => p === 'sqlite' || postgresTestsEnabled());

describe.each(providers)('migration runner on %s', (provider) => {
  let dir: string;
  let url: string;
  let pgName: string | undefined;
  const migrations = () => path.join(dir, 'migrations');
  const write = (name: string, sql: string) => {
    mkdirSync(path.join(migrations(), name), { recursive: true });
    writeFileSync(path.join(migrations(), name, 'migration.sql'), sql);
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'svgai-migrate-'));
    if (provider === 'sqlite') url = `file:${path.join(dir, 'm.db')}`;
    else {
      pgName = `svgai_test_${randomBytes(6).toString('hex')}`;
      url = await createPostgresDatabase(testPostgresAdminUrl(), pgName);
    }
  });
  afterAll(async () => {
    if (pgName) await dropPostgresDatabase(testPostgresAdminUrl(), pgName);
    rmSync(dir, { recursive: true, force: true });
  });

  async function rows(): Promise<{ id: number; label: string }[]> {
    const h = createDbClient(url);
    try {
      return await h.db.$queryRawUnsafe('SELECT id, label FROM "Thing" ORDER BY id');
    } finally {
      await h.db.$disconnect();
    }
  }

  it('applies pending migrations in name order and then reports none pending', async () => {
    write('2_seed', `INSERT INTO "Thing" (id, label) VALUES (1, 'kept'), (2, 'also kept');`);
    write('1_init', `CREATE TABLE "Thing" (id INTEGER PRIMARY KEY, label TEXT NOT NULL);`);
    expect((await getMigrationStatus({ databaseUrl: url, migrationsDir: migrations() })).pending).toEqual([
      '1_init',
      '2_seed',
    ]);
    expect(await applyMigrations({ databaseUrl: url, migrationsDir: migrations() })).toEqual([
      '1_init',
      '2_seed',
    ]);
    expect(await applyMigrations({ databaseUrl: url, migrationsDir: migrations() })).toEqual([]);
    expect(await rows()).toHaveLength(2);
  });

  it('rolls back a failing migration completely, keeps existing rows, and retries it once fixed', async () => {
    write(
      '3_broken',
      `ALTER TABLE "Thing" ADD COLUMN extra INTEGER;\nDELETE FROM "Thing";\nSELECT definitely_not_a_function();`,
    );
    await expect(applyMigrations({ databaseUrl: url, migrationsDir: migrations() })).rejects.toThrow(
      /3_broken failed and was rolled back/,
    );
    expect(await rows()).toHaveLength(2);
    const status = await getMigrationStatus({ databaseUrl: url, migrationsDir: migrations() });
    expect(status.pending).toEqual(['3_broken']);
    expect(status.failed).toEqual([]);
    write('3_broken', `ALTER TABLE "Thing" ADD COLUMN extra INTEGER;`);
    expect(await applyMigrations({ databaseUrl: url, migrationsDir: migrations() })).toEqual(['3_broken']);
    expect(await rows()).toHaveLength(2);
  });

  it('flags a migration edited after it was applied', async () => {
    write('1_init', `CREATE TABLE "Thing" (id INTEGER PRIMARY KEY, label TEXT NOT NULL, more TEXT);`);
    const status = await getMigrationStatus({ databaseUrl: url, migrationsDir: migrations() });
    expect(status.modified).toEqual(['1_init']);
    expect(status.pending).toEqual([]);
  });
});

describe('migration status', () => {
  it('reports everything pending for a SQLite file that does not exist, without creating it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'svgai-migrate-'));
    try {
      const s = await getMigrationStatus({ databaseUrl: `file:${path.join(dir, 'none.db')}` });
      expect(s.applied).toEqual([]);
      expect(s.pending.length).toBeGreaterThan(0);
      const { existsSync } = await import('node:fs');
      expect(existsSync(path.join(dir, 'none.db'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
