/** `npm run bench`: runs our engine and the peers on the same labelled images and writes bench/RESULTS.md. */
import { Command, InvalidArgumentError } from 'commander';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImageType } from '@/lib/ai/types';
import {
  buildBenchmarkSet,
  CATEGORIES,
  listSetLicenses,
  loadIconSources,
  type Background,
} from '@/scripts/dataset';
import { compareImages, measureGmsd, measureSsim, renderSvg } from '@/lib/quality';
import { hashString } from '@/scripts/dataset/random';
import { DEGRADATIONS, degradedInputs } from './degrade';
import { inspectSvg } from './inspect-svg';
import { runSpeedComparison } from './speed';
import {
  compareRuns,
  groupStats,
  PSNR_CAP,
  renderReport,
  setStats,
  statsTable,
  type Group,
  type ImageRecord,
} from './summarize';
import { fromBenchImage, loadImageFolder, type BenchInput } from './bench-input';
import type { BenchTool } from './bench-tool';
import { createTools, DEFAULT_TOOLS, resolveToolNames, TOOL_FACTORIES } from './tools';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const BLACK = [0, 0, 0] as const;

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};
const list = (v: string, prev: string[] = []) => [
  ...prev,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

const program = new Command()
  .name('bench')
  .description(
    'Benchmark our engine against vtracer, imagetracerjs, potrace and an empty SVG on the same images.',
  )
  .option(
    '--per-category <n>',
    'source icons per category (each rendered on every background)',
    positiveInt,
    30,
  )
  .option(
    '--tool <names>',
    `tools, comma separated or repeated: ${Object.keys(TOOL_FACTORIES).join(', ')}, 'default' (${DEFAULT_TOOLS.join(', ')}) or 'all'`,
    list,
  )
  .option('--category <names>', `categories (${CATEGORIES.join(', ')}, degraded)`, list)
  .option(
    '--degraded <n>',
    `source icons per category for the degraded category (${DEGRADATIONS.join(', ')}; scored against the clean image); 0 = none`,
    (v: string) => (v === '0' ? 0 : positiveInt(v)),
    5,
  )
  .option('--background <names>', 'backgrounds (white, transparent)', list)
  .option('--size <px>', 'image size', positiveInt, 256)
  .option('--seed <n>', 'sampling seed', positiveInt, 1)
  .option(
    '--speed',
    'run the batch CLI vs imagetracerjs speed comparison (default: only with the full tool list)',
  )
  .option('--no-speed', 'skip the speed comparison')
  .option('--speed-images <n>', 'images in the speed comparison', positiveInt, 120)
  .option('--speed-repeats <n>', 'runs per side in the speed comparison (fastest kept)', positiveInt, 2)
  .option(
    '--results <file>',
    'write the markdown report here (default bench/RESULTS.md for a full run, none otherwise)',
  )
  .option(
    '--images <dir>',
    'run on every image in this folder instead of the dataset (category = a folder named like one)',
  )
  .option('--out <dir>', 'folder for results.json and scratch files', 'bench/out')
  .option('--timeout-ms <ms>', 'per-image timeout for one tool', positiveInt, 60_000)
  .addHelpText('after', '\nQuick engine iteration: npm run bench -- --tool ours --per-category 10');

type Options = {
  perCategory: number;
  tool?: string[];
  category?: string[];
  degraded: number;
  background?: string[];
  size: number;
  seed: number;
  speed?: boolean;
  speedImages: number;
  speedRepeats: number;
  results?: string;
  images?: string;
  out: string;
  timeoutMs: number;
};

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function measureOne(tool: BenchTool, image: BenchInput, timeoutMs: number): Promise<ImageRecord> {
  const base = {
    tool: tool.name,
    imageId: image.id,
    sourceId: image.sourceId,
    set: image.set,
    category: image.category,
    background: image.background,
  };
  const started = performance.now();
  let svg: string;
  let meta: ImageRecord['meta'];
  try {
    const out = await withTimeout(tool.convert(image.png, image.rgba), timeoutMs);
    svg = typeof out === 'string' ? out : out.svg;
    meta = typeof out === 'string' ? undefined : out.meta;
    // A tool that reports the image type it detected gets scored against the dataset label.
    if (typeof meta?.type === 'string') meta = { ...meta, typeCorrect: meta.type === image.category };
  } catch (err) {
    const ms = performance.now() - started;
    return {
      ...base,
      ok: false,
      error: err instanceof Error ? err.message : String(err),
      ms,
      ssim: 0,
      ssimLuma: 0,
      psnr: 0,
      bytes: 0,
      paths: 0,
      unsafe: [],
      rasters: 0,
    };
  }
  const ms = performance.now() - started;
  const facts = inspectSvg(svg);
  try {
    const rendered = renderSvg(svg, image.rgba.width, image.rgba.height);
    const q = compareImages(rendered, image.rgba);
    const ssimOverBlack =
      image.background === 'transparent' ? measureSsim(rendered, image.rgba, BLACK).ssim : undefined;
    return {
      ...base,
      ok: true,
      ms,
      ssim: q.ssim,
      ssimLuma: q.ssimLuma,
      psnr: Math.min(PSNR_CAP, q.psnr),
      gmsd: measureGmsd(rendered, image.rgba),
      ssimOverBlack,
      ...facts,
      meta,
    };
  } catch (err) {
    return {
      ...base,
      ok: false,
      error: `render: ${err instanceof Error ? err.message : String(err)}`,
      ms,
      ssim: 0,
      ssimLuma: 0,
      psnr: 0,
      ...facts,
      meta,
    };
  }
}

/** Which code was measured: the commit, and whether the engine or the bench had uncommitted edits. */
function describeCode(): string {
  const git = (args: string[]) => spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
  const head = git(['rev-parse', '--short', 'HEAD']);
  if (head.status !== 0) return 'not a git checkout';
  const dirty = git([
    'status',
    '--porcelain',
    '--',
    'lib/vectorize',
    'lib/quality',
    'lib/ai',
    'scripts/cli.ts',
    'scripts/cli',
  ]);
  const changed = dirty.stdout.trim()
    ? ' plus uncommitted changes in the engine (working tree measured)'
    : '';
  return `commit ${head.stdout.trim()}${changed}`;
}

/** Identifies an image list, so a new run is only compared with an earlier run of exactly the same images. */
function imagesKey(images: BenchInput[]): string {
  return `${images.length}:${hashString(images.map((i) => `${i.id}/${i.rgba.width}`).join('|')).toString(16)}`;
}

function readPreviousGroups(file: string, key: string): Group[] | null {
  if (!existsSync(file)) return null;
  try {
    const prev = JSON.parse(readFileSync(file, 'utf8')) as { imagesKey?: string; groups?: Group[] };
    return prev.imagesKey === key && prev.groups ? prev.groups : null;
  } catch {
    return null;
  }
}

function describeMachine(): string {
  const cpus = os.cpus();
  const load = os.loadavg()[0].toFixed(2);
  return `${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, ${os.platform()} ${os.release()}, Node ${process.version} (load average ${load} at start; the machine is shared)`;
}

async function main(): Promise<void> {
  const opts = program.parse().opts<Options>();
  const started = performance.now();
  const toolNames = resolveToolNames(opts.tool);
  // RESULTS.md and the speed run belong to runs that include every default tool.
  const fullRun = DEFAULT_TOOLS.every((t) => toolNames.includes(t));
  const asked = opts.category?.length ? opts.category : [...CATEGORIES, 'degraded'];
  const withDegraded = asked.includes('degraded') && opts.degraded > 0;
  const requested = asked.filter((c) => c !== 'degraded') as ImageType[];
  const badCategory = requested.find((c) => !CATEGORIES.includes(c));
  if (badCategory) throw new InvalidArgumentError(`unknown category ${badCategory}`);
  const backgrounds = (opts.background?.length ? opts.background : ['white', 'transparent']) as Background[];
  if (backgrounds.some((b) => b !== 'white' && b !== 'transparent'))
    throw new InvalidArgumentError('backgrounds are white, transparent');
  // A folder run is not the dataset benchmark: it writes a report only when asked to.
  const resultsFile = opts.results ?? (fullRun && !opts.images ? 'bench/RESULTS.md' : undefined);
  const runSpeed = opts.speed ?? (fullRun && !opts.images);
  const tools = await createTools(toolNames);
  let images: BenchInput[];
  let categories: string[] = requested;
  if (opts.images) {
    const folder = await loadImageFolder(opts.images);
    for (const s of folder.skipped) console.error(`  skipped ${s}`);
    if (!folder.inputs.length) throw new Error(`no readable images under ${opts.images}`);
    images = folder.inputs;
    const present = new Set(images.map((i) => i.category));
    categories = [
      ...CATEGORIES.filter((c) => present.has(c)),
      ...[...present].filter((c) => !CATEGORIES.includes(c as ImageType)).sort(),
    ];
  } else {
    const set = await buildBenchmarkSet({
      size: opts.size,
      perCategory: opts.perCategory,
      seed: opts.seed,
      backgrounds,
      categories: requested,
    });
    images = set.map(fromBenchImage);
    if (withDegraded) {
      // the same held-out split, other icons (seed + 500), on white: JPEG and noise have no transparency
      const clean = await buildBenchmarkSet({
        size: opts.size,
        perCategory: opts.degraded,
        seed: opts.seed + 500,
        backgrounds: ['white'],
      });
      images.push(...(await degradedInputs(clean)));
      categories = [...categories, 'degraded'];
    }
  }
  console.error(
    `bench: ${images.length} images x ${tools.length} tools (${tools.map((t) => t.name).join(', ')})`,
  );

  // One untimed call each, so module loading and JIT warm-up are not billed to the first image.
  if (images.length) for (const tool of tools) await measureOne(tool, images[0], opts.timeoutMs);

  const records: ImageRecord[] = [];
  for (const [i, image] of images.entries()) {
    for (const tool of tools) records.push(await measureOne(tool, image, opts.timeoutMs));
    if ((i + 1) % 20 === 0 || i === images.length - 1) {
      console.error(
        `  ${i + 1}/${images.length} images, ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
    }
  }
  const failures = records.filter((r) => !r.ok);
  for (const f of failures.slice(0, 20)) console.error(`  FAIL ${f.tool} ${f.imageId}: ${f.error}`);

  const groups = groupStats(records, toolNames, categories);
  const pick = (category: string) => groups.filter((g) => g.category === category && g.background === 'all');
  console.log(`\n## All images\n\n${statsTable(pick('all'))}`);
  for (const c of categories) console.log(`## ${c}\n\n${statsTable(pick(c))}`);

  let speed = null;
  if (runSpeed) {
    console.error(`bench: speed comparison over ${opts.speedImages} images`);
    const perCat = Math.ceil(opts.speedImages / (CATEGORIES.length * 2));
    const speedImages = (
      await buildBenchmarkSet({
        size: opts.size,
        perCategory: perCat,
        seed: opts.seed + 1000,
        splits: ['test', 'val'],
      })
    ).slice(0, opts.speedImages);
    speed = runSpeedComparison(
      speedImages,
      path.resolve(REPO_ROOT, opts.out, 'speed'),
      REPO_ROOT,
      opts.speedRepeats,
    );
    console.log(
      `speed: CLI ${speed.cli.perImageMs?.toFixed(1) ?? 'n/a'} ms/image (${speed.cli.note}); imagetracerjs ${speed.imagetracer.perImageMs?.toFixed(1) ?? 'n/a'} ms/image (${speed.imagetracer.note})`,
    );
  }

  const totalSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage();
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const outDir = path.resolve(REPO_ROOT, opts.out);
  mkdirSync(outDir, { recursive: true });
  const jsonName = fullRun ? 'results.json' : `results-${toolNames.join('-')}.json`;
  const previous = readPreviousGroups(path.join(outDir, jsonName), imagesKey(images));
  if (previous) {
    const delta = compareRuns(previous, groups);
    if (delta) console.log(`## Change since the last run on the same images\n\n${delta}`);
  }
  const report = {
    date: new Date().toISOString(),
    machine: describeMachine(),
    code: describeCode(),
    options: { ...opts, tools: toolNames, categories, backgrounds },
    tools: tools.map((t) => ({ name: t.name, description: t.description })),
    imagesKey: imagesKey(images),
    groups,
    speed,
    records,
  };
  writeFileSync(path.join(outDir, jsonName), JSON.stringify(report, null, 1));
  console.error(`bench: wrote ${path.join(outDir, jsonName)}`);

  if (resultsFile) {
    const md = renderReport({
      date: report.date.replace('T', ' ').slice(0, 16) + ' UTC',
      machine: report.machine,
      code: report.code,
      command: `npm run bench${process.argv.slice(2).length ? ' -- ' + process.argv.slice(2).join(' ') : ''}`,
      size: opts.size,
      seed: opts.seed,
      perCategory: opts.perCategory,
      degraded: {
        perCategory: withDegraded ? opts.degraded : 0,
        images: images.filter((i) => i.category === 'degraded').length,
      },
      imageCount: images.length,
      sourceCount: loadIconSources().length,
      categories,
      backgrounds,
      tools: report.tools,
      groups,
      speed,
      totalSeconds,
      cpuSeconds,
      licenses: opts.images ? {} : listSetLicenses(),
      bySet: setStats(records, toolNames),
      folder: opts.images,
    });
    writeFileSync(path.resolve(REPO_ROOT, resultsFile), md);
    console.error(`bench: wrote ${resultsFile}`);
  }
  console.error(
    `bench: done in ${totalSeconds.toFixed(0)} s (${cpuSeconds.toFixed(0)} s CPU in this process)`,
  );
}

main().catch((err) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
