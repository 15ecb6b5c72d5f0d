/** Assembles traced colour layers into one deterministic SVG document, then minifies it with SVGO. */
// the browser build is one file: it loads in a quarter of the time of the Node entry's module tree (same optimize())
import { optimize } from 'svgo/browser';
import type { Gradient } from '../fills/types';
import type { ElementPrimitive } from '../geometry/fit-primitives';

/**
 * One traced layer: filled with `color`, or with `gradient` when it has one (`color` is then its mean, the
 * flat stand-in), at `opacity` when below 1 (a translucent region over what lies beneath).
 */
export type SvgLayer = {
  color: [number, number, number];
  d: string;
  gradient?: Gradient;
  opacity?: number;
  /** The layer is exactly this shape (then written as that element; `d` is its outline). */
  shape?: ElementPrimitive;
};

/** A primitive's element name and geometry attributes (its numbers come rounded to the layer's precision). */
function shapeElement(p: ElementPrimitive): [string, string] {
  if (p.kind === 'circle') return ['circle', `cx="${num(p.cx, 3)}" cy="${num(p.cy, 3)}" r="${num(p.r, 3)}"`];
  if (p.kind === 'ellipse')
    return ['ellipse', `cx="${num(p.cx, 3)}" cy="${num(p.cy, 3)}" rx="${num(p.rx, 3)}" ry="${num(p.ry, 3)}"`];
  const rx = p.rx > 0 ? ` rx="${num(p.rx, 3)}"` : '';
  // x and y default to 0 (the background layer of most images)
  const at = `${p.x !== 0 ? `x="${num(p.x, 3)}" ` : ''}${p.y !== 0 ? `y="${num(p.y, 3)}" ` : ''}`;
  return ['rect', `${at}width="${num(p.width, 3)}" height="${num(p.height, 3)}"${rx}`];
}

/** A number in its shortest form at most `digits` decimals (no trailing zeros, no leading 0 before the point). */
function num(v: number, digits = 1): string {
  const s = String(Math.round(v * 10 ** digits) / 10 ** digits);
  return s.replace(/^(-?)0\./, '$1.');
}

/** The <linearGradient>/<radialGradient> element of `g` under `id`, in user space (the traced pixel grid). */
function gradientElement(id: string, g: Gradient): string {
  const stops = g.stops
    .map((st) => `<stop offset="${num(st.offset, 3)}" stop-color="${toHexColor(st.color)}"/>`)
    .join('');
  const geometry =
    g.kind === 'linear'
      ? `x1="${num(g.x1)}" y1="${num(g.y1)}" x2="${num(g.x2)}" y2="${num(g.y2)}"`
      : `cx="${num(g.cx)}" cy="${num(g.cy)}" r="${num(g.r)}"`;
  const tag = g.kind === 'linear' ? 'linearGradient' : 'radialGradient';
  return `<${tag} id="${id}" gradientUnits="userSpaceOnUse" ${geometry}>${stops}</${tag}>`;
}

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
  const defs: string[] = [];
  const paths = layers
    .filter((l) => l.d.length > 0)
    .map((l) => {
      let fill = toHexColor(l.color);
      if (l.gradient) {
        // ids are ours alone (g0, g1, ...): local references only, nothing from the input reaches them
        const id = `g${defs.length}`;
        defs.push(gradientElement(id, l.gradient));
        fill = `url(#${id})`;
      }
      const opacity = l.opacity !== undefined && l.opacity < 1 ? ` fill-opacity="${num(l.opacity, 3)}"` : '';
      if (l.shape) {
        const [tag, geometry] = shapeElement(l.shape);
        return `<${tag} fill="${fill}"${opacity} ${geometry}/>`;
      }
      return `<path fill="${fill}"${opacity} d="${l.d}"/>`;
    })
    .join('');
  const head = defs.length > 0 ? `<defs>${defs.join('')}</defs>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${viewBox.width} ${viewBox.height}"` +
    ` fill-rule="evenodd">${head}${paths}</svg>`
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
