/** The conversion engine's entry point: raster bytes in, a faithful, small, safe SVG (and its quality) out. */
import sharp from 'sharp';
import { getConfig } from '@/lib/config';
import { ConversionError, isConversionError } from '@/lib/errors/conversion-error';
import { measureQuality } from '@/lib/quality';
import type { RgbaImage } from '@/lib/quality/types';
import { invertRgba, paintBackground, planBackground } from './background';
import { decodeImage } from './decode-image';
import { withDefaults } from './params';
import { chooseMode } from './choose-mode';
import { cleanUp } from './clean-up';
import { controlPalette, needsColorPalette, paintControlledPalette } from './palette-control';
import { assertSafeSvg } from './svg/assert-safe-svg';
import { buildSvg, optimizeSvg } from './svg/build-svg';
import type { Quantized } from './quantize';
import { quantizeForColor, traceColorLayers, traceMonoLayer } from './trace-layers';
import type { ConversionResult, EngineOptions, TraceParams } from './types';

/**
 * Inputs up to 2048 x 2048 are traced at their own resolution: at 1 MP, 2048 px images lost edge fidelity to the
 * peers (GMSD 0.038 vs vtracer's 0.030 on bench/SCALING.md's icons). Larger inputs are traced downscaled to this,
 * which bounds tracing time and SVG size; the SVG keeps the input's width and height.
 */
const MAX_TRACE_PIXELS = 4_194_304;

/** Decodes `input` within the limits, then converts it (see convertDecoded). */
export async function convertImage(
  input: Buffer,
  options: EngineOptions = { mode: 'auto' },
): Promise<ConversionResult> {
  const started = performance.now();
  const decoded = await decodeImage(input, options.limits ?? getConfig().limits);
  return convertPixels(decoded, options, started);
}

/**
 * `convertImage` for pixels the caller already decoded with `decodeImage` (the AI router decodes once for its
 * features, then converts one or more times): same result, without a second decode.
 */
export function convertDecoded(
  decoded: RgbaImage,
  options: EngineOptions,
  onStage?: (stage: 'trace' | 'measure') => void,
): Promise<ConversionResult> {
  return convertPixels(decoded, options, performance.now(), onStage);
}

async function convertPixels(
  decoded: RgbaImage,
  options: EngineOptions,
  started: number,
  onStage?: (stage: 'trace' | 'measure') => void,
): Promise<ConversionResult> {
  const { mode } = options;
  try {
    onStage?.('trace');
    const image = await fitTraceSize(decoded);
    // Blur and quantization depend only on colour-mode params, so auto mode decides from the same
    // quantization that colour mode then traces.
    // an exact colour count or a user palette asks for flat colours: no gradient may add shades of its own
    const flatOnly = options.palette?.count !== undefined || options.palette?.colors !== undefined;
    const colorParams = withDefaults(
      'color',
      flatOnly ? { ...options.params, gradients: false } : options.params,
    );
    // real uploads (JPEG, noisy, blurred, upscaled) are cleaned up first; quality is still measured on `image`
    const fromJpeg = (decoded as { type?: string }).type === 'jpeg';
    const cleaned = cleanUp(image, { mode: colorParams.cleanup, fromJpeg }).image;
    const source = colorParams.blur > 0 ? await blurRgba(cleaned, colorParams.blur) : cleaned;
    const quantized =
      mode === 'mono'
        ? undefined
        : controlPalette(quantizeForColor(source, colorParams), source, options.palette);
    const concrete =
      mode === 'auto' ? (needsColorPalette(options.palette) ? 'color' : chooseMode(quantized!)) : mode;
    const params = concrete === 'color' ? colorParams : withDefaults('mono', options.params);
    const background = planBackground(source, concrete, quantized, options.background, options.ink);
    const traced = traceToSvg(
      background?.source ?? source,
      params,
      { width: decoded.width, height: decoded.height },
      background?.quantized ?? quantized,
    );
    // the measured SVG is in the image's own colours: a dropped background or a chosen ink is not an error
    const painted = paintControlledPalette(traced, options.palette);
    const svg = background
      ? assertSafeSvg(paintBackground(traced.svg, background, options.palette))
      : painted.svg;
    // Large inputs are measured at the traced size: same verdict, a fraction of the cost.
    if (!options.skipQuality) onStage?.('measure');
    const measured = background?.source ? invertRgba(image) : image;
    const quality = options.skipQuality ? null : measureQuality(painted.svg, measured);
    return {
      svg,
      width: decoded.width,
      height: decoded.height,
      mode: concrete,
      params,
      quality,
      bytes: Buffer.byteLength(svg),
      paths: background ? svg.split('<path').length - 1 : painted.paths,
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

function traceToSvg(
  source: RgbaImage,
  params: TraceParams,
  size: { width: number; height: number },
  quantized?: Quantized,
): { svg: string; paths: number } {
  const traced =
    params.mode === 'mono' ? traceMonoLayer(source, params) : traceColorLayers(source, params, quantized);
  const raw = buildSvg(size.width, size.height, traced.layers, source);
  const svg = assertSafeSvg(optimizeSvg(raw, params.precision));
  return { svg, paths: traced.paths };
}

/** Downscales (premultiplied, Lanczos) to at most MAX_TRACE_PIXELS, keeping the aspect ratio. */
async function fitTraceSize(image: RgbaImage): Promise<RgbaImage> {
  // Upscaling small inputs first was measured worse: interpolated edges turn into extra colour bands.
  const pixels = image.width * image.height;
  if (pixels <= MAX_TRACE_PIXELS) return image;
  const scale = Math.sqrt(MAX_TRACE_PIXELS / pixels);
  const width = Math.max(1, Math.floor(image.width * scale));
  const height = Math.max(1, Math.floor(image.height * scale));
  const data = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), {
    raw: { width: image.width, height: image.height, channels: 4 },
  })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
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
