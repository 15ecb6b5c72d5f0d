#!/usr/bin/env node
// Runs the local Prisma CLI offline: sets the engine overrides before the CLI starts, creates the SQLite
// folder, and resolves a relative SQLite path against the repo root. Usage: node scripts/db/prisma.mjs <args>.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

import { loadDotenv, resolveDatabaseUrl, root } from './database-url.mjs';

/** The environment every Prisma CLI call gets. */
export function prismaEnv(env = process.env) {
  const target = resolveDatabaseUrl(env.DATABASE_URL || 'file:./data/app.db');
  if (target.provider === 'sqlite' && target.file !== ':memory:')
    mkdirSync(path.dirname(target.file), { recursive: true });
  return {
    ...env,
    DATABASE_URL: target.url,
    PRISMA_QUERY_ENGINE_LIBRARY: env.PRISMA_QUERY_ENGINE_LIBRARY || path.join(root, 'package.json'),
    PRISMA_SCHEMA_ENGINE_BINARY: env.PRISMA_SCHEMA_ENGINE_BINARY || '/bin/false',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  };
}

export function findPrismaCli() {
  try {
    return createRequire(path.join(root, 'package.json')).resolve('prisma/build/index.js');
  } catch {
    return null;
  }
}

/** Runs the CLI synchronously; returns its exit status. */
export function runPrisma(args, { env = process.env, stdio = 'inherit' } = {}) {
  const cli = findPrismaCli();
  if (!cli) {
    console.error('The Prisma CLI is not installed (it is a dev dependency): run `npm install`.');
    return 1;
  }
  const res = spawnSync(process.execPath, [cli, ...args], { cwd: root, env: prismaEnv(env), stdio });
  if (res.error) throw res.error;
  return res.status ?? 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await loadDotenv();
  if (!existsSync(path.join(root, 'prisma.config.ts'))) throw new Error('prisma.config.ts missing');
  process.exit(runPrisma(process.argv.slice(2)));
}
