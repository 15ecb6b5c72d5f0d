/**
 * `npm run bench:fingerprint`: a SHA-256 of every output the engine and the router give on the bench images, so a
 * refactor can prove it changed no output byte (`-- --write before.json`, change the code, `-- --compare before.json`).
 * Timings are left out; tier 3 runs with an unbounded time budget so its search is deterministic.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { routeConversion } from '@/lib/ai/router';
import { parseConversionRequest } from '@/lib/ai/request';
import { buildBenchmarkSet } from '@/scripts/dataset';
import { convertImage } from '@/lib/vectorize/convert-image';

type Variant = { name: string; every: number; run: (png: Buffer) => Promise<object> };

const route = (request: object) => (png: Buffer) => routeConversion(png, parseConversionRequest(request));
const engine = (options: Parameters<typeof convertImage>[1]) => (png: Buffer) => convertImage(png, options);

/** Timings differ run by run; everything else is output. */
const TIMINGS = new Set(['durationMs', 'inferenceMs']);

const VARIANTS: Variant[] = [
  { name: 'engine', every: 1, run: engine({ mode: 'auto', skipQuality: true }) },
  { name: 'engine-mono', every: 2, run: engine({ mode: 'mono' }) },
  {
    name: 'engine-cutout-subpixel2',
    every: 3,
    run: engine({ mode: 'color', params: { layering: 'cutout', subpixel: 2, colors: 8 } }),
  },
  { name: 'tier1', every: 1, run: route({ quality: 'fast' }) },
  { name: 'tier2', every: 1, run: route({ quality: 'balanced' }) },
  { name: 'tier2-noquality', every: 4, run: route({ quality: 'balanced', skipQuality: true }) },
  { name: 'tier3', every: 4, run: route({ quality: 'best', timeBudgetMs: 600_000 }) },
];

/** JSON with keys sorted at every level: a refactor may reorder a result's fields without changing an output. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([k, v]) => v !== undefined && !TIMINGS.has(k));
    entries.sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const program = new Command()
  .name('bench:fingerprint')
  .option('--write <file>', 'write the fingerprints here')
  .option('--compare <file>', 'compare with fingerprints written earlier; exit 1 on any difference')
  .option('--per-category <n>', 'source icons per category', (v) => Number(v), 30);

async function main() {
  const opts = program.parse().opts<{ write?: string; compare?: string; perCategory: number }>();
  const images = await buildBenchmarkSet({ size: 256, perCategory: opts.perCategory, seed: 1 });
  const prints: Record<string, string> = {};
  let errors = 0;
  for (const [i, image] of images.entries()) {
    for (const v of VARIANTS) {
      if (i % v.every !== 0) continue;
      const out = await v.run(image.png).catch((e: unknown) => ({ error: String(e) }));
      if ('error' in out) errors++;
      prints[`${image.id}|${v.name}`] = createHash('sha256').update(stableJson(out)).digest('hex');
    }
    if ((i + 1) % 40 === 0) console.error(`  ${i + 1}/${images.length}`);
  }
  console.error(
    `fingerprint: ${Object.keys(prints).length} outputs of ${images.length} images, ${errors} errors`,
  );
  if (opts.write) writeFileSync(opts.write, JSON.stringify(prints, null, 1));
  if (opts.compare) {
    const before = JSON.parse(readFileSync(opts.compare, 'utf8')) as Record<string, string>;
    const keys = new Set([...Object.keys(before), ...Object.keys(prints)]);
    const differ = [...keys].filter((k) => before[k] !== prints[k]);
    for (const k of differ.slice(0, 30)) console.log(`differs: ${k}`);
    console.log(`${keys.size - differ.length} of ${keys.size} outputs identical`);
    if (differ.length) process.exitCode = 1;
  }
}

await main();
