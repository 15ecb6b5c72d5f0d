/** An SVG rendered to PNG at any scale with resvg (the renderer quality is measured with), transparency kept. */
import { Resvg } from '@resvg/resvg-js';
import { ConversionError } from '@/lib/errors/conversion-error';

/** Bounds on what one export may allocate: 64 MP (256 MB of RGBA) and 16384 px a side. */
const MAX_PIXELS = 64 * 1024 * 1024;
const MAX_SIDE = 16384;

export function svgToPng(svg: string, size: { width: number; height: number }, scale: number): Buffer {
  const width = Math.max(1, Math.round(size.width * scale));
  const height = Math.max(1, Math.round(size.height * scale));
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
    throw new ConversionError(
      'too_large',
      `A PNG of ${width}×${height} px at scale ${scale} is too large (at most ${MAX_SIDE} px a side and ${MAX_PIXELS / 1024 / 1024} MP); choose a smaller scale.`,
    );
  }
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    font: { loadSystemFonts: false },
    shapeRendering: 2,
    imageRendering: 0,
  });
  return Buffer.from(resvg.render().asPng());
}
