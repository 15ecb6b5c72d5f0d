/**
 * Test support: a fresh, migrated database per suite on SQLite (temp file) or the machine's PostgreSQL
 * (a new `svgai_test_<random>` database, dropped afterwards). Used by the *.integration.test.ts files.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '@/scripts/db/migrate.mjs';
import { createPostgresDatabase, dropPostgresDatabase } from '@/scripts/db/postgres-admin.mjs';
import { createDbClient, type DbHandle } from '@/lib/db/client';

export type TestDatabase = DbHandle & { drop: () => Promise<void> };

export const TEST_PROVIDERS = ['sqlite', 'postgresql'] as const;

/** Admin connection used to create and drop test databases; CI may point it elsewhere. */
export function testPostgresAdminUrl(): string {
  return process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

/** PostgreSQL tests run unless SKIP_POSTGRES_TESTS=1; an unreachable server fails them loudly instead. */
export function postgresTestsEnabled(): boolean {
  return process.env.SKIP_POSTGRES_TESTS !== '1';
}

export async function createTestDatabase(provider: (typeof TEST_PROVIDERS)[number]): Promise<TestDatabase> {
  if (provider === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'svgai-db-'));
    return openMigrated(`file:${path.join(dir, 'test.db')}`, () =>
      rmSync(dir, { recursive: true, force: true }),
    );
  }
  const admin = testPostgresAdminUrl();
  const name = `svgai_test_${randomBytes(6).toString('hex')}`;
  let url: string;
  try {
    url = await createPostgresDatabase(admin, name);
  } catch (err) {
    throw new Error(
      `PostgreSQL for the integration tests is not usable at ${admin.replace(/\/\/[^@/]*@/, '//***@')} ` +
        `(${(err as Error).message}). Start it, set TEST_POSTGRES_URL, or set SKIP_POSTGRES_TESTS=1.`,
    );
  }
  return openMigrated(url, () => dropPostgresDatabase(admin, name));
}

/** Migrates the database at `url` and opens it; `drop()` disconnects first, then removes the database. */
async function openMigrated(url: string, remove: () => void | Promise<void>): Promise<TestDatabase> {
  await applyMigrations({ databaseUrl: url });
  const handle = createDbClient(url);
  return {
    ...handle,
    drop: async () => {
      await handle.db.$disconnect();
      await remove();
    },
  };
}
