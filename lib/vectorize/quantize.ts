/**
 * Deterministic colour quantization for tracing: an adaptive palette (at most maxColors, fewer when the image
 * has fewer colours) built from "flat" pixels so anti-aliasing fringes never become colours of their own, then a
 * label per pixel. Transparency: coverage is decided by alpha alone and colour is the un-premultiplied colour,
 * so edges over transparency keep their true colour instead of a dark or white halo.
 */
import type { RgbaImage } from '@/lib/quality/types';

export type Rgb = [number, number, number];
/** labels[i] is a palette index, or TRANSPARENT where the pixel has no coverage. */
export type Quantized = { palette: Rgb[]; labels: Uint8Array; counts: number[] };

export const TRANSPARENT = 255;
/** Alpha at or above which a pixel is covered (the 50% iso-line of anti-aliased edges). */
export const COVERAGE_ALPHA = 128;

type QuantizeOptions = {
  maxColors: number;
  /** Palette entries closer than this (RGB Euclidean) are one colour. */
  mergeDistance?: number;
  /**
   * Smallest share of the (flat-weighted) pixels a new palette colour must have (default 0.4%: measured on the
   * benchmark, rarer colours cost more bytes than they return in SSIM; colours that are never flat are still
   * found by addMissingColors).
   */
  minShare?: number;
};

const FLAT_DIFF = 20;
const EDGE_WEIGHT = 0.05;
/** A palette colour needs at least this many flat pixels (or their edge-weighted equivalent), whatever the size. */
const MIN_COLOR_WEIGHT = 6;

export function quantizeImage(img: RgbaImage, opts: QuantizeOptions): Quantized {
  const { width, height, data } = img;
  const n = width * height;
  const maxColors = Math.max(1, Math.min(opts.maxColors, 254));
  const mergeDistance = opts.mergeDistance ?? 26;
  const minShare = opts.minShare ?? 0.004;

  const weight = flatWeights(img);

  // 5-bit-per-channel histogram of covered pixels, weighted by flatness.
  const binW = new Float64Array(32768);
  const binR = new Float64Array(32768);
  const binG = new Float64Array(32768);
  const binB = new Float64Array(32768);
  // Unweighted counts and sums: what the flat weighting hides (see addMissingColors).
  const binN = new Float64Array(32768);
  const binSR = new Float64Array(32768);
  const binSG = new Float64Array(32768);
  const binSB = new Float64Array(32768);
  let total = 0;
  let covered = 0;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    if (data[o + 3] < COVERAGE_ALPHA) continue;
    const r = data[o];
    const g = data[o + 1];
    const b = data[o + 2];
    const key = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
    const w = weight[i];
    binW[key] += w;
    binR[key] += r * w;
    binG[key] += g * w;
    binB[key] += b * w;
    total += w;
    binN[key]++;
    binSR[key] += r;
    binSG[key] += g;
    binSB[key] += b;
    covered++;
  }
  const labels = new Uint8Array(n).fill(TRANSPARENT);
  if (total === 0) return { palette: [], labels, counts: [] };

  const bins: number[] = [];
  for (let k = 0; k < 32768; k++) if (binN[k] > 0) bins.push(k);
  bins.sort((a, b) => binW[b] - binW[a] || a - b);

  // Greedy popularity pick with suppression of near colours.
  const palette: Rgb[] = [];
  const md2 = mergeDistance * mergeDistance;
  for (const k of bins) {
    if (palette.length >= maxColors) break;
    const w = binW[k];
    if (palette.length > 0 && w < Math.max(total * minShare, MIN_COLOR_WEIGHT)) break;
    const c: Rgb = [binR[k] / w, binG[k] / w, binB[k] / w];
    let distinct = true;
    for (let j = 0; j < palette.length && distinct; j++) distinct = dist2(palette[j], c) > md2;
    if (distinct) palette.push(c);
  }

  refinePalette(palette, bins, binW, binR, binG, binB);
  if (addMissingColors(palette, bins, binN, binSR, binSG, binSB, maxColors, mergeDistance, covered)) {
    refinePalette(palette, bins, binW, binR, binG, binB);
  }

  const counts = palette.map(() => 0);
  const lookup = new NearestCache(palette);
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    if (data[o + 3] < COVERAGE_ALPHA) continue;
    const j = lookup.get(data[o], data[o + 1], data[o + 2]);
    labels[i] = j;
    counts[j]++;
  }
  const rounded = palette.map((c) => c.map((v) => Math.round(v)) as Rgb);
  return compact({ palette: rounded, labels, counts });
}

