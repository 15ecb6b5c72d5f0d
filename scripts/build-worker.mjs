#!/usr/bin/env node
/**
 * Bundles the conversion worker (lib/worker-pool/convert-worker.ts) into dist/workers/convert-worker.mjs so it
 * loads the same way under `next dev`, the `next build` standalone server and vitest. Native packages stay
 * external (they resolve from node_modules at run time). Skips the build when the bundle is newer than every
 * input it was built from; `--force` rebuilds anyway.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'lib/worker-pool/convert-worker.ts');
const outFile = path.join(root, 'dist/workers/convert-worker.mjs');
// The batch worker process (`npm run worker`, scripts/worker.mjs): bundled beside it, the same way.
const batchEntry = path.join(root, 'lib/batch/worker-entry.ts');
const batchOutFile = path.join(root, 'dist/workers/batch-worker.mjs');
const metaFile = `${outFile}.meta.json`;

/** Packages with native addons or data files located at run time: never bundled. */
export const WORKER_EXTERNALS = [
  'sharp',
  '@img/*',
  '@resvg/*',
  'onnxruntime-node',
  'onnxruntime-common',
  'better-sqlite3',
  '@prisma/*',
  'pino',
  'pino-pretty',
  'thread-stream',
  // svgo's CSS stack (css-tree) reads its JSON data through createRequire at run time; the engine imports the
  // self-contained svgo/browser build, kept external the same way.
  'svgo',
  'svgo/*',
  // BullMQ loads its Lua scripts and msgpackr's optional native addon at run time
  'bullmq',
  'ioredis',
  // piscina starts its threads from its own worker.js (the batch worker process runs the pool)
  'piscina',
];

function isFresh() {
  if (!existsSync(outFile) || !existsSync(batchOutFile) || !existsSync(metaFile)) return false;
  const built = Math.min(statSync(outFile).mtimeMs, statSync(batchOutFile).mtimeMs);
  try {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    return Object.keys(meta.inputs).every((input) => {
      const file = path.resolve(root, input);
      return existsSync(file) && statSync(file).mtimeMs <= built;
    });
  } catch {
    return false;
  }
}

export async function buildWorker({ force = false, quiet = false } = {}) {
  if (!force && isFresh()) {
    if (!quiet) console.log(`worker bundle up to date: ${path.relative(root, outFile)}`);
    return outFile;
  }
  const { build } = await import('esbuild');
  mkdirSync(path.dirname(outFile), { recursive: true });
  // Build to a private temp name, then rename: parallel test processes never see a half-written bundle.
  const tmpDir = path.join(path.dirname(outFile), `.build-${process.pid}`);
  const result = await build({
    entryPoints: { 'convert-worker': entry, 'batch-worker': batchEntry },
    outdir: tmpDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    metafile: true,
    logLevel: 'warning',
    external: WORKER_EXTERNALS,
    tsconfig: path.join(root, 'tsconfig.json'),
    absWorkingDir: root,
    // CommonJS dependencies inside an ESM bundle still call require() and read __dirname.
    banner: {
      js: [
        "import { createRequire as __svgaiCreateRequire } from 'node:module';",
        "import { fileURLToPath as __svgaiFileURLToPath } from 'node:url';",
        "import { dirname as __svgaiDirname } from 'node:path';",
        'const require = __svgaiCreateRequire(import.meta.url);',
        'const __filename = __svgaiFileURLToPath(import.meta.url);',
        'const __dirname = __svgaiDirname(__filename);',
      ].join('\n'),
    },
  });
  writeFileSync(metaFile, JSON.stringify({ inputs: result.metafile.inputs }));
  renameSync(path.join(tmpDir, 'convert-worker.mjs'), outFile);
  renameSync(path.join(tmpDir, 'batch-worker.mjs'), batchOutFile);
  rmSync(tmpDir, { recursive: true, force: true });
  if (!quiet) console.log(`built ${path.relative(root, outFile)}`);
  return outFile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWorker({ force: process.argv.includes('--force') }).catch((error) => {
    console.error(error.message ?? error);
    process.exit(1);
  });
}
