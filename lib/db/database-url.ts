/** Which database a DATABASE_URL names: an SQLite file (resolved to an absolute path) or a PostgreSQL server. */
import path from 'node:path';

export type DatabaseTarget =
  { provider: 'sqlite'; file: string; url: string } | { provider: 'postgresql'; url: string };

const POSTGRES = /^postgres(ql)?:\/\//i;

/**
 * Relative SQLite paths resolve against `baseDir` (the repo root in practice), not the schema folder as classic
 * Prisma did, so the CLI, the dev server and the standalone server (whose cwd differs) open the same file.
 */
export function resolveDatabaseUrl(url: string, baseDir: string = process.cwd()): DatabaseTarget {
  if (POSTGRES.test(url)) return { provider: 'postgresql', url };
  if (!url.startsWith('file:')) {
    throw new Error(
      `DATABASE_URL must start with "file:" (SQLite) or "postgresql://" (PostgreSQL), got "${url.split(':')[0]}:..."`,
    );
  }
  const raw = url
    .slice('file:'.length)
    .replace(/^\/\/(?=\/)/, '')
    .split('?')[0];
  if (raw === ':memory:') return { provider: 'sqlite', file: ':memory:', url: 'file::memory:' };
  const file = path.resolve(baseDir, raw);
  return { provider: 'sqlite', file, url: `file:${file}` };
}

/** Migration folders live next to each provider's schema. */
export function migrationsDirFor(provider: DatabaseTarget['provider'], root: string = process.cwd()): string {
  return provider === 'postgresql'
    ? path.join(root, 'prisma/postgres/migrations')
    : path.join(root, 'prisma/migrations');
}

export function schemaPathFor(provider: DatabaseTarget['provider'], root: string = process.cwd()): string {
  return provider === 'postgresql'
    ? path.join(root, 'prisma/postgres/schema.prisma')
    : path.join(root, 'prisma/schema.prisma');
}
