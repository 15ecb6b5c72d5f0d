/** The conversion engine's entry point: raster bytes in, a faithful, small, safe SVG (and its quality) out. */
import sharp from 'sharp';
import { getConfig } from '@/lib/config';
import { ConversionError, isConversionError } from '@/lib/errors/conversion-error';
import { measureQuality } from '@/lib/quality';
import type { RgbaImage } from '@/lib/quality/types';
import { decodeImage } from './decode-image';
import { parseMode, resolveParams } from './params';
import { chooseMode } from './choose-mode';
import { assertSafeSvg } from './svg/assert-safe-svg';
import { buildSvg, optimizeSvg } from './svg/build-svg';
import { traceColorLayers, traceMonoLayer } from './trace-layers';
import type { ConversionResult, ConvertOptions, TraceParams } from './types';

export async function convertImage(input: Buffer, options: ConvertOptions = {}): Promise<ConversionResult> {
  const started = performance.now();
  const mode = parseMode(options.mode);
  // Validate overrides before any decoding so bad options fail fast and cheaply.
  resolveParams('color', options.params);
  const limits = options.limits ?? getConfig().limits;
  const image = await decodeImage(input, limits);

  const concrete = mode === 'auto' ? chooseMode(image) : mode;
  const params = resolveParams(concrete, options.params);
  try {
    const svg = await vectorizeRgba(image, params);
    const quality = options.skipQuality ? null : measureQuality(svg.svg, image);
    return {
      svg: svg.svg,
      width: image.width,
      height: image.height,
      mode: concrete,
      params,
      quality,
      bytes: Buffer.byteLength(svg.svg),
      paths: svg.paths,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
  } catch (err) {
    if (isConversionError(err)) throw err;
    throw new ConversionError(
      'internal',
      `Conversion failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** Traces already-decoded pixels with fully resolved params (used by the router's parameter search too). */
export async function vectorizeRgba(
  image: RgbaImage,
  params: TraceParams,
): Promise<{ svg: string; paths: number }> {
  const source = params.blur > 0 ? await blurRgba(image, params.blur) : image;
  const traced = params.mode === 'mono' ? traceMonoLayer(source, params) : traceColorLayers(source, params);
  const raw = buildSvg(image.width, image.height, traced.layers);
  const svg = assertSafeSvg(optimizeSvg(raw, params.precision));
  return { svg, paths: traced.paths };
}

async function blurRgba(image: RgbaImage, sigma: number): Promise<RgbaImage> {
  const { width, height } = image;
  const data = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), {
    raw: { width, height, channels: 4 },
  })
    .blur(Math.max(0.3, sigma))
    .raw()
    .toBuffer();
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}
