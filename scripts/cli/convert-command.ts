/** `cli convert`: converts many rasters in one process, writing <name>.svg and one JSON line per input. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { parseConversionRequest, type ConversionRequest } from '@/lib/ai/request';
import { exportFormatSchema, exportOptionsSchema, type ExportFormat } from '@/lib/export/export-options';
import { backgroundFromWord } from '@/lib/vectorize/background/background-options';
import { collectInputs } from './collect-inputs';
import { convertFile, type CliOutput, type FileJob } from './convert-file';
import { countIdleCores } from './count-idle-cores';
import { runJobs } from './run-jobs';

type ConvertFlags = {
  outDir: string;
  mode: string;
  recursive?: boolean;
  measure: boolean;
  quality: string;
  targetSsim?: number;
  timeBudget?: number;
  colors?: number;
  speckle?: number;
  cornerThreshold?: number;
  curveTolerance?: number;
  precision?: number;
  layering?: string;
  minRegionArea?: number;
  blur?: number;
  threshold?: number;
  subpixel?: number;
  cleanup?: string;
  gradients: boolean;
  translucency: boolean;
  primitives: boolean;
  maxBytes?: number;
  maxPixels?: number;
  jobs?: number;
  format: string;
  scale?: number;
  dxfCurves?: string;
  palette?: string;
  colorCount?: number;
  removeColors?: string;
  background?: string;
  ink?: string;
  svg?: string;
  title?: string;
  layers?: boolean;
};

/** Two levels up from this file, in the source (scripts/cli/) and in the bundle (dist/cli/) alike. */
const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

const num = (v: string) => (v.trim() === '' ? NaN : Number(v));

export function convertCommand(): Command {
  return new Command('convert')
    .description(
      'Convert raster images (PNG, JPEG, WebP, GIF, TIFF, AVIF) to SVG; one JSON line per input on stdout',
    )
    .argument('<inputs...>', 'image files and/or folders (folders: files with image extensions)')
    .requiredOption('-o, --out-dir <dir>', 'folder for the <name>.svg outputs (created if missing)')
    .addOption(
      new Option('-m, --mode <mode>', 'auto picks mono for one ink on white/transparent, else color')
        .choices(['auto', 'color', 'mono'])
        .default('auto'),
    )
    .option('-r, --recursive', 'also walk sub-folders of folder arguments')
    .option(
      '-f, --format <list>',
      'output formats, comma separated: svg, pdf (vector, one page), eps, dxf (a layer per colour), png',
      'svg',
    )
    .option('--scale <n>', 'PNG only: pixels per SVG pixel, 0.1..16', num)
    .addOption(
      new Option('--dxf-curves <kind>', 'DXF only: closed polylines or closed cubic splines').choices([
        'polyline',
        'spline',
      ]),
    )
    .option(
      '--palette <colors>',
      'user palette, comma separated hex (#d62828,#1d3557): every region snaps to the nearest',
    )
    .option('--color-count <n>', 'exactly this many colours, 1..64 (colour mode)', num)
    .option(
      '--remove-colors <colors>',
      'comma separated hex: these colours become transparent (e.g. the background)',
    )
    .option(
      '--background <keep|drop|#hex>',
      'the background (dominant colour at the border, or transparency): keep it, drop it (transparent) or replace it with a colour',
    )
    .option('--ink <#hex>', 'mono: the one ink colour (default #000000 with --mode mono)')
    .option('--svg <style>', 'SVG only: minified (default) or pretty (indented)')
    .option('--title <text>', 'SVG only: a <title>; {name} is the input file name without extension')
    .option('--layers', 'SVG only: each colour layer in a <g id="layer-N">, bottom to top')
    .addOption(
      new Option(
        '-q, --quality <level>',
        'fast: class defaults (tier 1); balanced: predicted parameters (tier 2); best: quality-feedback search (tier 3)',
      )
        .choices(['fast', 'balanced', 'best'])
        .default('balanced'),
    )
    .option('--target-ssim <s>', 'RGB-SSIM to reach, 0..1 (implies the tier-3 search)', num)
    .option('--time-budget <ms>', 'time budget of the tier-3 search per image, in ms (default 2000)', num)
    .option('--no-measure', 'skip the render-back SSIM/PSNR measurement where the tier allows (faster)')
    .option('--colors <n>', 'palette size upper bound, 2..64 (more: smoother gradients, bigger SVG)', num)
    .option('--speckle <px>', 'drop traced regions of at most this many pixels, 0..1000', num)
    .option('--corner-threshold <a>', 'potrace alphamax 0..1.334: 0 all corners sharp, 1.334 all smooth', num)
    .option('--curve-tolerance <px>', 'potrace opttolerance 0..2: curve joining deviation, 0 = off', num)
    .option('--precision <digits>', 'decimal places of path coordinates, 0..3', num)
    .addOption(
      new Option(
        '--layering <kind>',
        'stacked: layers overlap those above (no seams); cutout: disjoint',
      ).choices(['stacked', 'cutout']),
    )
    .option('--min-region-area <share>', 'merge regions smaller than this share of the image, 0..0.01', num)
    .option('--blur <sigma>', 'Gaussian pre-blur sigma in px before quantization, 0..3 (0 = off)', num)
    .option('--threshold <t>', 'mono luminance threshold 0..255, -1 = automatic (Otsu)', num)
    .option(
      '--subpixel <k>',
      'trace edges on a k times finer grid from the anti-aliasing, 1..4 (1 = off)',
      num,
    )
    .addOption(
      new Option(
        '--cleanup <mode>',
        'clean-up of JPEG artefacts, noise and soft edges before tracing: auto (detect) or off',
      ).choices(['auto', 'off']),
    )
    .option('--no-gradients', 'flat colour bands instead of fitted linear / radial gradients')
    .option('--no-translucency', 'paint constant partial-alpha regions (shadows, glass) opaque')
    .option('--no-primitives', 'trace circles, ellipses and rectangles instead of drawing them exactly')
    .option(
      '-j, --jobs <n>',
      'files converted in parallel (worker threads); default: idle CPU cores but one, at most 4',
      num,
    )
    .option('--max-bytes <n>', 'refuse files larger than this (default MAX_UPLOAD_BYTES)', num)
    .option('--max-pixels <n>', 'refuse images with more pixels than this (default MAX_PIXELS)', num)
    .addHelpText(
      'after',
      '\nOutput: one JSON line per input: {input, output, outputs, width, height, mode, params, type, confidence, tier,' +
        ' iterations, target, targetMet, ssim, ssimLuma, psnr, gmsd, bytes, paths, ms}\nor {input, error, message} for a file that failed (also reported on stderr). The exit code is 1' +
        ' when any input failed, 2 on invalid options.\n\nExamples:\n  npm run -s cli -- convert logo.png icons/ --out-dir out --mode color --colors 8\n' +
        '  npm run -s cli -- convert logo.png --out-dir out --format svg,pdf,png --scale 4 --palette "#d62828,#1d3557,#ffffff"\n' +
        '  npm run -s cli -- convert logo.png --out-dir out --mode mono --ink "#1d3557" --background drop --svg pretty --title "{name}" --layers',
    )
    .action(async (inputs: string[], flags: ConvertFlags) => {
      process.exitCode = await runConvert(inputs, flags);
    });
}

