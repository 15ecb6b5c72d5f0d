/** Assembles traced colour layers into one deterministic SVG document, then minifies it with SVGO. */
// the browser build is one file: it loads in a quarter of the time of the Node entry's module tree (same optimize())
import { optimize } from 'svgo/browser';

export type SvgLayer = { color: [number, number, number]; d: string };

/** Shortest hex form of an sRGB colour (#rgb when every channel has doubled digits). */
function toHexColor([r, g, b]: [number, number, number]): string {
  const hex = [r, g, b].map((v) =>
    Math.max(0, Math.min(255, Math.round(v)))
      .toString(16)
      .padStart(2, '0'),
  );
  if (hex.every((h) => h[0] === h[1])) return '#' + hex.map((h) => h[0]).join('');
  return '#' + hex.join('');
}

/**
 * Layers paint in order (first = bottom). fill-rule is set once on the root since every path needs evenodd.
 * The viewBox is the traced grid, which is smaller than width x height when a large input was traced downscaled.
 */
export function buildSvg(
  width: number,
  height: number,
  layers: SvgLayer[],
  viewBox: { width: number; height: number } = { width, height },
): string {
  const paths = layers
    .filter((l) => l.d.length > 0)
    .map((l) => `<path fill="${toHexColor(l.color)}" d="${l.d}"/>`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${viewBox.width} ${viewBox.height}"` +
    ` fill-rule="evenodd">${paths}</svg>`
  );
}

/**
 * SVGO restricted to path-data optimisation (shorthands, arcs, curve simplification within the precision):
 * the document we build has nothing else to clean, and the full default preset costs twice the time for the
 * same bytes. Geometry stays within half a unit of the requested precision.
 */
export function optimizeSvg(svg: string, precision: number): string {
  const floatPrecision = Math.max(precision, 1);
  return optimize(svg, {
    multipass: false,
    floatPrecision,
    plugins: [{ name: 'convertPathData', params: { floatPrecision } }],
  }).data;
}
