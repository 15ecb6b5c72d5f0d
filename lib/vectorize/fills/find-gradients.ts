/**
 * Finds the quantized colour bands that together are one smooth ramp and merges each such region into one label
 * painted with a fitted gradient. Two palette colours belong to one ramp when the pixels on their shared border
 * barely differ compared with the two colours (a band boundary inside a ramp, not an edge); each connected
 * region of a ramp's colours is fitted (fit-gradient.ts) and merged only when the gradient beats its flat bands
 * on the region's own pixels.
 */
import type { RgbaImage } from '@/lib/quality/types';
import { TRANSPARENT, type Quantized, type Rgb } from '../quantize';
import { fitGradient, gradientColorAt, type Samples } from './fit-gradient';
import type { Gradient, LayerPaint } from './types';

export type GradientRegions = {
  quantized: Quantized;
  /** Label (index into quantized.palette) -> the gradient its layer is painted with. */
  gradients: Map<number, Gradient>;
  /** The `paints` passed in, moved to their labels' new indices. */
  paints: Map<number, LayerPaint>;
};

/** Border pixel pairs differ by at most this share of their palette colours' distance: a band, not an edge. */
const SOFT_RATIO = 0.25;
/** Colours further apart than this (RGB Euclidean) are never neighbours in one ramp. */
const MAX_STEP = 120;
/** A soft border needs this many pixel pairs before it counts. */
const MIN_BORDER = 6;
/** A region must hold this many pixels, and this share of the image, to be fitted. */
const MIN_REGION_PIXELS = 64;
const MIN_REGION_SHARE = 0.002;
/** The gradient must leave at most this share of the flat bands' squared error. */
const ACCEPT_RATIO = 0.8;

function find(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

/** Groups of palette labels linked by soft borders (a label alone is its own group; `fixed` ones stay alone). */
function rampGroups(q: Quantized, img: RgbaImage, fixed: ReadonlyMap<number, unknown>): Int32Array {
  const { width, height, data } = img;
  const L = q.palette.length;
  const pairs = new Float64Array(L * L);
  const diffs = new Float64Array(L * L);
  const { labels } = q;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const a = labels[i];
      if (a === TRANSPARENT) continue;
      for (let k = 0; k < 2; k++) {
        const j = k === 0 ? (x + 1 < width ? i + 1 : -1) : y + 1 < height ? i + width : -1;
        if (j < 0) continue;
        const b = labels[j];
        if (b === a || b === TRANSPARENT) continue;
        const lo = Math.min(a, b);
        const hi = Math.max(a, b);
        const d = Math.hypot(
          data[i * 4] - data[j * 4],
          data[i * 4 + 1] - data[j * 4 + 1],
          data[i * 4 + 2] - data[j * 4 + 2],
        );
        pairs[lo * L + hi]++;
        diffs[lo * L + hi] += d;
      }
    }
  }
  const parent = new Int32Array(L);
  for (let a = 0; a < L; a++) parent[a] = a;
  for (let a = 0; a < L; a++) {
    for (let b = a + 1; b < L; b++) {
      const count = pairs[a * L + b];
      if (count < MIN_BORDER || fixed.has(a) || fixed.has(b)) continue;
      const pa = q.palette[a];
      const pb = q.palette[b];
      const step = Math.hypot(pa[0] - pb[0], pa[1] - pb[1], pa[2] - pb[2]);
      if (step === 0 || step > MAX_STEP) continue;
      if (diffs[a * L + b] / count > SOFT_RATIO * step) continue;
      parent[find(parent, a)] = find(parent, b);
    }
  }
  for (let a = 0; a < L; a++) parent[a] = find(parent, a);
  return parent;
}

/**
 * The labels with one gradient label per accepted ramp region (appended to the palette, its mean colour as the
 * flat stand-in) and the gradient of each. A ramp's regions are first fitted together (one gradient across
 * separate shapes, e.g. bars sharing one ramp, is one shape), then, when that fails, each region on its own.
 * Returns the input unchanged when nothing qualifies.
 */
