/**
 * `npm run bench:ai`: runs the benchmark's held-out test images through the engine defaults and AI tiers 1-3,
 * and prints (and writes to models/tier-metrics.json) per category: mean RGB-SSIM, bytes, ms, the share of
 * images meeting their class target, and classifier accuracy. Usage: npm run bench:ai -- [perCategory] [budgetMs]
 */
import { writeFile } from 'node:fs/promises';
import { getConfig } from '@/lib/config';
import { parseConversionRequest } from '@/lib/ai/request';
import { routeConversion } from '@/lib/ai/router';
import { buildBenchmarkSet, CATEGORIES } from '@/scripts/dataset';
import { measureQuality } from '@/lib/quality';
import { convertImage } from '@/lib/vectorize/convert-image';

const perCategory = Number(process.argv[2] ?? 10);
const budget = Number(process.argv[3] ?? 2000);
const OUT = 'models/tier-metrics.json';

type Rec = {
  tool: string;
  category: string;
  ssim: number;
  bytes: number;
  ms: number;
  met: boolean;
  typeOk: boolean;
};
/** A tier-3 image below its class target, with what the router said about it (for the model card). */
type Miss = { id: string; category: string; type?: string; ssim: number; target: number; reason?: string };

async function main() {
  const images = await buildBenchmarkSet({ perCategory, size: 256 });
  const targets = getConfig().qualityTargets;
  const recs: Rec[] = [];
  const misses: Miss[] = [];
  const tools: Record<string, (png: Buffer) => Promise<{ svg: string; type?: string; reason?: string }>> = {
    'engine-defaults': async (png) => ({
      svg: (await convertImage(png, { mode: 'auto', skipQuality: true })).svg,
    }),
    'ai-tier1': async (png) => routeConversion(png, parseConversionRequest({ quality: 'fast' })),
    'ai-tier2': async (png) => routeConversion(png, parseConversionRequest({ quality: 'balanced' })),
    'ai-tier3': async (png) =>
      routeConversion(png, parseConversionRequest({ quality: 'best', timeBudgetMs: budget })),
  };
  // warm-up: load models, JIT
  for (const run of Object.values(tools)) await run(images[0].png);
  for (const img of images) {
    for (const [tool, run] of Object.entries(tools)) {
      const t0 = performance.now();
      const out = await run(img.png);
      const ms = performance.now() - t0;
      const { ssim } = measureQuality(out.svg, img.rgba);
      const target = targets[img.category];
      recs.push({
        tool,
        category: img.category,
        ssim,
        bytes: Buffer.byteLength(out.svg),
        ms,
        met: ssim >= target,
        typeOk: out.type === undefined || out.type === img.category,
      });
      if (tool === 'ai-tier3' && ssim < target) {
        misses.push({ id: img.id, category: img.category, type: out.type, ssim, target, reason: out.reason });
      }
    }
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
  const rows = [];
  for (const tool of Object.keys(tools)) {
    for (const category of [...CATEGORIES, 'all']) {
      const r = recs.filter((x) => x.tool === tool && (category === 'all' || x.category === category));
      rows.push({
        tool,
        category,
        images: r.length,
        ssim: mean(r.map((x) => x.ssim)),
        bytes: mean(r.map((x) => x.bytes)),
        ms: mean(r.map((x) => x.ms)),
        meetsTarget: mean(r.map((x) => (x.met ? 1 : 0))),
        typeAccuracy: tool.startsWith('ai') ? mean(r.map((x) => (x.typeOk ? 1 : 0))) : null,
      });
    }
  }
  console.log('| tool | category | images | RGB-SSIM | bytes | ms | meets class target | type accuracy |');
  console.log('| --- | --- | --: | --: | --: | --: | --: | --: |');
  for (const r of rows) {
    console.log(
      `| ${r.tool} | ${r.category} | ${r.images} | ${r.ssim.toFixed(4)} | ${r.bytes.toFixed(0)} | ${r.ms.toFixed(0)} | ${(r.meetsTarget * 100).toFixed(0)}% | ${r.typeAccuracy === null ? '' : (r.typeAccuracy * 100).toFixed(0) + '%'} |`,
    );
  }
  await writeFile(
    OUT,
    JSON.stringify({ perCategory, budgetMs: budget, targets, images: images.length, rows, misses }, null, 2) +
      '\n',
  );
  for (const m of misses) {
    console.log(
      `tier 3 miss: ${m.id} (${m.category}, classified ${m.type}) ${m.ssim.toFixed(4)} < ${m.target}: ${m.reason}`,
    );
  }
  console.log(`wrote ${OUT}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
