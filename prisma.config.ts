// Prisma CLI configuration: driver adapters and the JS schema engine, so generate/migrate work fully offline.
// The schema and migrations folder follow DATABASE_URL (SQLite file by default, PostgreSQL when a postgres URL).
import 'dotenv/config';
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { migrationsDirFor, resolveDatabaseUrl, schemaPathFor } from './lib/db/database-url';

// The CLI would otherwise try to download engines it never uses (query engine: we use engineType "client";
// schema engine: we use engine "js"). Any existing file satisfies the first check.
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= path.resolve('package.json');
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= '/bin/false';

const root = process.cwd();
const target = resolveDatabaseUrl(process.env.DATABASE_URL ?? 'file:./data/app.db', root);
process.env.DATABASE_URL = target.url;

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: schemaPathFor(target.provider, root),
  migrations: { path: migrationsDirFor(target.provider, root) },
  adapter: async () =>
    target.provider === 'postgresql'
      ? new PrismaPg({ connectionString: target.url })
      : new PrismaBetterSQLite3({ url: target.file }),
});
