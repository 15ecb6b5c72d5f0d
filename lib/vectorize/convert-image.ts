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
import type { Quantized } from './quantize';
import { quantizeForColor, traceColorLayers, traceMonoLayer } from './trace-layers';
import type { ConversionResult, ConvertOptions, TraceParams } from './types';

/**
 * Larger inputs are traced downscaled: logos gain nothing from more pixels, while tracing time and SVG size grow
 * with the outline length. The SVG keeps the input's width and height.
 */
export const MAX_TRACE_PIXELS = 1_048_576;

export async function convertImage(input: Buffer, options: ConvertOptions = {}): Promise<ConversionResult> {
  const started = performance.now();
  parseMode(options.mode);
  // Validate overrides before any decoding so bad options fail fast and cheaply.
  resolveParams('color', options.params);
  const limits = options.limits ?? getConfig().limits;
  const decoded = await decodeImage(input, limits);
  return convertDecodedImage(decoded, options, started);
}

/**
 * `convertImage` for pixels the caller already decoded with `decodeImage` (the AI router decodes once for its
 * features, then converts one or more times): same checks, same result, without a second decode.
 */
export async function convertDecoded(
  decoded: RgbaImage,
  options: ConvertOptions = {},
): Promise<ConversionResult> {
  const started = performance.now();
  parseMode(options.mode);
  resolveParams('color', options.params);
  return convertDecodedImage(decoded, options, started);
}

async function convertDecodedImage(
  decoded: RgbaImage,
  options: ConvertOptions,
  started: number,
): Promise<ConversionResult> {
  const mode = parseMode(options.mode);
  try {
    const image = await fitTraceSize(decoded);
    // Blur and quantization depend only on colour-mode params, so auto mode decides from the same
    // quantization that colour mode then traces.
    const colorParams = resolveParams('color', options.params);
    const source = colorParams.blur > 0 ? await blurRgba(image, colorParams.blur) : image;
    const quantized = mode === 'mono' ? undefined : quantizeForColor(source, colorParams);
    const concrete = mode === 'auto' ? chooseMode(quantized!) : mode;
    const params = concrete === 'color' ? colorParams : resolveParams('mono', options.params);
    const svg = traceToSvg(source, params, { width: decoded.width, height: decoded.height }, quantized);
    // Large inputs are measured at the traced size: same verdict, a fraction of the cost.
    const quality = options.skipQuality ? null : measureQuality(svg.svg, image);
    return {
      svg: svg.svg,
      width: decoded.width,
      height: decoded.height,
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

/**
 * Traces already-decoded pixels with fully resolved params (used by the router's parameter search too).
 * `size` is the SVG's width/height when it differs from the traced pixels (downscaled large inputs).
 */
export async function vectorizeRgba(
  image: RgbaImage,
  params: TraceParams,
  size: { width: number; height: number } = image,
): Promise<{ svg: string; paths: number }> {
  const source = params.blur > 0 ? await blurRgba(image, params.blur) : image;
  return traceToSvg(source, params, size);
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
export async function fitTraceSize(image: RgbaImage): Promise<RgbaImage> {
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
