/**
 * Finds regions of one colour at a constant partial alpha (drop shadows, glass, glows over transparency) and gives
 * each its own label with that opacity: quantization alone decides coverage at 50% alpha, which paints such a
 * region opaque (alpha >= 50%) or drops it (below).
 */
import type { RgbaImage } from '@/lib/quality/types';
import { TRANSPARENT, type Quantized, type Rgb } from '../quantize';
import type { LayerPaint } from './types';

export type TranslucentRegions = {
  quantized: Quantized;
  /** Label -> its paint ({ opacity } below 1). */
  paints: Map<number, LayerPaint>;
};

/** Alpha (0..255) a translucent region may have: clearly visible, clearly not opaque. */
const MIN_ALPHA = 16;
const MAX_ALPHA = 235;
/** A flat pixel's 4 neighbours are within this much alpha and colour of it (anti-aliased edges are not flat). */
const FLAT_ALPHA = 6;
const FLAT_COLOR = 24;
/** Region pixels stay within this much alpha of the region's seed. */
const REGION_ALPHA = 14;
/** A region needs this many flat pixels and this share of the image. */
const MIN_PIXELS = 24;
const MIN_SHARE = 0.001;
/** Regions this close in alpha and colour share one layer. */
const SAME_ALPHA = 10;
const SAME_COLOR = 20;
/** Anti-aliased fringe pixels up to this far out join the region they border. */
const FRINGE = 3;

type Region = { alpha: number; color: Rgb; pixels: number[] };

function isFlat(data: Uint8Array, i: number, j: number): boolean {
  const a = i * 4;
  const b = j * 4;
  if (Math.abs(data[a + 3] - data[b + 3]) > FLAT_ALPHA) return false;
  for (let ch = 0; ch < 3; ch++) if (Math.abs(data[a + ch] - data[b + ch]) > FLAT_COLOR) return false;
  return true;
}

/**
 * The labels with one label per translucent region (appended to the palette with its mean colour; merged when
 * two regions share alpha and colour), and its opacity. The input is returned as it is when there is none.
 */
export function findTranslucentRegions(q: Quantized, img: RgbaImage): TranslucentRegions {
  const { width, height, data } = img;
  const n = width * height;
  const none = { quantized: q, paints: new Map<number, LayerPaint>() };
  const neighbours = (i: number, out: number[]) => {
    out.length = 0;
    const x = i % width;
    if (x > 0) out.push(i - 1);
    if (x + 1 < width) out.push(i + 1);
    if (i >= width) out.push(i - width);
    if (i + width < n) out.push(i + width);
    return out;
  };
  const nb: number[] = [];
  const flat = new Uint8Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    const a = data[i * 4 + 3];
    if (a < MIN_ALPHA || a > MAX_ALPHA) continue;
    const around = neighbours(i, nb);
    if (around.length < 4 || !around.every((j) => isFlat(data, i, j))) continue;
    flat[i] = 1;
    any = true;
  }
  if (!any) return none;

  const minPixels = Math.max(MIN_PIXELS, Math.round(n * MIN_SHARE));
  const owner = new Int32Array(n).fill(-1);
  const regions: Region[] = [];
  const stack: number[] = [];
  for (let s = 0; s < n; s++) {
    if (!flat[s] || owner[s] !== -1) continue;
    const seedAlpha = data[s * 4 + 3];
    const id = regions.length;
    const pixels: number[] = [];
    stack.push(s);
    owner[s] = id;
    while (stack.length > 0) {
      const i = stack.pop()!;
      pixels.push(i);
      for (const j of neighbours(i, nb)) {
        if (!flat[j] || owner[j] !== -1 || Math.abs(data[j * 4 + 3] - seedAlpha) > REGION_ALPHA) continue;
        if (!isFlat(data, i, j)) continue;
        owner[j] = id;
        stack.push(j);
      }
    }
    if (pixels.length < minPixels) {
      for (const i of pixels) owner[i] = -2; // seen, too small: never a seed again
      regions.push({ alpha: 0, color: [0, 0, 0], pixels: [] });
      continue;
    }
    const sum = [0, 0, 0, 0];
    for (const i of pixels) for (let ch = 0; ch < 4; ch++) sum[ch] += data[i * 4 + ch];
    regions.push({
      alpha: sum[3] / pixels.length,
      color: [0, 1, 2].map((ch) => Math.round(sum[ch] / pixels.length)) as Rgb,
      pixels,
    });
  }
  const kept = regions.filter((r) => r.pixels.length > 0);
  if (kept.length === 0) return none;

  // the anti-aliased fringe: outward pixels on the region's side of the 50% line (alpha/2 towards transparency,
  // halfway to opaque towards an opaque neighbour), breadth first from the region
  for (let id = 0; id < regions.length; id++) {
    const r = regions[id];
    if (r.pixels.length === 0) continue;
    let front = r.pixels;
    for (let step = 0; step < FRINGE && front.length > 0; step++) {
      const next: number[] = [];
      for (const i of front) {
        for (const j of neighbours(i, nb)) {
          if (owner[j] >= 0 && regions[owner[j]].pixels.length > 0) continue;
          const a = data[j * 4 + 3];
          if (a < r.alpha / 2 || a >= (r.alpha + 255) / 2) continue;
          owner[j] = id;
          r.pixels.push(j);
          next.push(j);
        }
      }
      front = next;
    }
  }

  const palette = q.palette.map((c) => [...c] as Rgb);
  const counts = [...q.counts];
  const labels = new Uint8Array(q.labels);
  const paints = new Map<number, LayerPaint>();
  const layerAlpha: number[] = [];
  for (const r of kept) {
    let label = -1;
    for (const [l] of paints) {
      const c = palette[l];
      const d = Math.hypot(c[0] - r.color[0], c[1] - r.color[1], c[2] - r.color[2]);
      if (Math.abs(layerAlpha[l] - r.alpha) <= SAME_ALPHA && d <= SAME_COLOR) label = l;
    }
    if (label < 0) {
      if (palette.length >= 254) break;
      label = palette.length;
      palette.push(r.color);
      counts.push(0);
      layerAlpha[label] = r.alpha;
      paints.set(label, { opacity: Math.round((r.alpha / 255) * 1000) / 1000 });
    }
    for (const i of r.pixels) {
      const old = labels[i];
      if (old !== TRANSPARENT) counts[old]--;
      labels[i] = label;
      counts[label]++;
    }
  }
  return compactWithPaints({ palette, labels, counts }, paints);
}

/** Drops emptied palette entries (renumbering labels), moving the paints along. */
function compactWithPaints(q: Quantized, paints: Map<number, LayerPaint>): TranslucentRegions {
  const map = new Uint8Array(256).fill(TRANSPARENT);
  const palette: Rgb[] = [];
  const counts: number[] = [];
  const moved = new Map<number, LayerPaint>();
  q.palette.forEach((c, j) => {
    if (q.counts[j] <= 0) return;
    map[j] = palette.length;
    const paint = paints.get(j);
    if (paint) moved.set(palette.length, paint);
    palette.push(c);
    counts.push(q.counts[j]);
  });
  const labels = q.labels;
  for (let i = 0; i < labels.length; i++) labels[i] = map[labels[i]];
  return { quantized: { palette, labels, counts }, paints: moved };
}
