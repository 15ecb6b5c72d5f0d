// Types for scripts/db/migrate.mjs (plain JS so deploy hosts run it without a TypeScript loader).
export type MigrationStatus = {
  provider: 'sqlite' | 'postgresql';
  applied: string[];
  pending: string[];
  failed: string[];
  modified: string[];
  unknown: string[];
};
type Options = { databaseUrl?: string; migrationsDir?: string; baseDir?: string };
export function readMigrations(dir: string): { name: string; sql: string; checksum: string }[];
export function getMigrationStatus(options?: Options): Promise<MigrationStatus>;
export function applyMigrations(options?: Options & { log?: (message: string) => void }): Promise<string[]>;
