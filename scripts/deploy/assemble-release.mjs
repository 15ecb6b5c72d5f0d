#!/usr/bin/env node
// Assembles the runtime layout of a release from a finished `npm run build`: the Next.js standalone server plus
// what it reads at run time (static assets, public/, the bundled conversion worker, migrations and the migration
// runner, models). The Dockerfile's runtime stage is exactly this folder, and deploy.sh installs it on a host,
// so the tests that start this folder prove the image's contents.
//
//   node scripts/deploy/assemble-release.mjs DEST [--release-id ID] [--json]
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageClosure } from './package-closure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const HELP = `usage: node scripts/deploy/assemble-release.mjs DEST [--release-id ID] [--json]
  Copies .next/standalone and the files it needs at run time into DEST (replaced if it exists).
  Run \`npm run build\` first. Prints the size of the layout (the image-size estimate).`;

/** Entries of .next/standalone the server needs; everything else there is traced-in source or local state. */
export const STANDALONE_KEEP = ['server.js', 'package.json', '.next', 'node_modules'];

/** [from, to] relative paths copied next to server.js; missing optional ones are skipped. */
export const RUNTIME_COPIES = [
  ['.next/static', '.next/static', true],
  ['public', 'public', false],
  ['dist/workers', 'dist/workers', true],
  ['prisma/migrations', 'prisma/migrations', true],
  ['prisma/postgres/migrations', 'prisma/postgres/migrations', true],
  ['scripts/db/migrate.mjs', 'scripts/db/migrate.mjs', true],
  ['scripts/db/database-url.mjs', 'scripts/db/database-url.mjs', true],
  ['models', 'models', true],
  ['docker/entrypoint.sh', 'entrypoint.sh', true],
  // The entry point reads MIGRATE_ON_START with the same parser as npm start and the server.
  ['lib/config/env-boolean.mjs', 'lib/config/env-boolean.mjs', true],
  ['scripts/deploy/sqlite-backup.mjs', 'scripts/deploy/sqlite-backup.mjs', true],
  // `npm run worker` in a release: the batch worker process (its bundle is in dist/workers)
  ['scripts/worker.mjs', 'scripts/worker.mjs', true],
];

/**
 * Packages the migration runner, worker and backup helper load by name. Next traces what the server imports;
 * these are loaded outside its graph, so their dependency closure is copied when the trace missed them.
 */
export const RUNTIME_PACKAGES = [
  'better-sqlite3',
  'pg',
  'dotenv',
  'piscina',
  'sharp',
  'onnxruntime-node',
  '@resvg/resvg-js',
  'potrace',
  'svgo',
  // the batch worker process (dist/workers/batch-worker.mjs) loads these by name
  'bullmq',
  'ioredis',
  'pino',
  'pino-pretty',
  '@prisma/client',
  '@prisma/adapter-better-sqlite3',
  '@prisma/adapter-pg',
];

/**
 * Whether a package in the release is usable by name: its package.json and its main file. Next's trace keeps only
 * the package.json of packages it bundled into the server (e.g. postgres-array under @prisma/adapter-pg), which
 * the batch worker process then cannot load.
 */
function isComplete(dir) {
  const manifest = path.join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    if (pkg.exports && !pkg.main) return true;
    return existsSync(path.join(dir, pkg.main ?? 'index.js')) || existsSync(path.join(dir, `${pkg.main}.js`));
  } catch {
    return false;
  }
}

/**
 * Copy packages and their production dependencies where the release lacks them. Present means traced by Next
 * (only the files it needs, e.g. one platform's binaries): those are kept as they are.
 */
function ensurePackages(names, dest) {
  const copied = [];
  for (const src of packageClosure(names, root)) {
    const rel = path.relative(root, src);
    const target = path.join(dest, rel);
    if (isComplete(target)) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(src, target, { recursive: true, dereference: true });
    copied.push(rel.replace(/^node_modules\//, ''));
  }
  return copied;
}

export function duBytes(dir) {
  try {
    return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split(/\s+/)[0]);
  } catch {
    return 0;
  }
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

export function assembleRelease(dest, { releaseId } = {}) {
  const standalone = path.join(root, '.next/standalone');
  if (!existsSync(path.join(standalone, 'server.js'))) {
    throw new Error(
      '.next/standalone/server.js is missing: run `npm run build` first (next.config.mjs output: "standalone")',
    );
  }
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  // Only what the server runs from. Next copies any file its tracer could not rule out (dynamic fs paths pull in
  // sources, test fixtures, even a local data/ SQLite file or .env): those never ship.
  for (const entry of STANDALONE_KEEP) {
    const src = path.join(standalone, entry);
    if (existsSync(src)) cpSync(src, path.join(dest, entry), { recursive: true });
  }
  const dropped = readdirSync(standalone).filter((e) => !STANDALONE_KEEP.includes(e));
  for (const [from, to, required] of RUNTIME_COPIES) {
    const src = path.join(root, from);
    if (!existsSync(src)) {
      if (required) throw new Error(`${from} is missing (needed at run time)`);
      continue;
    }
    const target = path.join(dest, to);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(src, target, { recursive: true });
  }
  const added = [];
  added.push(...ensurePackages(RUNTIME_PACKAGES, dest));
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const release = {
    id: releaseId ?? new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, ''),
    version: pkg.version,
    commit: gitCommit(),
    builtAt: statSync(path.join(root, '.next/BUILD_ID')).mtime.toISOString(),
    assembledAt: new Date().toISOString(),
  };
  writeFileSync(path.join(dest, 'RELEASE.json'), `${JSON.stringify(release, null, 2)}\n`);
  const sizes = {
    totalBytes: duBytes(dest),
    nodeModulesBytes: duBytes(path.join(dest, 'node_modules')),
    nextBytes: duBytes(path.join(dest, '.next')),
    modelsBytes: duBytes(path.join(dest, 'models')),
  };
  return { dest, release, addedPackages: added, droppedFromStandalone: dropped, sizes };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h') || args.length === 0) {
    console.log(HELP);
    process.exit(args.length === 0 ? 2 : 0);
  }
  const idIdx = args.indexOf('--release-id');
  const releaseId = idIdx >= 0 ? args[idIdx + 1] : undefined;
  const dest = path.resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--release-id'));
  try {
    const r = assembleRelease(dest, { releaseId });
    if (args.includes('--json')) console.log(JSON.stringify(r, null, 2));
    else {
      const mb = (b) => `${(b / 1024 / 1024).toFixed(1)} MB`;
      console.log(`assembled release ${r.release.id} (${r.release.commit.slice(0, 12)}) in ${r.dest}`);
      console.log(
        `  total ${mb(r.sizes.totalBytes)}: node_modules ${mb(r.sizes.nodeModulesBytes)}, .next ${mb(r.sizes.nextBytes)}, models ${mb(r.sizes.modelsBytes)}`,
      );
      if (r.addedPackages.length) console.log(`  copied outside the trace: ${r.addedPackages.join(', ')}`);
      if (r.droppedFromStandalone.length)
        console.log(`  not shipped from .next/standalone: ${r.droppedFromStandalone.join(', ')}`);
    }
  } catch (err) {
    console.error(`assemble-release: ${err.message}`);
    process.exit(1);
  }
}
