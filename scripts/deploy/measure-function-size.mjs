#!/usr/bin/env node
// Measures what a serverless deploy (Vercel) ships for one route: the files Next's tracer lists for the route
// (route.js.nft.json) plus the shared minimal server (next-minimal-server.js.nft.json), deduplicated, real sizes.
// Compares the total with Vercel's limit for a function (250 MB uncompressed).
//
//   node scripts/deploy/measure-function-size.mjs [--route app/api/v1/convert] [--json]
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VERCEL_LIMIT_BYTES = 250 * 1024 * 1024;
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(
    'usage: node scripts/deploy/measure-function-size.mjs [--route app/api/v1/convert] [--json]\n  Run `npm run build` first.',
  );
  process.exit(0);
}
const route = args.includes('--route') ? args[args.indexOf('--route') + 1] : 'app/api/v1/convert';
const routeDir = path.join(root, '.next/server', route);
const traces = [
  path.join(routeDir, 'route.js.nft.json'),
  path.join(root, '.next/next-minimal-server.js.nft.json'),
];
for (const t of traces) {
  if (!existsSync(t)) {
    console.error(`measure-function-size: ${path.relative(root, t)} not found: run \`npm run build\` first`);
    process.exit(1);
  }
}

const files = new Map();
const add = (file) => {
  try {
    const real = realpathSync(file);
    const st = statSync(real);
    if (st.isFile()) files.set(real, st.size);
  } catch {
    // optional files the tracer lists but the platform lacks (other OS binaries)
  }
};
add(path.join(routeDir, 'route.js'));
for (const t of traces)
  for (const f of JSON.parse(readFileSync(t, 'utf8')).files) add(path.resolve(path.dirname(t), f));

const groups = new Map();
for (const [file, size] of files) {
  const rel = path.relative(root, file);
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(rel);
  const key = m ? `node_modules/${m[1]}` : rel.split(path.sep).slice(0, 2).join('/');
  groups.set(key, (groups.get(key) ?? 0) + size);
}
const total = [...files.values()].reduce((a, b) => a + b, 0);
const top = [...groups.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
const result = {
  route,
  files: files.size,
  totalBytes: total,
  limitBytes: VERCEL_LIMIT_BYTES,
  shareOfLimit: Math.round((total / VERCEL_LIMIT_BYTES) * 1000) / 1000,
  largest: top.map(([name, bytes]) => ({ name, bytes })),
};
if (args.includes('--json')) console.log(JSON.stringify(result, null, 2));
else {
  const mb = (b) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  console.log(
    `${route}: ${files.size} files, ${mb(total)} uncompressed (${(result.shareOfLimit * 100).toFixed(0)}% of Vercel's 250 MB)`,
  );
  for (const { name, bytes } of result.largest) console.log(`  ${mb(bytes).padStart(9)}  ${name}`);
}
process.exit(total > VERCEL_LIMIT_BYTES ? 1 : 0);
