#!/usr/bin/env node
// Applies the committed Prisma migrations (SQLite or PostgreSQL) and reports their status, bookkeeping in
// Prisma's own `_prisma_migrations` table so `prisma migrate status` agrees. Ours rather than
// `prisma migrate deploy` because the CLI's JS schema engine cannot migrate PostgreSQL through adapter-pg
// (prisma/orm#27403: "Column type 'name' could not be deserialized") and the classic engine cannot be
// downloaded offline; it also keeps the Prisma CLI (a dev dependency) out of production images.
//
//   node scripts/db/migrate.mjs deploy   apply pending migrations (exit 1 on failure)
//   node scripts/db/migrate.mjs status   list applied / pending (exit 1 when pending or failed)
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_DATABASE_URL,
  loadDotenv,
  migrationsDirFor,
  resolveDatabaseUrl,
  root,
} from './database-url.mjs';

// Same advisory lock id Prisma Migrate uses, so our runner and Prisma's never migrate concurrently.
const PG_LOCK_ID = 72707369;

const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const PG_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** The migrations on disk, oldest first: { name, sql, checksum }. */
export function readMigrations(dir) {
  if (!existsSync(dir)) throw new Error(`migrations folder not found: ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

function isoNow() {
  return new Date().toISOString().replace('Z', '+00:00');
}

async function openSqlite(file) {
  const { default: Database } = await import('better-sqlite3');
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  // WAL is stored in the file: readers (history page, health) never block the writer afterwards.
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  return {
    async ensureTable() {
      db.exec(SQLITE_TABLE);
    },
    async tableExists() {
      return !!db
        .prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='_prisma_migrations'")
        .get();
    },
    async applied() {
      return db
        .prepare(
          'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
        )
        .all();
    },
    async lock() {},
    async unlock() {},
    async apply(m) {
      const id = randomUUID();
      const started = isoNow();
      // One transaction per migration: a failing statement leaves neither schema changes nor a record.
      db.transaction(() => {
        db.exec(m.sql);
        db.prepare(
          'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)',
        ).run(id, m.checksum, isoNow(), m.name, started);
      }).immediate();
    },
    async close() {
      db.close();
    },
  };
}

async function openPostgres(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    async ensureTable() {
      await client.query(PG_TABLE);
    },
    async tableExists() {
      const r = await client.query("SELECT to_regclass('_prisma_migrations')::text AS t");
      return r.rows[0].t !== null;
    },
    async applied() {
      const r = await client.query(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
      );
      return r.rows;
    },
    async lock() {
      await client.query('SELECT pg_advisory_lock($1)', [PG_LOCK_ID]);
    },
    async unlock() {
      await client.query('SELECT pg_advisory_unlock($1)', [PG_LOCK_ID]);
    },
    async apply(m) {
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, NULL, NULL, now(), 1)',
          [randomUUID(), m.checksum, m.name],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    },
    async close() {
      await client.end();
    },
  };
}

async function open(target) {
  return target.provider === 'postgresql' ? openPostgres(target.url) : openSqlite(target.file);
}

function summarize(onDisk, rows) {
  const done = new Map();
  const failed = [];
  for (const r of rows) {
    if (r.rolled_back_at) continue;
    if (r.finished_at) done.set(r.migration_name, r.checksum);
    else failed.push(r.migration_name);
  }
  const names = new Set(onDisk.map((m) => m.name));
  return {
    applied: onDisk.filter((m) => done.has(m.name)).map((m) => m.name),
    pending: onDisk.filter((m) => !done.has(m.name) && !failed.includes(m.name)).map((m) => m.name),
    failed,
    modified: onDisk.filter((m) => done.has(m.name) && done.get(m.name) !== m.checksum).map((m) => m.name),
    unknown: [...done.keys()].filter((n) => !names.has(n)),
  };
}

/**
 * Status of `databaseUrl` against the migrations folder (default: the one for its provider).
 * Never creates anything: a database without the bookkeeping table reports every migration as pending.
 */
export async function getMigrationStatus({
  databaseUrl = DEFAULT_DATABASE_URL,
  migrationsDir,
  baseDir = root,
} = {}) {
  const target = resolveDatabaseUrl(databaseUrl, baseDir);
  const onDisk = readMigrations(migrationsDir ?? migrationsDirFor(target.provider, baseDir));
  if (target.provider === 'sqlite' && target.file !== ':memory:' && !existsSync(target.file)) {
    return { provider: target.provider, ...summarize(onDisk, []) };
  }
  const db = await open(target);
  try {
    const rows = (await db.tableExists()) ? await db.applied() : [];
    return { provider: target.provider, ...summarize(onDisk, rows) };
  } finally {
    await db.close();
  }
}

/** Applies pending migrations in order; returns the names applied. Refuses to continue past a failed one. */
export async function applyMigrations({
  databaseUrl = DEFAULT_DATABASE_URL,
  migrationsDir,
  baseDir = root,
  log = () => {},
} = {}) {
  const target = resolveDatabaseUrl(databaseUrl, baseDir);
  const onDisk = readMigrations(migrationsDir ?? migrationsDirFor(target.provider, baseDir));
  const db = await open(target);
  const appliedNow = [];
  try {
    await db.lock();
    try {
      await db.ensureTable();
      const status = summarize(onDisk, await db.applied());
      if (status.failed.length) {
        throw new Error(
          `migration ${status.failed[0]} started but never finished: fix the database by hand, then mark it rolled back ` +
            `(UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${status.failed[0]}')`,
        );
      }
      for (const name of status.modified)
        log(`warning: migration ${name} changed after it was applied (checksum differs)`);
      for (const m of onDisk.filter((x) => status.pending.includes(x.name))) {
        try {
          await db.apply(m);
        } catch (err) {
          throw new Error(`migration ${m.name} failed and was rolled back: ${err.message}`, { cause: err });
        }
        appliedNow.push(m.name);
        log(`applied ${m.name}`);
      }
    } finally {
      await db.unlock();
    }
  } finally {
    await db.close();
  }
  return appliedNow;
}

