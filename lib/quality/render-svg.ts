/** Renders an SVG back to straight RGBA pixels at an exact size, for quality measurement and dataset images. */
import { Resvg } from '@resvg/resvg-js';
import type { RgbaImage } from './types';

export type RenderSvgOptions = {
  /** Font files resvg may use for <text>; system fonts are never loaded so results match on every machine. */
  fontFiles?: string[];
  /** Family used when the SVG names none we loaded. */
  defaultFontFamily?: string;
};

/**
 * Renders `svg` scaled to `width` (via its viewBox) and returns exactly width x height straight RGBA.
 * resvg hands back premultiplied pixels; we un-premultiply so callers composite like any decoded PNG.
 * If the SVG's aspect ratio rounds to another height, the extra rows are cropped or left transparent.
 */
export function renderSvg(
  svg: string,
  width: number,
  height: number,
  options: RenderSvgOptions = {},
): RgbaImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`renderSvg: invalid size ${width}x${height}`);
  }
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    font: {
      loadSystemFonts: false,
      fontFiles: options.fontFiles ?? [],
      ...(options.defaultFontFamily ? { defaultFontFamily: options.defaultFontFamily } : {}),
    },
    shapeRendering: 2,
    textRendering: 1,
    imageRendering: 0,
  });
  const rendered = resvg.render();
  const src = rendered.pixels;
  const srcW = rendered.width;
  const srcH = rendered.height;
  const out = new Uint8Array(width * height * 4);
  const rows = Math.min(height, srcH);
  const cols = Math.min(width, srcW);
  for (let y = 0; y < rows; y++) {
    let si = y * srcW * 4;
    let di = y * width * 4;
    for (let x = 0; x < cols; x++, si += 4, di += 4) {
      const a = src[si + 3];
      if (a === 0) continue;
      if (a === 255) {
        out[di] = src[si];
        out[di + 1] = src[si + 1];
        out[di + 2] = src[si + 2];
      } else {
        out[di] = Math.min(255, Math.round((src[si] * 255) / a));
        out[di + 1] = Math.min(255, Math.round((src[si + 1] * 255) / a));
        out[di + 2] = Math.min(255, Math.round((src[si + 2] * 255) / a));
      }
      out[di + 3] = a;
    }
  }
  return { data: out, width, height };
}
