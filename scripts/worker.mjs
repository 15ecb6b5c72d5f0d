#!/usr/bin/env node
// `npm run worker`: one batch worker process (lib/batch/worker-main.ts, bundled as dist/workers/batch-worker.mjs
// by `npm run build:worker`). It converts batch items from BullMQ (REDIS_URL) or, without Redis, from the
// embedded queue's rows in DATABASE_URL, WORKER_CONCURRENCY at a time on WORKERS threads. It runs the same in
// the repository and in a release (scripts/deploy/assemble-release.mjs copies it beside server.js), e.g.
// `docker run IMAGE node scripts/worker.mjs`. SIGTERM finishes (or hands back) the running jobs, then exits 0.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_DATABASE_URL, loadDotenv, resolveDatabaseUrl, root } from './db/database-url.mjs';

await loadDotenv();
const bundle = path.join(root, 'dist/workers/batch-worker.mjs');
if (!existsSync(bundle)) {
  console.error(`[worker] ${bundle} is missing: run \`npm run build:worker\` first.`);
  process.exit(1);
}
// Relative paths mean the app root, as for the server (scripts/start.mjs serverEnv).
process.env.DATABASE_URL = resolveDatabaseUrl(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, root).url;
for (const [name, def] of [
  ['MODELS_DIR', 'models'],
  ['DATA_DIR', 'data'],
  ['CACHE_DIR', 'data/cache'],
]) {
  process.env[name] = path.resolve(root, process.env[name] || def);
}
process.env.MALLOC_ARENA_MAX ||= '2';
process.chdir(root);
await import(pathToFileURL(bundle).href);
