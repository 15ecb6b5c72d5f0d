/** Pending migrations of the running app's database, for readiness: folder names on disk vs `_prisma_migrations`. */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { DbHandle } from './client';
import { migrationsDirFor } from './database-url';

/** The migration folders shipped with this build (the standalone output traces prisma/** next to the server). */
function listMigrationNames(provider: DbHandle['provider'], root: string = process.cwd()): string[] {
  const dir = migrationsDirFor(provider, /*turbopackIgnore: true*/ root);
  if (!existsSync(dir)) throw new Error(`migrations folder not found: ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
}

/** Names of migrations not yet applied (or failed). Throws when the database cannot be reached. */
export async function getPendingMigrations(
  handle: Pick<DbHandle, 'db' | 'provider'>,
  root?: string,
): Promise<string[]> {
  const names = listMigrationNames(handle.provider, root);
  let rows: { migration_name: string }[] = [];
  try {
    rows = await handle.db.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
  } catch (err) {
    // No bookkeeping table yet means nothing was ever applied; any other failure is a real outage.
    if (!/_prisma_migrations|no such table|does not exist/i.test(String((err as Error).message))) throw err;
  }
  const applied = new Set(rows.map((r) => r.migration_name));
  return names.filter((n) => !applied.has(n));
}
