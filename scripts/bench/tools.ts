/** The converters the benchmark compares: each is a name plus convert(png, rgba) -> svg. Add a column by adding one. */
import sharp from 'sharp';
import type { ConversionResult, EngineOptions } from '@/lib/vectorize/types';
import { createAiTierTool } from './ai-tools';
import type { BenchTool } from './bench-tool';

type ConvertImage = (input: Buffer, options?: EngineOptions) => Promise<ConversionResult>;

/** Imported lazily so the bench still runs (reporting the engine as missing) while the engine is being written. */
async function loadConvertImage(): Promise<ConvertImage | null> {
  const specifier = '@/lib/vectorize/convert-image';
  try {
    const mod = (await import(specifier)) as { convertImage?: ConvertImage };
    return typeof mod.convertImage === 'function' ? mod.convertImage : null;
  } catch {
    return null;
  }
}

async function createOursTool(variant: 'default' | 'no-cleanup' = 'default'): Promise<BenchTool> {
  const convertImage = await loadConvertImage();
  const params: EngineOptions['params'] = variant === 'no-cleanup' ? { cleanup: 'off' } : undefined;
  return {
    name: variant === 'no-cleanup' ? 'ours-no-cleanup' : 'ours',
    description: convertImage
      ? `\`convertImage()\` from lib/vectorize, mode auto, default parameters${params ? ' but cleanup off (the clean-up of real uploads skipped)' : ''} (its own quality pass skipped: the bench measures)`
      : 'lib/vectorize/convert-image.ts is MISSING: every image counts as a failure',
    async convert(png) {
      if (!convertImage) throw new Error('lib/vectorize/convert-image.ts not found');
      const result = await convertImage(png, { mode: 'auto', skipQuality: true, params });
      return { svg: result.svg, meta: { colorMode: result.mode === 'color' } };
    },
  };
}

async function createVtracerTool(): Promise<BenchTool> {
  const { vectorize } = await import('@neplex/vectorizer');
  return {
    name: 'vtracer',
    description: '@neplex/vectorizer `vectorize(png)` with no config: VTracer colour mode, its defaults',
    convert: (png) => vectorize(png),
  };
}

type ImageTracer = {
  imagedataToSVG(img: { width: number; height: number; data: Uint8ClampedArray }, options?: unknown): string;
};

async function createImagetracerTool(): Promise<BenchTool> {
  // @ts-expect-error imagetracerjs ships no types
  const tracer = ((await import('imagetracerjs')) as { default: ImageTracer }).default;
  return {
    name: 'imagetracerjs',
    description: 'imagetracerjs `imagedataToSVG` with default options, PNG decoded by sharp (decode timed)',
    async convert(png) {
      const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const pixels = new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength);
      return tracer.imagedataToSVG({ width: info.width, height: info.height, data: pixels });
    },
  };
}

type Potrace = { trace(input: Buffer, cb: (err: Error | null, svg: string) => void): void };

async function createPotraceTool(): Promise<BenchTool> {
  // @ts-expect-error potrace ships no types
  const potrace = ((await import('potrace')) as { default: Potrace }).default;
  return {
    name: 'potrace',
    description:
      'npm `potrace` `trace(png)` with defaults (one black layer, automatic threshold; decodes via Jimp)',
    convert: (png) =>
      new Promise((resolve, reject) => potrace.trace(png, (err, svg) => (err ? reject(err) : resolve(svg)))),
  };
}

/** The floor: an SVG with nothing in it renders white, and still scores well on images that are mostly white. */
export function createEmptyTool(): BenchTool {
  return {
    name: 'empty',
    description: 'an empty SVG of the right size (renders as the background): the floor every tool must beat',
    convert: async (_png, rgba) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="${rgba.width}" height="${rgba.height}" viewBox="0 0 ${rgba.width} ${rgba.height}"/>`,
  };
}

/**
 * Factories by name, in report order. Add a tool here (and nothing else) to get a column everywhere; run it with
 * `--tool NAME` or `--tool all`, or list it in DEFAULT_TOOLS to make it part of every `npm run bench`.
 */
export const TOOL_FACTORIES: Record<string, () => Promise<BenchTool>> = {
  ours: () => createOursTool(),
  'ours-no-cleanup': () => createOursTool('no-cleanup'),
  vtracer: createVtracerTool,
  imagetracerjs: createImagetracerTool,
  potrace: createPotraceTool,
  empty: async () => createEmptyTool(),
  'ai-tier1': () => createAiTierTool(1),
  'ai-tier2': () => createAiTierTool(2),
  'ai-tier3': () => createAiTierTool(3),
};

/** What a plain `npm run bench` runs (and what RESULTS.md needs): the engine, the peers and the floor. */
export const DEFAULT_TOOLS = [
  'ours',
  'vtracer',
  'imagetracerjs',
  'potrace',
  'empty',
  'ai-tier1',
  'ai-tier2',
  'ai-tier3',
];

/** Expands `all` and `default`, keeps registry order. */
export function resolveToolNames(requested: string[] | undefined): string[] {
  if (!requested?.length) return [...DEFAULT_TOOLS];
  const wanted = new Set(
    requested.flatMap((n) =>
      n === 'all' ? Object.keys(TOOL_FACTORIES) : n === 'default' ? DEFAULT_TOOLS : [n],
    ),
  );
  const known = Object.keys(TOOL_FACTORIES).filter((n) => wanted.has(n));
  return [...known, ...[...wanted].filter((n) => !TOOL_FACTORIES[n])];
}

export async function createTools(names: string[] = DEFAULT_TOOLS): Promise<BenchTool[]> {
  const unknown = names.filter((n) => !TOOL_FACTORIES[n]);
  if (unknown.length) {
    throw new Error(
      `unknown tool(s): ${unknown.join(', ')}; known: ${Object.keys(TOOL_FACTORIES).join(', ')}`,
    );
  }
  return Promise.all(names.map((n) => TOOL_FACTORIES[n]()));
}