export function mergeGradientRegions(
  q: Quantized,
  img: RgbaImage,
  paints: ReadonlyMap<number, LayerPaint> = new Map(),
): GradientRegions {
  const none = { quantized: q, gradients: new Map<number, Gradient>(), paints: new Map(paints) };
  const L = q.palette.length;
  if (L < 2) return none;
  const group = rampGroups(q, img, paints);
  const sizes = new Map<number, number>();
  for (let a = 0; a < L; a++) sizes.set(group[a], (sizes.get(group[a]) ?? 0) + 1);
  if (![...sizes.values()].some((s) => s > 1)) return none;

  const { width, height } = img;
  const n = width * height;
  const { labels } = q;
  const minPixels = Math.max(MIN_REGION_PIXELS, Math.round(n * MIN_REGION_SHARE));
  const seen = new Uint8Array(n);
  const stack = new Int32Array(n);
  const inRamp = (l: number) => l !== TRANSPARENT && sizes.get(group[l])! > 1;
  // the 4-connected regions of each ramp's colours
  const regions = new Map<number, Int32Array[]>();
  for (let s0 = 0; s0 < n; s0++) {
    if (seen[s0] || !inRamp(labels[s0])) continue;
    const g = group[labels[s0]];
    const region: number[] = [];
    let sp = 0;
    stack[sp++] = s0;
    seen[s0] = 1;
    while (sp > 0) {
      const i = stack[--sp];
      region.push(i);
      const x = i % width;
      for (let k = 0; k < 4; k++) {
        const j =
          k === 0
            ? x > 0
              ? i - 1
              : -1
            : k === 1
              ? x + 1 < width
                ? i + 1
                : -1
              : k === 2
                ? i - width
                : i + width;
        if (j < 0 || j >= n || seen[j]) continue;
        const l = labels[j];
        if (l === TRANSPARENT || group[l] !== g) continue;
        seen[j] = 1;
        stack[sp++] = j;
      }
    }
    regions.set(g, [...(regions.get(g) ?? []), Int32Array.from(region)]);
  }

  const palette = q.palette.map((c) => [...c] as Rgb);
  const counts = [...q.counts];
  const out = new Uint8Array(labels);
  const gradients = new Map<number, Gradient>();
  const accept = (whole: Int32Array[]): boolean => {
    if (palette.length >= 254) return false;
    let parts = whole;
    let fit: ReturnType<typeof fitGradient> = null;
    let samples: Samples | null = null;
    // a member band the gradient paints much worse than its flat colour (a shadow crescent, a highlight inside
    // the ramp) is a shape of its own: it leaves the region and the rest is fitted again
    for (let round = 0; round < 3; round++) {
      const size = parts.reduce((sum, r) => sum + r.length, 0);
      if (size < minPixels || distinctLabels(parts, labels) < 2) return false;
      const members = new Set<number>();
      for (const r of parts) for (const i of r) members.add(labels[i]);
      const got = interiorSamples(parts, img, labels, members, palette);
      if (got.samples.n < minPixels / 2) return false;
      fit = fitGradient(got.samples);
      if (!fit) return false;
      const worse = worseMembers(fit.gradient, got.samples, got.sampleLabels, palette);
      if (worse.size === 0) {
        if (fit.sse >= got.flatSse * ACCEPT_RATIO) return false;
        samples = got.samples;
        break;
      }
      parts = parts.map((r) => r.filter((i) => !worse.has(labels[i]))).filter((r) => r.length > 0);
      fit = null;
    }
    if (!fit || !samples) return false;
    const size = parts.reduce((sum, r) => sum + r.length, 0);
    const label = palette.length;
    const mean = [0, 0, 0];
    for (let k = 0; k < samples.n; k++) for (let ch = 0; ch < 3; ch++) mean[ch] += samples.rgb[k * 3 + ch];
    palette.push(mean.map((v) => Math.round(v / samples.n)) as Rgb);
    counts.push(size);
    for (const r of parts) {
      for (const i of r) {
        counts[labels[i]]--;
        out[i] = label;
      }
    }
    gradients.set(label, fit.gradient);
    return true;
  };
  for (const parts of regions.values()) {
    if (parts.length > 1 && accept(parts)) continue;
    for (const r of parts) accept([r]);
  }
  if (gradients.size === 0) return none;
  return compactWithGradients({ palette, labels: out, counts }, gradients, paints);
}

function distinctLabels(parts: Int32Array[], labels: Uint8Array): number {
  const seen = new Set<number>();
  for (const r of parts) for (const i of r) seen.add(labels[i]);
  return seen.size;
}