/** Lloyd iterations on the flat-weighted bins (cheap: a few thousand bins instead of every pixel). */
function refinePalette(
  palette: Rgb[],
  bins: number[],
  binW: Float64Array,
  binR: Float64Array,
  binG: Float64Array,
  binB: Float64Array,
) {
  for (let iter = 0; iter < 6; iter++) {
    const acc = palette.map(() => [0, 0, 0, 0]);
    for (const k of bins) {
      const w = binW[k];
      if (w === 0) continue;
      const a = acc[nearest(palette, binR[k] / w, binG[k] / w, binB[k] / w)];
      a[0] += binR[k];
      a[1] += binG[k];
      a[2] += binB[k];
      a[3] += w;
    }
    let moved = false;
    for (let j = 0; j < palette.length; j++) {
      const a = acc[j];
      if (a[3] === 0) continue;
      const c: Rgb = [a[0] / a[3], a[1] / a[3], a[2] / a[3]];
      if (dist2(c, palette[j]) > 0.25) moved = true;
      palette[j] = c;
    }
    if (!moved) break;
  }
}

/** Share of covered pixels that, left unexplained by the palette, earns a colour of its own. */
const MISSING_SHARE = 0.003;
/** ...and never fewer pixels than this: on tiny images a few anti-aliased junction pixels are not a colour. */
const MISSING_MIN_PIXELS = 24;
/**
 * A colour this far (RGB Euclidean) from every palette colour is a distinct ink, not noise or a shade: it earns a
 * place once it has DISTINCT_MIN_PIXELS of its own, however small its share. Without this, the small blue "C"
 * and green "n" of a maroon word mark fall under the share and the palette refinement averages them into one
 * teal that is neither.
 */
const DISTINCT_DISTANCE = 96;
const DISTINCT_MIN_PIXELS = 24;

/**
 * The flat weighting keeps anti-aliasing out of the palette, but it also hides colours that are never flat:
 * thin strokes, or any area under JPEG noise. Pixels far from every palette colour and from every blend of
 * two palette colours (a blend is what anti-aliasing produces) are unexplained; while they are numerous,
 * the most common of them becomes a new palette colour. A distinct ink (DISTINCT_DISTANCE from the palette)
 * becomes one on its own pixel count alone.
 */
function addMissingColors(
  palette: Rgb[],
  bins: number[],
  binN: Float64Array,
  binR: Float64Array,
  binG: Float64Array,
  binB: Float64Array,
  maxColors: number,
  mergeDistance: number,
  covered: number,
): boolean {
  const far2 = (2 * mergeDistance) ** 2;
  const blend2 = mergeDistance ** 2;
  const distinct2 = DISTINCT_DISTANCE ** 2;
  let added = false;
  let candidates = bins;
  while (palette.length < maxColors) {
    let unexplained = 0;
    let best = -1;
    const next: number[] = [];
    for (const k of candidates) {
      const cnt = binN[k];
      const c: Rgb = [binR[k] / cnt, binG[k] / cnt, binB[k] / cnt];
      if (dist2(palette[nearest(palette, c[0], c[1], c[2])], c) <= far2) continue;
      if (nearestBlend2(palette, c) <= blend2) continue;
      next.push(k);
      unexplained += cnt;
      if (best < 0 || cnt > binN[best]) best = k;
    }
    if (best < 0) break;
    const cnt = binN[best];
    if (unexplained < Math.max(covered * MISSING_SHARE, MISSING_MIN_PIXELS)) {
      const c: Rgb = [binR[best] / cnt, binG[best] / cnt, binB[best] / cnt];
      if (dist2(palette[nearest(palette, c[0], c[1], c[2])], c) <= distinct2) break;
      // the pixels of this ink: the unexplained bins around it
      let own = 0;
      for (const k of next) {
        const n = binN[k];
        const d: Rgb = [binR[k] / n, binG[k] / n, binB[k] / n];
        if (dist2(d, c) <= blend2) own += n;
      }
      if (own < DISTINCT_MIN_PIXELS) break;
    }
    palette.push([binR[best] / cnt, binG[best] / cnt, binB[best] / cnt]);
    candidates = next;
    added = true;
  }
  return added;
}

/** Squared distance from c to the nearest segment between two palette colours. */
function nearestBlend2(palette: Rgb[], c: Rgb): number {
  let best = Infinity;
  for (let i = 0; i < palette.length; i++) {
    const a = palette[i];
    for (let j = i + 1; j < palette.length; j++) {
      const b = palette[j];
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const dz = b[2] - a[2];
      const len2 = dx * dx + dy * dy + dz * dz;
      let t = len2 > 0 ? ((c[0] - a[0]) * dx + (c[1] - a[1]) * dy + (c[2] - a[2]) * dz) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = a[0] + t * dx - c[0];
      const ey = a[1] + t * dy - c[1];
      const ez = a[2] + t * dz - c[2];
      const d = ex * ex + ey * ey + ez * ez;
      if (d < best) best = d;
    }
  }
  return best;
}

