// npm start's pieces for real: migrate-on-start against a temp SQLite path (as a child process, like npm start),
// the standalone folder preparation and the server environment.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { getMigrationStatus } from './db/migrate.mjs';
import { createPostgresDatabase, dropPostgresDatabase } from './db/postgres-admin.mjs';
import { postgresTestsEnabled, testPostgresAdminUrl } from '@/test/support/test-databases';
import { prepareStandalone, serverEnv } from './start.mjs';

const START = path.resolve('scripts/start.mjs');

function runStart(args: string[], env: Record<string, string>) {
  const cleanEnv = { ...process.env, ...env };
  return spawnSync(process.execPath, [START, ...args], { env: cleanEnv, encoding: 'utf8', timeout: 60_000 });
}

describe('npm start', () => {
  it('creates the SQLite folder and applies migrations before serving, then finds nothing to do', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'svgai-start-'));
    try {
      const url = `file:${path.join(dir, 'nested/data/app.db')}`;
      const first = runStart(['--migrate-only'], { DATABASE_URL: url });
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/applied \d+ migration/);
      const status = await getMigrationStatus({ databaseUrl: url });
      expect(status.pending).toEqual([]);
      const db = new Database(path.join(dir, 'nested/data/app.db'), { readonly: true });
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type='table'")
        .all()
        .map((r) => (r as { name: string }).name);
      db.close();
      expect(tables).toEqual(expect.arrayContaining(['User', 'ApiKey', 'Conversion', '_prisma_migrations']));
      const second = runStart(['--migrate-only'], { DATABASE_URL: url });
      expect(second.status).toBe(0);
      expect(second.stdout).toContain('up to date');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(postgresTestsEnabled())(
    'applies migrations to PostgreSQL when DATABASE_URL names one',
    async () => {
      const name = `svgai_test_${randomBytes(6).toString('hex')}`;
      const url = await createPostgresDatabase(testPostgresAdminUrl(), name);
      try {
        const res = runStart(['--migrate-only'], { DATABASE_URL: url });
        expect(res.status, res.stderr).toBe(0);
        expect(res.stdout).toMatch(/PostgreSQL: applied \d+ migration/);
        expect((await getMigrationStatus({ databaseUrl: url })).pending).toEqual([]);
      } finally {
        await dropPostgresDatabase(testPostgresAdminUrl(), name);
      }
    },
  );

  it('skips migrations when MIGRATE_ON_START=false', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'svgai-start-'));
    try {
      const res = runStart(['--migrate-only'], {
        DATABASE_URL: `file:${path.join(dir, 'app.db')}`,
        MIGRATE_ON_START: 'false',
      });
      expect(res.status).toBe(0);
      expect(existsSync(path.join(dir, 'app.db'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads MIGRATE_ON_START with the server\'s boolean parser: "no" skips, a value the server refuses stops', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'svgai-start-'));
    try {
      const env = { DATABASE_URL: `file:${path.join(dir, 'app.db')}` };
      const no = runStart(['--migrate-only'], { ...env, MIGRATE_ON_START: 'no' });
      expect(no.status, no.stderr).toBe(0);
      expect(no.stdout).toContain('skipping migrations');
      const bad = runStart(['--migrate-only'], { ...env, MIGRATE_ON_START: 'FALSE' });
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain('MIGRATE_ON_START must be true or false (or 1/0, yes/no, on/off)');
      expect(existsSync(path.join(dir, 'app.db'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with a clear message for an unsupported DATABASE_URL', () => {
    const res = runStart(['--migrate-only'], { DATABASE_URL: 'mysql://root@localhost/app' });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/DATABASE_URL must start with "file:"/);
  });

  it('copies static assets, public, the worker bundle and migrations into the standalone folder, replacing stale ones', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'svgai-standalone-'));
    const put = (rel: string, text = rel) => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    };
    try {
      expect(() => prepareStandalone(root)).toThrow(/server\.js is missing/);
      put('.next/standalone/server.js');
      put('.next/static/chunks/app.js');
      put('public/favicon.svg');
      put('dist/workers/convert-worker.mjs');
      put('prisma/migrations/1_init/migration.sql');
      put('.next/standalone/.next/static/chunks/old-build.js');
      const copied = prepareStandalone(root);
      expect(copied).toEqual(['.next/static', 'public', 'dist/workers', 'prisma/migrations']);
      const s = (rel: string) => path.join(root, '.next/standalone', rel);
      expect(readFileSync(s('.next/static/chunks/app.js'), 'utf8')).toBe('.next/static/chunks/app.js');
      expect(existsSync(s('public/favicon.svg'))).toBe(true);
      expect(existsSync(s('dist/workers/convert-worker.mjs'))).toBe(true);
      expect(existsSync(s('prisma/migrations/1_init/migration.sql'))).toBe(true);
      expect(existsSync(s('.next/static/chunks/old-build.js'))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('pins relative paths to the repo because the standalone server changes directory', () => {
    const env = serverEnv({ DATABASE_URL: 'file:./data/app.db', PORT: '4000' }, '/srv/app');
    expect(env).toMatchObject({
      NODE_ENV: 'production',
      PORT: '4000',
      HOSTNAME: '0.0.0.0',
      DATABASE_URL: 'file:/srv/app/data/app.db',
      MODELS_DIR: '/srv/app/models',
      DATA_DIR: '/srv/app/data',
      CACHE_DIR: '/srv/app/data/cache',
    });
    expect(serverEnv({}, '/srv/app').PORT).toBe('3000');
    const pg = 'postgresql://u:p@db:5432/app';
    expect(serverEnv({ DATABASE_URL: pg, HOST: '127.0.0.1' }, '/srv/app')).toMatchObject({
      DATABASE_URL: pg,
      HOSTNAME: '127.0.0.1',
    });
  });
});
