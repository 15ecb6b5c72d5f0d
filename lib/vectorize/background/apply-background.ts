/**
 * Applies the background and ink options to a conversion. Colour mode: the background's border-connected area is
 * split into a layer of its own (a marker colour one step from its own, painted first) before tracing, so its
 * outline is traced exactly and enclosed areas of the same colour stay shapes; the finished SVG then drops or
 * recolours that layer. Mono: the one path takes the ink, and a paper rectangle goes under it when asked.
 */
import { nearestIndex, parseHex, toHex, type Rgb } from '@/lib/palette/css-color';
import { dropSvgColor, mapSvgColors } from '@/lib/palette/svg-colors';
import type { RgbaImage } from '@/lib/quality/types';
import { paintControlledPalette, type PaletteControl } from '../palette-control';
import { TRANSPARENT, type Quantized } from '../quantize';
import type { BackgroundOption } from './background-options';
import { borderPixels, detectBackground, type DetectedBackground } from './detect-background';

/** What a conversion does about its background, decided before tracing. */
export type BackgroundPlan = {
  mode: 'color' | 'mono';
  option: BackgroundOption | undefined;
  detected: DetectedBackground;
  /** Mono: the ink (#rrggbb), or none to keep the image's own colour. */
  ink?: string;
  /** Colour mode: the quantized image with the background's border-connected area as its own label. */
  quantized?: Quantized;
  /** Colour mode: that label's colour (#rrggbb), unique in the palette. */
  marker?: string;
  /**
   * Mono on a dark background that is dropped or replaced: the pixels to trace, inverted, so that the ink is the
   * light figure and not the background (measure against `invertRgba` of the image too).
   */
  source?: RgbaImage;
};

/** The paper under a kept mono result. */
const PAPER = '#ffffff';

/**
 * The plan for one conversion, or null when the options change nothing (colour results keep their traced
 * background; mono results without an ink or paper are traced as they always were).
 */
export function planBackground(
  image: RgbaImage,
  mode: 'color' | 'mono',
  quantized: Quantized | undefined,
  option: BackgroundOption | undefined,
  ink: string | undefined,
): BackgroundPlan | null {
  if (mode === 'mono') {
    const detected = detectBackground(image);
    const dark = detected.kind === 'opaque' && detected.dark && option !== undefined && option !== 'keep';
    if (!ink && !dark && (option === undefined || option === 'drop')) return null;
    return { mode, option, detected, ink, ...(dark ? { source: invertRgba(image) } : {}) };
  }
  if (option === undefined || option === 'keep' || !quantized) return null;
  const detected = detectBackground(image, quantized);
  if (detected.kind === 'transparent') return option === 'drop' ? null : { mode, option, detected };
  if (detected.kind !== 'color' || quantized.palette.length >= TRANSPARENT - 1) return null;
  const marker = markerColor(quantized.palette, quantized.palette[detected.label]);
  return {
    mode,
    option,
    detected,
    marker: toHex(marker),
    quantized: separateBorderArea(quantized, image.width, image.height, detected.label, marker),
  };
}

/**
 * The finished SVG: `traced` (traced from the plan's quantized image) with the palette control painted and the
 * background and ink applied.
 */
export function paintBackground(
  svg: string,
  plan: BackgroundPlan,
  control: PaletteControl | undefined,
): string {
  const { option } = plan;
  const replace = typeof option === 'object' ? option.replace : undefined;
  if (plan.mode === 'mono') {
    let out = paintControlledPalette({ svg }, control).svg;
    if (plan.ink) out = mapSvgColors(out, () => plan.ink!);
    // traced inverted, the ink's own colour is the inverse of the traced one
    else if (plan.source) out = mapSvgColors(out, (c) => toHex(parseHex(c).map((v) => 255 - v) as Rgb));
    const paper = replace ?? (option === 'keep' && plan.detected.kind !== 'transparent' ? PAPER : undefined);
    return paper ? withPaper(out, paper) : out;
  }
  if (plan.marker) {
    if (option === 'drop')
      return paintControlledPalette({ svg: dropSvgColor(svg, plan.marker) }, control).svg;
    // one pass, so that the user palette snaps every colour but the background's new one
    const user = control?.colors;
    const rgb = user?.map(parseHex);
    return mapSvgColors(svg, (color) =>
      color === plan.marker ? replace! : user ? user[nearestIndex(rgb!, parseHex(color))] : color,
    );
  }
  const out = paintControlledPalette({ svg }, control).svg;
  return replace ? withPaper(out, replace) : out;
}

/** `image` with its colours inverted (alpha kept). */
export function invertRgba(image: RgbaImage): RgbaImage {
  const data = new Uint8Array(image.data);
  for (let o = 0; o < data.length; o += 4) {
    data[o] = 255 - data[o];
    data[o + 1] = 255 - data[o + 1];
    data[o + 2] = 255 - data[o + 2];
  }
  return { width: image.width, height: image.height, data };
}

/** The background's colour moved one step in one channel to a colour no palette entry has. */
function markerColor(palette: readonly Rgb[], color: Rgb): Rgb {
  const taken = new Set(palette.map((c) => toHex(c)));
  const base = color.map(Math.round) as Rgb;
  for (let step = 1; step < 256; step++) {
    for (const channel of [2, 1, 0]) {
      for (const sign of [-1, 1]) {
        const next = [...base] as Rgb;
        next[channel] += sign * step;
        if (next[channel] < 0 || next[channel] > 255) continue;
        if (!taken.has(toHex(next))) return next;
      }
    }
  }
  return base;
}

/**
 * `q` with the area of `label` connected (4-neighbours) to the image border relabelled as a new, last palette
 * entry of colour `marker`, counted first so stacked tracing paints it at the bottom.
 */
function separateBorderArea(
  q: Quantized,
  width: number,
  height: number,
  label: number,
  marker: Rgb,
): Quantized {
  const labels = new Uint8Array(q.labels);
  const next = q.palette.length;
  const stack = new Int32Array(width * height);
  let top = 0;
  let flooded = 0;
  const visit = (i: number) => {
    if (labels[i] !== label) return;
    labels[i] = next;
    stack[top++] = i;
    flooded++;
  };
  for (const i of borderPixels(width, height)) visit(i);
  while (top > 0) {
    const i = stack[--top];
    const x = i % width;
    if (x > 0) visit(i - 1);
    if (x < width - 1) visit(i + 1);
    if (i >= width) visit(i - width);
    if (i < width * (height - 1)) visit(i + width);
  }
  const counts = [...q.counts];
  counts[label] -= flooded;
  // more than any other layer can have: the bottom of the stack, whatever the areas
  counts.push(width * height + 1);
  return { palette: [...q.palette, marker], labels, counts };
}

/** `svg` with a rectangle of `color` over its whole viewBox painted first. */
function withPaper(svg: string, color: string): string {
  const open = svg.indexOf('>', svg.indexOf('<svg')) + 1;
  const viewBox = /viewBox="([^"]+)"/
    .exec(svg.slice(0, open))?.[1]
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  const [x, y, w, h] = viewBox && viewBox.length === 4 ? viewBox : [0, 0, 0, 0];
  const rect = `<path fill="${shortHex(color)}" d="M${x} ${y}h${w}v${h}h${-w}z"/>`;
  return svg.slice(0, open) + rect + svg.slice(open);
}

function shortHex(hex: string): string {
  const h = toHex(parseHex(hex)).slice(1);
  return h[0] === h[1] && h[2] === h[3] && h[4] === h[5] ? `#${h[0]}${h[2]}${h[4]}` : `#${h}`;
}