/**
 * Files each thread works on at once: a conversion waits for decoding, model inference and file I/O off the
 * thread, and a second file's CPU work fills those gaps (they were ~6% of a one-thread batch).
 */
const FILES_PER_THREAD = 2;

async function runConvert(inputs: string[], flags: ConvertFlags): Promise<number> {
  let request: ConversionRequest;
  let output: CliOutput;
  try {
    if (flags.jobs !== undefined) positiveInt(flags.jobs, '--jobs');
    output = parseOutput(flags);
    const palette = {
      colors: hexList(flags.palette),
      count: flags.colorCount,
      remove: hexList(flags.removeColors),
    };
    request = parseConversionRequest({
      palette: Object.values(palette).some((v) => v !== undefined) ? palette : undefined,
      mode: flags.mode,
      background: flags.background === undefined ? undefined : backgroundFromWord(flags.background),
      ink: flags.ink,
      quality: flags.quality,
      targetSsim: flags.targetSsim,
      timeBudgetMs: flags.timeBudget,
      skipQuality: !flags.measure,
      params: {
        colors: flags.colors,
        speckle: flags.speckle,
        cornerThreshold: flags.cornerThreshold,
        curveTolerance: flags.curveTolerance,
        precision: flags.precision,
        layering: flags.layering,
        minRegionArea: flags.minRegionArea,
        blur: flags.blur,
        threshold: flags.threshold,
        subpixel: flags.subpixel,
        cleanup: flags.cleanup,
        // the --no-* switches only ever turn a default off
        gradients: flags.gradients === false ? false : undefined,
        translucency: flags.translucency === false ? false : undefined,
        primitives: flags.primitives === false ? false : undefined,
      },
      limits:
        flags.maxBytes === undefined && flags.maxPixels === undefined
          ? undefined
          : {
              ...(await import('@/lib/config')).getConfig().limits,
              ...(flags.maxBytes === undefined ? {} : { maxBytes: flags.maxBytes }),
              ...(flags.maxPixels === undefined ? {} : { maxPixels: flags.maxPixels }),
            },
    });
  } catch (err) {
    process.stderr.write(`error: invalid option: ${flagMessage(err)}\n`);
    return 2;
  }

  await mkdir(flags.outDir, { recursive: true });
  const entries = await collectInputs(inputs, Boolean(flags.recursive));
  if (entries.length === 0) {
    process.stderr.write('error: no image files found in the given inputs\n');
    return 1;
  }
  const usedNames = new Set<string>();
  const jobs: FileJob[] = entries.map((entry) => ({
    input: entry.path,
    outputBase: entry.error ? '' : path.join(flags.outDir, uniqueName(entry.path, usedNames)),
    missing: entry.error,
  }));
  const threads = flags.jobs ?? (await defaultJobs(jobs.length));
  const inFlight = threads * FILES_PER_THREAD;
  const { ConvertPool, resolveWorkerFile } = await import('@/lib/worker-pool');
  const pool = new ConvertPool({
    workers: threads,
    queueSize: inFlight,
    tasksPerThread: FILES_PER_THREAD,
    filename: resolveWorkerFile(REPO_ROOT),
  });
  let failures = 0;
  try {
    await runJobs(
      jobs,
      inFlight,
      (job) => convertFile(job, request, pool, output),
      (outcome) => {
        writeLine(outcome.line);
        if (!outcome.ok) {
          failures++;
          process.stderr.write(`error: ${String(outcome.line.input)}: ${String(outcome.line.message)}\n`);
        }
      },
    );
  } finally {
    await pool.close();
  }
  return failures > 0 ? 1 : 0;
}