function describe(target) {
  if (target.provider === 'sqlite') {
    const rel = path.relative(process.cwd(), target.file);
    return `SQLite ${rel && !rel.startsWith('..') ? rel : target.file}`;
  }
  return `PostgreSQL ${target.url.replace(/\/\/[^@/]*@/, '//***@')}`;
}

async function main() {
  await loadDotenv();
  const command = process.argv[2] ?? 'deploy';
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const target = resolveDatabaseUrl(databaseUrl);
  if (command === '--help' || command === '-h') {
    console.log('usage: node scripts/db/migrate.mjs [deploy|status]   (DATABASE_URL selects the database)');
    return 0;
  }
  if (command === 'deploy') {
    const applied = await applyMigrations({ databaseUrl, log: (m) => console.log(m) });
    console.log(
      applied.length
        ? `${describe(target)}: applied ${applied.length} migration(s).`
        : `${describe(target)}: already up to date.`,
    );
    return 0;
  }
  if (command === 'status') {
    const s = await getMigrationStatus({ databaseUrl });
    console.log(
      `${describe(target)}: ${s.applied.length} applied, ${s.pending.length} pending, ${s.failed.length} failed.`,
    );
    for (const n of s.pending) console.log(`  pending  ${n}`);
    for (const n of s.failed) console.log(`  FAILED   ${n}`);
    for (const n of s.modified) console.log(`  modified ${n} (changed after it was applied)`);
    for (const n of s.unknown) console.log(`  unknown  ${n} (applied, but not in this checkout)`);
    return s.pending.length || s.failed.length ? 1 : 0;
  }
  console.error(`unknown command "${command}": use deploy or status`);
  return 2;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(`migrate: ${err.message}`);
      process.exit(1);
    },
  );
}
