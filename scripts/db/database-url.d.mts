// Types for scripts/db/database-url.mjs.
import type { DatabaseTarget } from '@/lib/db/database-url';
export const root: string;
export const DEFAULT_DATABASE_URL: string;
export function resolveDatabaseUrl(url: string, baseDir?: string): DatabaseTarget;
export function migrationsDirFor(provider: DatabaseTarget['provider'], base?: string): string;
export function loadDotenv(): Promise<void>;
