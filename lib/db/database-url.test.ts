// DATABASE_URL resolution, and that the plain-JS copy used by npm start and migrations agrees with it.
import { describe, expect, it } from 'vitest';
import { resolveDatabaseUrl as resolveJs } from '@/scripts/db/database-url.mjs';
import { derivePostgresSchema } from '@/scripts/db/derive-schemas.mjs';
import { readFileSync } from 'node:fs';
import { migrationsDirFor, resolveDatabaseUrl } from './database-url';

const cases = [
  'file:./data/app.db',
  'file:data/app.db',
  'file:/var/lib/svgai/app.db',
  'file:///var/lib/svgai/app.db',
  'file:./x.db?connection_limit=1',
  'file::memory:',
  'postgresql://u:p@db:5432/app?schema=public',
  'postgres://localhost/app',
];

describe('resolveDatabaseUrl', () => {
  it('resolves relative SQLite paths against the base directory, not the schema folder', () => {
    expect(resolveDatabaseUrl('file:./data/app.db', '/srv/app')).toEqual({
      provider: 'sqlite',
      file: '/srv/app/data/app.db',
      url: 'file:/srv/app/data/app.db',
    });
    expect(resolveDatabaseUrl('file:///abs/x.db', '/srv/app')).toMatchObject({
      provider: 'sqlite',
      file: '/abs/x.db',
    });
  });

  it('selects PostgreSQL for postgres URLs and keeps them unchanged', () => {
    expect(resolveDatabaseUrl('postgresql://u@h/db')).toEqual({
      provider: 'postgresql',
      url: 'postgresql://u@h/db',
    });
    expect(migrationsDirFor('postgresql', '/r')).toBe('/r/prisma/postgres/migrations');
    expect(migrationsDirFor('sqlite', '/r')).toBe('/r/prisma/migrations');
  });

  it('names the rule when the URL is neither', () => {
    expect(() => resolveDatabaseUrl('mysql://h/db')).toThrow(/must start with "file:".*"postgresql:\/\/"/);
    expect(() => resolveDatabaseUrl('mysql://user:secret@h/db')).not.toThrow(/secret/);
  });

  it.each(cases)('agrees with the plain-JS copy for %s', (url) => {
    expect(resolveJs(url, '/srv/app')).toEqual(resolveDatabaseUrl(url, '/srv/app'));
  });
});

describe('derived PostgreSQL schema', () => {
  it('is committed up to date with prisma/schema.prisma', () => {
    const derived = derivePostgresSchema(readFileSync('prisma/schema.prisma', 'utf8'));
    expect(readFileSync('prisma/postgres/schema.prisma', 'utf8')).toBe(derived);
    expect(derived).toMatch(/provider = "postgresql"/);
    expect(derived).not.toMatch(/"sqlite"/);
  });

  it('refuses a source schema it does not recognise', () => {
    expect(() => derivePostgresSchema('datasource db { provider = "mysql" }')).toThrow(/not found/);
  });
});
