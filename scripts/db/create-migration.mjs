#!/usr/bin/env node
// Writes a new migration for BOTH providers from the change to prisma/schema.prisma since the last migration.
// `prisma migrate dev` and `migrate diff --from-migrations` need a live schema engine that cannot run offline
// here, so each migration keeps a snapshot of the models it produced (prisma/snapshots/<name>.prisma) and the
// next one is diffed schema-to-schema. Usage: npm run db:migration -- <name>
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { derivePostgresSchema, DERIVED, SOURCE } from './derive-schemas.mjs';
import { findPrismaCli, prismaEnv } from './prisma.mjs';
import { root } from './database-url.mjs';

const name = (process.argv[2] ?? '')
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, '_')
  .replace(/^_|_$/g, '');
if (!name) {
  console.error('usage: npm run db:migration -- <name>   (e.g. add_conversion_tags)');
  process.exit(2);
}
const cli = findPrismaCli();
if (!cli) {
  console.error('The Prisma CLI (dev dependency) is not installed: run `npm install`.');
  process.exit(1);
}

const snapshots = path.join(root, 'prisma/snapshots');
const last = existsSync(snapshots)
  ? readdirSync(snapshots)
      .filter((f) => f.endsWith('.prisma'))
      .sort()
      .pop()
  : undefined;
const current = readFileSync(SOURCE, 'utf8');
const PG_URL =
  process.env.MIGRATION_DATABASE_URL ??
  (/^postgres/.test(process.env.DATABASE_URL ?? '')
    ? process.env.DATABASE_URL
    : 'postgresql://postgres@127.0.0.1:5432/postgres');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'svgai-migration-'));

function diff(from, to, provider) {
  const args = [cli, 'migrate', 'diff', from ? '--from-schema-datamodel' : '--from-empty'];
  if (from) args.push(from);
  args.push('--to-schema-datamodel', to, '--script');
  // The JS schema engine connects through the adapter even for a schema-to-schema diff (it reads nothing).
  const env = prismaEnv({
    ...process.env,
    DATABASE_URL: provider === 'postgresql' ? PG_URL : `file:${path.join(tmp, 'diff.db')}`,
  });
  return execFileSync(process.execPath, args, {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

try {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const folder = `${stamp}_${name}`;
  const variants = [
    { provider: 'sqlite', dir: 'prisma/migrations', transform: (s) => s },
    { provider: 'postgresql', dir: 'prisma/postgres/migrations', transform: derivePostgresSchema },
  ];
  let wrote = 0;
  for (const v of variants) {
    const to = path.join(tmp, `${v.provider}-to.prisma`);
    writeFileSync(to, v.transform(current));
    let from = null;
    if (last) {
      from = path.join(tmp, `${v.provider}-from.prisma`);
      writeFileSync(from, v.transform(readFileSync(path.join(snapshots, last), 'utf8')));
    }
    const sql = diff(from, to, v.provider);
    if (/This is an empty migration/.test(sql) || !sql.trim()) continue;
    mkdirSync(path.join(root, v.dir, folder), { recursive: true });
    writeFileSync(path.join(root, v.dir, folder, 'migration.sql'), sql);
    console.log(`wrote ${v.dir}/${folder}/migration.sql`);
    wrote++;
  }
  if (!wrote) {
    console.log('No model changes since the last migration.');
  } else {
    mkdirSync(snapshots, { recursive: true });
    writeFileSync(path.join(snapshots, `${folder}.prisma`), current);
    console.log(`wrote prisma/snapshots/${folder}.prisma`);
    writeFileSync(DERIVED, derivePostgresSchema(current));
    console.log('refreshed prisma/postgres/schema.prisma; now run `npm run db:generate` and commit prisma/');
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
