#!/usr/bin/env node
// `npm start`: build when no build exists, apply database migrations (creating data/ for the embedded SQLite
// file), then serve the Next.js standalone server on PORT (default 3000) and print its URL once it answers.
//
//   npm start                    build if needed, migrate, serve
//   npm start -- --rebuild       force a fresh `npm run build` first
//   npm start -- --migrate-only  apply migrations and exit (what a deploy's migration step runs)
//   MIGRATE_ON_START=false       skip migrations (a separate migration job owns them)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_DATABASE_URL,
  loadDotenv,
  resolveDatabaseUrl,
  root as repoRoot,
} from './db/database-url.mjs';
import { applyMigrations } from './db/migrate.mjs';
import { MIGRATE_ON_START_DEFAULT, readBooleanSetting } from '../lib/config/env-boolean.mjs';

const HELP = `usage: npm start [-- --rebuild | --migrate-only | --help]
  Builds the app when .next/BUILD_ID is missing, applies migrations (SQLite file under data/ by default,
  or DATABASE_URL=postgresql://...), and serves on PORT (default 3000).
  MIGRATE_ON_START=false skips migrations.`;

/** Folders the standalone server reads relative to its own directory (it chdirs there), kept in step with the repo. */
export function prepareStandalone(root = repoRoot) {
  const standalone = path.join(root, '.next/standalone');
  if (!existsSync(path.join(standalone, 'server.js'))) {
    throw new Error('.next/standalone/server.js is missing: next.config.mjs must keep output: "standalone"');
  }
  const copies = [
    // Next's docs: the standalone folder deliberately leaves static assets and public/ to the deployer (or a CDN).
    ['.next/static', '.next/static'],
    ['public', 'public'],
    ['dist/workers', 'dist/workers'],
    ['prisma/migrations', 'prisma/migrations'],
    ['prisma/postgres/migrations', 'prisma/postgres/migrations'],
  ];
  const copied = [];
  for (const [from, to] of copies) {
    const src = path.join(root, from);
    if (!existsSync(src)) continue;
    const dest = path.join(standalone, to);
    // Replace rather than merge, so assets of an older build never linger next to the new ones.
    rmSync(dest, { recursive: true, force: true });
    mkdirSync(path.dirname(dest), { recursive: true });
    cpSync(src, dest, { recursive: true });
    copied.push(from);
  }
  return copied;
}

/** The server's environment: relative paths pinned to the repo, because the standalone server chdirs away. */
export function serverEnv(env = process.env, root = repoRoot) {
  const out = { ...env, NODE_ENV: 'production' };
  // glibc gives every thread that allocates its own malloc arena and rarely hands their memory back: with libvips,
  // libuv and the worker threads a burst of large images left hundreds of MB resident. Two arenas measured ~25%
  // less resident memory after such a burst (docs/SECURITY.md); an explicit value wins.
  out.MALLOC_ARENA_MAX = env.MALLOC_ARENA_MAX || '2';
  out.PORT = env.PORT || '3000';
  out.HOSTNAME = env.HOST || '0.0.0.0';
  const target = resolveDatabaseUrl(env.DATABASE_URL || DEFAULT_DATABASE_URL, root);
  out.DATABASE_URL = target.url;
  for (const [name, def] of [
    ['MODELS_DIR', 'models'],
    ['DATA_DIR', 'data'],
    ['CACHE_DIR', 'data/cache'],
  ]) {
    out[name] = path.resolve(root, env[name] || def);
  }
  return out;
}

export function needsBuild(root = repoRoot) {
  return (
    !existsSync(path.join(root, '.next/BUILD_ID')) ||
    !existsSync(path.join(root, '.next/standalone/server.js'))
  );
}

function build(root) {
  console.log('[start] no production build found: running `npm run build` (takes a few minutes once)...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const res = spawnSync(npm, ['run', 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (res.status !== 0) throw new Error('`npm run build` failed (see the output above)');
}

export async function migrateOnStart(env = process.env, root = repoRoot, log = console.log) {
  // The server's own boolean parser: a value the server would refuse stops npm start here, before migrating.
  if (!readBooleanSetting(env, 'MIGRATE_ON_START', MIGRATE_ON_START_DEFAULT)) {
    log('[start] MIGRATE_ON_START=false: skipping migrations');
    return [];
  }
  const databaseUrl = resolveDatabaseUrl(env.DATABASE_URL || DEFAULT_DATABASE_URL, root).url;
  const applied = await applyMigrations({ databaseUrl, baseDir: root, log: (m) => log(`[start] ${m}`) });
  const rel = databaseUrl.startsWith('file:') ? path.relative(root, databaseUrl.slice(5)) : '';
  const where = !databaseUrl.startsWith('file:')
    ? 'PostgreSQL'
    : rel && !rel.startsWith('..')
      ? rel
      : databaseUrl.slice(5);
  log(
    applied.length
      ? `[start] database ${where}: applied ${applied.length} migration(s)`
      : `[start] database ${where}: up to date`,
  );
  return applied;
}

async function waitForLive(url, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function main(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  await loadDotenv();
  const root = repoRoot;
  await migrateOnStart(process.env, root);
  if (argv.includes('--migrate-only')) return 0;
  if (argv.includes('--rebuild') || needsBuild(root)) build(root);
  prepareStandalone(root);

  const env = serverEnv(process.env, root);
  const child = spawn(process.execPath, [path.join(root, '.next/standalone/server.js')], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    // The server drains in-flight conversions on SIGTERM; we only pass the signal on and wait.
    process.on(signal, () => child.kill(signal));
  }
  const shown = env.HOSTNAME === '0.0.0.0' || env.HOSTNAME === '::' ? 'localhost' : env.HOSTNAME;
  const url = `http://${shown}:${env.PORT}`;
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + 15 : 1))),
  );
  if (await waitForLive(`${url}/api/health/live`, child)) {
    console.log(`\n  AI SVG Converter is running at ${url}\n  (Ctrl+C to stop)\n`);
  } else if (child.exitCode === null) {
    console.warn(`[start] the server did not answer ${url}/api/health/live within 60 s; still waiting on it`);
  }
  return exited;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`[start] ${err.message}`);
      process.exit(1);
    },
  );
}