/** A bad option's message in the words of the command line: "--colors: Too big ...". */
function flagMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const palette: Record<string, string> = {
    colors: 'palette',
    count: 'color-count',
    remove: 'remove-colors',
  };
  return message
    .replace(
      /^background(?:\.replace)?:.*$/s,
      '--background: must be keep, drop or a hex colour like #1a2b3c',
    )
    .replace(/^palette\.(colors|count|remove)(?:\.\d+)?:/, (_, field: string) => `--${palette[field]}:`)
    .replace(/^(?:params\.|limits\.)?([A-Za-z]+):/, (_, field: string) => {
      const flag =
        field === 'timeBudgetMs' ? 'time-budget' : field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      return `--${flag}:`;
    });
}

/** Batches this small convert on one thread without sampling the machine. */
const SMALL_BATCH = 16;

/**
 * Idle cores but one, at most 4: like `make -l`, a batch does not pile worker threads onto an already busy
 * machine, and each converting thread keeps V8's garbage collector and compiler threads, decoding and model
 * inference busy on another core (about half a core per thread). On 2 cores a second thread only slowed the
 * batch: 120 images took 8.1-9.1 s on one thread against 8.9-9.7 s on two, with a third more CPU time.
 * Measured only for batches big enough to use workers (sampling costs ~0.1 s of wall time).
 */
async function defaultJobs(files: number): Promise<number> {
  if (files < SMALL_BATCH) return 1;
  const idle = Math.round(await countIdleCores());
  return Math.max(1, Math.min(4, idle - 1));
}

/** `logo` for logo.png, `logo-2` for a second logo.jpg: one base name per input, whatever the formats. */
function uniqueName(input: string, used: Set<string>): string {
  const base = path.basename(input, path.extname(input)) || 'image';
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
  used.add(name);
  return name;
}

/** --format, --scale and --dxf-curves through the export options schema, in the command line's words. */
function parseOutput(flags: ConvertFlags): CliOutput {
  const formats = [
    ...new Set(
      flags.format
        .split(',')
        .map((f) => f.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  if (formats.length === 0) throw new Error('--format: name at least one format');
  for (const f of formats) {
    if (!exportFormatSchema.safeParse(f).success) {
      throw new Error(`--format: "${f}" is not one of ${exportFormatSchema.options.join(', ')}`);
    }
  }
  const parsed = exportOptionsSchema.omit({ format: true }).safeParse({
    ...(flags.scale === undefined ? {} : { scale: flags.scale }),
    ...(flags.dxfCurves === undefined ? {} : { curves: flags.dxfCurves }),
    ...(flags.svg === undefined ? {} : { svg: flags.svg }),
    ...(flags.title === undefined ? {} : { title: flags.title }),
    layers: Boolean(flags.layers),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag =
      { scale: '--scale', curves: '--dxf-curves' }[String(issue.path[0])] ?? `--${String(issue.path[0])}`;
    throw new Error(`${flag}: ${issue.message}`);
  }
  return { formats: formats as ExportFormat[], ...parsed.data };
}

function hexList(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((c) => c.trim());
}

function positiveInt(v: number, flag: string): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${flag}: must be a positive integer`);
  return v;
}

function writeLine(obj: Record<string, unknown>) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}
