// Types for scripts/db/postgres-admin.mjs.
export function createPostgresDatabase(adminUrl: string, name: string): Promise<string>;
export function dropPostgresDatabase(adminUrl: string, name: string): Promise<void>;
export function postgresDatabaseExists(adminUrl: string, name: string): Promise<boolean>;
