/** The Prisma client for the configured database (SQLite file or PostgreSQL), one per process on globalThis. */
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { getConfig } from '@/lib/config';
import { onShutdown } from '@/lib/lifecycle';
import { PrismaClient as SqliteClient } from '@/lib/generated/sqlite/client';
import { PrismaClient as PostgresClient } from '@/lib/generated/postgres/client';
import { resolveDatabaseUrl, type DatabaseTarget } from './database-url';

/**
 * Both generated clients expose the same models (one schema, derived per provider), so services are written
 * against the SQLite client's type and receive either.
 */
export type Db = SqliteClient;

export type DbHandle = { db: Db; provider: DatabaseTarget['provider']; url: string };

export function createDbClient(databaseUrl: string): DbHandle {
  const target = resolveDatabaseUrl(databaseUrl);
  if (target.provider === 'postgresql') {
    const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: target.url }) });
    return { db: client as unknown as Db, provider: 'postgresql', url: target.url };
  }
  // busy timeout: concurrent writers (API workers, CLI) wait for the write lock instead of failing at once.
  const client = new SqliteClient({
    adapter: new PrismaBetterSQLite3({ url: target.file, timeout: 10_000 }),
  });
  return { db: client, provider: 'sqlite', url: target.url };
}

const KEY = Symbol.for('svgai.db');
type Holder = { [KEY]?: DbHandle };

/** The shared handle for getConfig().databaseUrl; survives Next.js hot reload. */
export function getDbHandle(): DbHandle {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    holder[KEY] = createDbClient(getConfig().databaseUrl);
    // Hooks close in reverse registration order, so the database closes after the work that writes to it.
    onShutdown('database', disconnectDb);
  }
  return holder[KEY];
}

export function getDb(): Db {
  return getDbHandle().db;
}

/** Graceful shutdown and tests: close the shared client so the next getDb() reconnects. */
export async function disconnectDb(): Promise<void> {
  const holder = globalThis as Holder;
  const handle = holder[KEY];
  delete holder[KEY];
  if (handle) await handle.db.$disconnect();
}