/** Flat pixels (similar to their neighbours) weigh 1; edge pixels, mostly anti-aliasing, weigh little. */
function flatWeights(img: RgbaImage): Float32Array {
  const { width, height, data } = img;
  const n = width * height;
  const w = new Float32Array(n);
  // No closures in this loop: per-pixel function objects dominate the cost under tsx/esbuild keepNames.
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    if (data[o + 3] < COVERAGE_ALPHA) continue;
    const x = i % width;
    let maxDiff = 0;
    for (let k = 0; k < 4 && maxDiff <= FLAT_DIFF; k++) {
      let j: number;
      if (k === 0) j = x > 0 ? i - 1 : -1;
      else if (k === 1) j = x < width - 1 ? i + 1 : -1;
      else if (k === 2) j = i >= width ? i - width : -1;
      else j = i < n - width ? i + width : -1;
      if (j < 0) continue;
      const p = j * 4;
      if (data[p + 3] < COVERAGE_ALPHA) {
        maxDiff = 255;
        break;
      }
      const dr = Math.abs(data[o] - data[p]);
      const dg = Math.abs(data[o + 1] - data[p + 1]);
      const db = Math.abs(data[o + 2] - data[p + 2]);
      const d = dr > dg ? (dr > db ? dr : db) : dg > db ? dg : db;
      if (d > maxDiff) maxDiff = d;
    }
    w[i] = maxDiff <= FLAT_DIFF ? 1 : EDGE_WEIGHT;
  }
  return w;
}

/** Memoises nearest() per exact colour (open addressing): icons repeat a few colours over many pixels. */
class NearestCache {
  private readonly keys = new Int32Array(1 << 16).fill(-1);
  private readonly values = new Uint8Array(1 << 16);
  private size = 0;
  constructor(private readonly palette: Rgb[]) {}

  get(r: number, g: number, b: number): number {
    const key = (r << 16) | (g << 8) | b;
    if (this.size > 40000) return nearest(this.palette, r, g, b);
    let h = Math.imul(key, 0x9e3779b1) >>> 16;
    for (;;) {
      const k = this.keys[h];
      if (k === key) return this.values[h];
      if (k === -1) break;
      h = (h + 1) & 0xffff;
    }
    const v = nearest(this.palette, r, g, b);
    this.keys[h] = key;
    this.values[h] = v;
    this.size++;
    return v;
  }
}

export function nearest(palette: Rgb[], r: number, g: number, b: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let j = 0; j < palette.length; j++) {
    const p = palette[j];
    const dr = p[0] - r;
    const dg = p[1] - g;
    const db = p[2] - b;
    const d = dr * dr + dg * dg + db * db;
    if (d < bestD) {
      bestD = d;
      best = j;
    }
  }
  return best;
}

function dist2(a: Rgb, b: Rgb): number {
  return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2;
}

/** Drops unused palette entries and renumbers labels. */
export function compact(q: Quantized): Quantized {
  if (q.counts.every((c) => c > 0)) return q;
  const map = new Uint8Array(256).fill(TRANSPARENT);
  const palette: Rgb[] = [];
  const counts: number[] = [];
  q.palette.forEach((c, j) => {
    if (q.counts[j] > 0) {
      map[j] = palette.length;
      palette.push(c);
      counts.push(q.counts[j]);
    }
  });
  const labels = q.labels;
  for (let i = 0; i < labels.length; i++) labels[i] = map[labels[i]];
  return { palette, labels, counts };
}

/**
 * Merges 4-connected regions smaller than minPixels into the neighbouring colour they share the longest
 * border with (regions touching only transparency are kept, as dropping them would lose coverage).
 */
export function mergeSmallRegions(q: Quantized, width: number, height: number, minPixels: number): Quantized {
  if (minPixels <= 1 || q.palette.length <= 1) return q;
  const { labels } = q;
  const n = width * height;
  const seen = new Uint8Array(n);
  const stack = new Int32Array(n);
  const region = new Int32Array(n);
  const border = new Float64Array(256);
  for (let s = 0; s < n; s++) {
    if (seen[s] || labels[s] === TRANSPARENT) continue;
    const lab = labels[s];
    let sp = 0;
    let size = 0;
    stack[sp++] = s;
    seen[s] = 1;
    border.fill(0);
    while (sp > 0) {
      const i = stack[--sp];
      region[size++] = i;
      const x = i % width;
      for (let k = 0; k < 4; k++) {
        let j: number;
        if (k === 0) j = x > 0 ? i - 1 : -1;
        else if (k === 1) j = x < width - 1 ? i + 1 : -1;
        else if (k === 2) j = i >= width ? i - width : -1;
        else j = i < n - width ? i + width : -1;
        if (j < 0) continue;
        const l = labels[j];
        if (l === lab) {
          if (!seen[j]) {
            seen[j] = 1;
            stack[sp++] = j;
          }
        } else if (l !== TRANSPARENT) border[l]++;
      }
    }
    if (size >= minPixels) continue;
    let best = -1;
    let bestB = 0;
    for (let l = 0; l < 255; l++) {
      if (border[l] > bestB) {
        bestB = border[l];
        best = l;
      }
    }
    if (best < 0) continue;
    // Unmark so the absorbing region, if flooded later, counts these pixels as its own.
    for (let k = 0; k < size; k++) {
      labels[region[k]] = best;
      seen[region[k]] = 0;
    }
    q.counts[lab] -= size;
    q.counts[best] += size;
  }
  return compact(q);
}