/**
 * The regions' opaque interior pixels as fit samples (border pixels are anti-aliased blends with the
 * neighbours), and the squared error the flat bands leave on them.
 */
function interiorSamples(
  parts: Int32Array[],
  img: RgbaImage,
  labels: Uint8Array,
  members: ReadonlySet<number>,
  palette: Rgb[],
): { samples: Samples; flatSse: number; sampleLabels: Uint8Array } {
  const { width, height, data } = img;
  const xs: number[] = [];
  const ys: number[] = [];
  const rgb: number[] = [];
  const sampleLabels: number[] = [];
  let flatSse = 0;
  for (const r of parts) {
    for (const i of r) {
      if (data[i * 4 + 3] < 250) continue;
      const x = i % width;
      const y = (i - x) / width;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) continue;
      let interior = true;
      for (const j of [i - 1, i + 1, i - width, i + width]) {
        const l = labels[j];
        if (!members.has(l)) interior = false;
      }
      if (!interior) continue;
      sampleLabels.push(labels[i]);
      xs.push(x + 0.5);
      ys.push(y + 0.5);
      const c = palette[labels[i]];
      for (let ch = 0; ch < 3; ch++) {
        rgb.push(data[i * 4 + ch]);
        flatSse += (data[i * 4 + ch] - c[ch]) ** 2;
      }
    }
  }
  const samples = {
    x: Float32Array.from(xs),
    y: Float32Array.from(ys),
    rgb: Float32Array.from(rgb),
    n: xs.length,
  };
  return { samples, flatSse, sampleLabels: Uint8Array.from(sampleLabels) };
}

/** A member this many times worse under the gradient than flat (and by this much per pixel) is not of the ramp. */
const WORSE_RATIO = 2;
const WORSE_PER_PIXEL = 300;
/** Members with fewer samples than this are judged with the region. */
const MEMBER_MIN_SAMPLES = 24;

/** The member labels the gradient paints much worse than their own flat colour. */
function worseMembers(g: Gradient, s: Samples, sampleLabels: Uint8Array, palette: Rgb[]): Set<number> {
  const grad = new Map<number, number>();
  const flat = new Map<number, number>();
  const count = new Map<number, number>();
  const c = new Float64Array(3);
  for (let k = 0; k < s.n; k++) {
    const l = sampleLabels[k];
    gradientColorAt(g, s.x[k], s.y[k], c);
    const p = palette[l];
    let eg = 0;
    let ef = 0;
    for (let ch = 0; ch < 3; ch++) {
      eg += (s.rgb[k * 3 + ch] - c[ch]) ** 2;
      ef += (s.rgb[k * 3 + ch] - p[ch]) ** 2;
    }
    grad.set(l, (grad.get(l) ?? 0) + eg);
    flat.set(l, (flat.get(l) ?? 0) + ef);
    count.set(l, (count.get(l) ?? 0) + 1);
  }
  const worse = new Set<number>();
  for (const [l, n] of count) {
    if (n < MEMBER_MIN_SAMPLES) continue;
    const eg = grad.get(l)!;
    if (eg > WORSE_RATIO * flat.get(l)! && eg > WORSE_PER_PIXEL * n) worse.add(l);
  }
  return worse;
}

/** Drops emptied palette entries (renumbering labels) and moves the gradients to their new labels. */
function compactWithGradients(
  q: Quantized,
  gradients: Map<number, Gradient>,
  paints: ReadonlyMap<number, LayerPaint>,
): GradientRegions {
  const map = new Uint8Array(256).fill(TRANSPARENT);
  const palette: Rgb[] = [];
  const counts: number[] = [];
  const moved = new Map<number, Gradient>();
  const movedPaints = new Map<number, LayerPaint>();
  q.palette.forEach((c, j) => {
    if (q.counts[j] <= 0) return;
    map[j] = palette.length;
    const g = gradients.get(j);
    if (g) moved.set(palette.length, g);
    const paint = paints.get(j);
    if (paint) movedPaints.set(palette.length, paint);
    palette.push(c);
    counts.push(q.counts[j]);
  });
  const labels = q.labels;
  for (let i = 0; i < labels.length; i++) labels[i] = map[labels[i]];
  return { quantized: { palette, labels, counts }, gradients: moved, paints: movedPaints };
}
