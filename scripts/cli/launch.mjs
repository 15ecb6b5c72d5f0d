#!/usr/bin/env node
/**
 * Fast start for `npm run cli`: runs scripts/cli.ts from an esbuild bundle (dist/cli/) instead of through tsx,
 * whose loader alone costs ~0.5 s per process. The bundle is rebuilt when any source it was built from is
 * newer; dependencies stay external and heavy modules stay in lazily loaded chunks. Falls back to tsx if
 * esbuild is unavailable.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = path.join(root, 'scripts/cli.ts');
const outDir = path.join(root, 'dist/cli');
const outFile = path.join(outDir, 'cli.mjs');
const metaFile = path.join(outDir, 'meta.json');

function isFresh() {
  if (!existsSync(outFile) || !existsSync(metaFile)) return false;
  try {
    const { inputs, builtAt } = JSON.parse(readFileSync(metaFile, 'utf8'));
    return inputs.every((input) => {
      const file = path.resolve(root, input);
      return existsSync(file) && statSync(file).mtimeMs <= builtAt;
    });
  } catch {
    return false;
  }
}

async function build() {
  const { build: esbuild } = await import('esbuild');
  const builtAt = Date.now();
  // Build privately, then move chunks before the entry: a concurrent reader sees either the old entry with
  // its old chunks (never deleted here) or the new entry with its chunks already in place.
  const tmp = path.join(root, 'dist', `.cli-${process.pid}-${builtAt}`);
  const result = await esbuild({
    entryPoints: { cli: entry },
    outdir: tmp,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
    tsconfig: path.join(root, 'tsconfig.json'),
    absWorkingDir: root,
  });
  mkdirSync(outDir, { recursive: true });
  const files = readdirSync(tmp).sort((a, b) => (a === 'cli.mjs') - (b === 'cli.mjs'));
  for (const f of files) renameSync(path.join(tmp, f), path.join(outDir, f));
  rmSync(tmp, { recursive: true, force: true });
  const inputs = Object.keys(result.metafile.inputs).filter((i) => !i.includes('node_modules'));
  writeFileSync(metaFile, JSON.stringify({ inputs, builtAt }));
}

// The conversions run on the server's worker pool, from its bundle (built as `npm run build` builds it).
try {
  const { buildWorker } = await import('../build-worker.mjs');
  await buildWorker({ quiet: true });
} catch (err) {
  process.stderr.write(`cli: cannot build the worker bundle (${err?.message ?? err})\n`);
}

let bundled = false;
try {
  if (!isFresh()) await build();
  bundled = true;
} catch (err) {
  process.stderr.write(`cli: bundle unavailable (${err?.message ?? err}); running through tsx\n`);
}
if (bundled) {
  await import(pathToFileURL(outFile).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(entry).href);
}
