// Resolves DATABASE_URL for the plain-JS tools (npm start, migrations). Mirrors lib/db/database-url.ts; a unit
// test keeps the two in step. Plain JS so `npm start` and deploy hosts need no TypeScript loader.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_DATABASE_URL = 'file:./data/app.db';

export function resolveDatabaseUrl(url, baseDir = root) {
  if (/^postgres(ql)?:\/\//i.test(url)) return { provider: 'postgresql', url };
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

export function migrationsDirFor(provider, base = root) {
  return provider === 'postgresql'
    ? path.join(base, 'prisma/postgres/migrations')
    : path.join(base, 'prisma/migrations');
}

/** Loads .env from the repo root (like lib/config does) without overriding what the environment already sets. */
export async function loadDotenv() {
  try {
    const dotenv = await import('dotenv');
    dotenv.config({ path: path.join(root, '.env'), quiet: true });
  } catch {
    // dotenv is a dependency, but a bare deploy host may lack it: the environment alone is enough.
  }
}
