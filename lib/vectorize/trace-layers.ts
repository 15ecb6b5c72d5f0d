/** Turns a decoded image into SVG colour layers: quantize (color) or threshold (mono), then potrace each layer. */
import type { RgbaImage } from '@/lib/quality/types';
import { outlinesToPathData } from './svg/path-data';
import type { SvgLayer } from './svg/build-svg';
import { traceMask, type TraceOptions } from './potrace/trace-mask';
import {
  COVERAGE_ALPHA,
  TRANSPARENT,
  mergeSmallRegions,
  quantizeImage,
  type Quantized,
  type Rgb,
} from './quantize';
import type { TraceParams } from './types';
import { mergeGradientRegions } from './fills/find-gradients';
import { findTranslucentRegions } from './fills/find-translucent';
import type { LayerPaint } from './fills/types';
import { fitPrimitives, type FittedMask } from './geometry/fit-primitives';

type TracedLayers = { layers: SvgLayer[]; paths: number };

/** Below this side length every pixel is a feature: curve smoothing would turn squares into blobs. */
const TINY_SIDE = 8;

/**
 * Speckle removal is capped at 0.1% of the image so tiny images (down to 1x1) keep their content, and images
 * under TINY_SIDE are traced as exact polygons. On a grid k times finer (sub-pixel tracing) areas scale by k^2
 * and distances by k, so both keep their meaning in source pixels.
 */
function traceOptions(p: TraceParams, width: number, height: number, k = 1): TraceOptions {
  const turdSize = Math.min(p.speckle, Math.floor(width * height * 0.001)) * k * k;
  const tiny = Math.min(width, height) < TINY_SIDE;
  return { turdSize, alphaMax: tiny ? 0 : p.cornerThreshold, optTolerance: p.curveTolerance * k };
}

/** Sub-pixel grids stay within this many fine pixels (a 1024 px image gets 2x at most, 512 px and under 4x). */
export const MAX_SUBPIXEL_PIXELS = 4_194_304;

/**
 * The sub-pixel grid factor: tiny images are exact polygons of their pixels, so they stay on the pixel grid, and
 * large ones get at most what keeps the fine grid under MAX_SUBPIXEL_PIXELS (tracing time grows with it, while
 * a one-pixel anti-aliased fringe matters less the larger the image).
 */
function subpixelFactor(p: TraceParams, width: number, height: number): number {
  if (Math.min(width, height) < TINY_SIDE) return 1;
  return Math.max(1, Math.min(p.subpixel, Math.floor(Math.sqrt(MAX_SUBPIXEL_PIXELS / (width * height)))));
}

/** Per pixel: the ranks of two palette colours, `a` weighing 1 - t and `b` weighing t, and the pixel's alpha. */
type ColourBlends = { a: Uint8Array; b: Uint8Array; t: Float32Array; alpha: Float32Array };

/**
 * Each pixel as a blend of two palette colours (`palette` indexed by rank). The pair is the one among the labels
 * of the 3x3 neighbourhood whose segment passes nearest the pixel's colour (anti-aliasing mixes neighbouring
 * regions), so the palette and the small-region merging of the 1x quantization stay as they are: a pixel with
 * one label around it is that label, fully.
 */
function colourBlends(
  img: RgbaImage,
  labels: Uint8Array,
  rank: Uint8Array,
  palette: readonly Rgb[],
): ColourBlends {
  const { width, height, data } = img;
  const n = width * height;
  const a = new Uint8Array(n);
  const b = new Uint8Array(n);
  const t = new Float32Array(n);
  const alpha = new Float32Array(n);
  const cand = new Uint8Array(9);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const o = i * 4;
      alpha[i] = data[o + 3] / 255;
      let m = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const l = labels[yy * width + xx];
          if (l === TRANSPARENT) continue;
          const rk = rank[l];
          let seen = false;
          for (let c = 0; c < m && !seen; c++) seen = cand[c] === rk;
          if (!seen) cand[m++] = rk;
        }
      }
      if (m <= 1) {
        // no label around (deep transparency): rank 0, which every stacked union contains
        a[i] = b[i] = m === 1 ? cand[0] : 0;
        continue;
      }
      const cr = data[o];
      const cg = data[o + 1];
      const cb = data[o + 2];
      let best = Infinity;
      for (let u = 0; u < m; u++) {
        const pu = palette[cand[u]];
        for (let v = u + 1; v < m; v++) {
          const pv = palette[cand[v]];
          const ex = pv[0] - pu[0];
          const ey = pv[1] - pu[1];
          const ez = pv[2] - pu[2];
          const len2 = ex * ex + ey * ey + ez * ez;
          let s = len2 > 0 ? ((cr - pu[0]) * ex + (cg - pu[1]) * ey + (cb - pu[2]) * ez) / len2 : 0;
          s = s < 0 ? 0 : s > 1 ? 1 : s;
          const fx = pu[0] + s * ex - cr;
          const fy = pu[1] + s * ey - cg;
          const fz = pu[2] + s * ez - cb;
          const d = fx * fx + fy * fy + fz * fz;
          if (d < best) {
            best = d;
            a[i] = cand[u];
            b[i] = cand[v];
            t[i] = s;
          }
        }
      }
    }
  }
  return { a, b, t, alpha };
}

/** Coverage of layer r in a window: alpha times the pixel's weight on rank r (cutout) or ranks >= r (stacked). */
function layerCoverage(
  blends: ColourBlends,
  width: number,
  win: { x0: number; y0: number; bw: number; bh: number },
  r: number,
  stacked: boolean,
): Float32Array {
  const { a, b, t, alpha } = blends;
  const out = new Float32Array(win.bw * win.bh);
  for (let y = 0; y < win.bh; y++) {
    const row = (y + win.y0) * width + win.x0;
    for (let x = 0; x < win.bw; x++) {
      const i = row + x;
      const inA = stacked ? a[i] >= r : a[i] === r;
      const inB = stacked ? b[i] >= r : b[i] === r;
      out[y * win.bw + x] = alpha[i] * ((inA ? 1 - t[i] : 0) + (inB ? t[i] : 0));
    }
  }
  return out;
}

/**
 * The mask of `values > level` on a grid k times finer, values interpolated bilinearly between pixel centres
 * (clamped at the borders): a straight anti-aliased edge crosses the level where the source's coverage does.
 */
export function upsampleMask(
  values: Float32Array,
  width: number,
  height: number,
  k: number,
  level: number,
): Uint8Array {
  const fw = width * k;
  const fh = height * k;
  const xi = new Int32Array(fw);
  const xf = new Float32Array(fw);
  for (let u = 0; u < fw; u++) {
    const s = Math.min(Math.max((u + 0.5) / k - 0.5, 0), width - 1);
    xi[u] = Math.min(Math.floor(s), Math.max(width - 2, 0));
    xf[u] = width > 1 ? s - xi[u] : 0;
  }
  const mask = new Uint8Array(fw * fh);
  const row = new Float32Array(width);
  const x1 = width > 1 ? 1 : 0;
  for (let v = 0; v < fh; v++) {
    const s = Math.min(Math.max((v + 0.5) / k - 0.5, 0), height - 1);
    const y0 = Math.min(Math.floor(s), Math.max(height - 2, 0));
    const fy = height > 1 ? s - y0 : 0;
    const r0 = y0 * width;
    const r1 = height > 1 ? r0 + width : r0;
    for (let x = 0; x < width; x++) row[x] = values[r0 + x] + (values[r1 + x] - values[r0 + x]) * fy;
    const out = v * fw;
    for (let u = 0; u < fw; u++) {
      const j = xi[u];
      const val = row[j] + (row[j + x1] - row[j]) * xf[u];
      if (val > level) mask[out + u] = 1;
    }
  }
  return mask;
}

/** The colour-mode palette and labels: adaptive quantization, then small regions merged away. */
export function quantizeForColor(img: RgbaImage, p: TraceParams): Quantized {
  const { width, height } = img;
  const q = quantizeImage(img, { maxColors: p.colors });
  return mergeSmallRegions(q, width, height, Math.round(p.minRegionArea * width * height));
}

export function traceColorLayers(img: RgbaImage, p: TraceParams, quantized?: Quantized): TracedLayers {
  let q = quantized ?? quantizeForColor(img, p);
  let paints = new Map<number, LayerPaint>();
  // tiny images are exact pixel polygons: no region there is worth a paint of its own
  const tiny = Math.min(img.width, img.height) < TINY_SIDE;
  if (p.translucency && !tiny) ({ quantized: q, paints } = findTranslucentRegions(q, img));
  if (p.gradients && !tiny) {
    const merged = mergeGradientRegions(q, img, paints);
    q = merged.quantized;
    paints = merged.paints;
    for (const [label, gradient] of merged.gradients) paints.set(label, { gradient });
  }
  return traceQuantized(q, img.width, img.height, p, img, paints);
}

/** Translucent layers reach this many pixels under the opaque layers they border (no gap at their edge). */
const TRANSLUCENT_REACH = 2;

/**
 * Stacked: layers sorted by area (largest, usually the background, first); each layer's mask is itself plus
 * every layer painted above it, so the layer below always reaches under its neighbour and no seam shows.
 * Translucent layers (a paint with an opacity) come first, each its own pixels plus the opaque pixels within
 * TRANSLUCENT_REACH of them: nothing opaque may lie beneath them, or it would show through.
 * With p.subpixel > 1 (and the pixels `img` the labels came from) each mask is traced from the soft coverage
 * of colourBlends() on a finer grid; otherwise from the labels.
 */
function traceQuantized(
  q: Quantized,
  width: number,
  height: number,
  p: TraceParams,
  img?: RgbaImage,
  paints: ReadonlyMap<number, LayerPaint> = new Map(),
): TracedLayers {
  const translucent = (j: number) => (paints.get(j)?.opacity ?? 1) < 1;
  const order = q.palette
    .map((_, j) => j)
    .sort((a, b) => Number(translucent(b)) - Number(translucent(a)) || q.counts[b] - q.counts[a] || a - b);
  const firstOpaque = order.findIndex((j) => !translucent(j));
  const opaqueFrom = firstOpaque < 0 ? order.length : firstOpaque;
  const rank = new Uint8Array(256).fill(TRANSPARENT);
  order.forEach((j, r) => (rank[j] = r));
  const n = width * height;
  const pixelRank = new Uint8Array(n);
  // Bounding box of each rank, then of each stacked union (ranks >= r): each layer is traced in its own window.
  const boxes = order.map(() => ({ x0: width, y0: height, x1: -1, y1: -1 }));
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const r = rank[q.labels[i]];
      pixelRank[i] = r;
      if (r === TRANSPARENT) continue;
      const b = boxes[r];
      if (x < b.x0) b.x0 = x;
      if (x > b.x1) b.x1 = x;
      if (y < b.y0) b.y0 = y;
      if (y > b.y1) b.y1 = y;
    }
  }
  for (let r = 0; r < opaqueFrom; r++) {
    const b = boxes[r];
    b.x0 = Math.max(0, b.x0 - TRANSLUCENT_REACH);
    b.y0 = Math.max(0, b.y0 - TRANSLUCENT_REACH);
    b.x1 = Math.min(width - 1, b.x1 + TRANSLUCENT_REACH);
    b.y1 = Math.min(height - 1, b.y1 + TRANSLUCENT_REACH);
  }
  if (p.layering === 'stacked') {
    for (let r = order.length - 2; r >= opaqueFrom; r--) {
      const b = boxes[r];
      const above = boxes[r + 1];
      b.x0 = Math.min(b.x0, above.x0);
      b.y0 = Math.min(b.y0, above.y0);
      b.x1 = Math.max(b.x1, above.x1);
      b.y1 = Math.max(b.y1, above.y1);
    }
  }

  const layers: SvgLayer[] = [];
  let paths = 0;
  const k = img ? subpixelFactor(p, width, height) : 1;
  const opts = traceOptions(p, width, height, k);
  const stacked = p.layering === 'stacked';
  const blends =
    k > 1
      ? colourBlends(
          img!,
          q.labels,
          rank,
          order.map((j) => q.palette[j]),
        )
      : null;
  for (let r = 0; r < order.length; r++) {
    let { x0, y0, x1, y1 } = boxes[r];
    if (x1 < x0) continue;
    let outlines;
    let fitted: FittedMask | null = null;
    if (r < opaqueFrom) {
      const bw = x1 - x0 + 1;
      const bh = y1 - y0 + 1;
      outlines = traceMask(
        translucentMask(pixelRank, width, r, opaqueFrom, { x0, y0, bw, bh }),
        bw,
        bh,
        opts,
        {
          x: x0,
          y: y0,
        },
      );
    } else if (blends) {
      // a blended neighbour can carry the edge up to a pixel beyond the labelled box
      x0 = Math.max(0, x0 - 1);
      y0 = Math.max(0, y0 - 1);
      x1 = Math.min(width - 1, x1 + 1);
      y1 = Math.min(height - 1, y1 + 1);
      const bw = x1 - x0 + 1;
      const bh = y1 - y0 + 1;
      const coverage = layerCoverage(blends, width, { x0, y0, bw, bh }, r, stacked);
      const fine = upsampleMask(coverage, bw, bh, k, 0.5);
      const at = { x: x0 * k, y: y0 * k };
      fitted = p.primitives ? fitPrimitives(fine, bw * k, bh * k, at, p.precision, 1 / k) : null;
      const rest = fitted ? fitted.rest : fine;
      outlines = rest ? traceMask(rest, bw * k, bh * k, opts, at, 1 / k) : [];
    } else {
      const bw = x1 - x0 + 1;
      const bh = y1 - y0 + 1;
      const mask = new Uint8Array(bw * bh);
      for (let y = 0; y < bh; y++) {
        const row = (y + y0) * width + x0;
        const out = y * bw;
        for (let x = 0; x < bw; x++) {
          const pr = pixelRank[row + x];
          mask[out + x] = pr !== TRANSPARENT && (stacked ? pr >= r : pr === r) ? 1 : 0;
        }
      }
      // tiny images are exact pixel polygons already
      fitted =
        p.primitives && opts.alphaMax > 0 ? fitPrimitives(mask, bw, bh, { x: x0, y: y0 }, p.precision) : null;
      const rest = fitted ? fitted.rest : mask;
      outlines = rest ? traceMask(rest, bw, bh, opts, { x: x0, y: y0 }) : [];
    }
    const traced = outlines.length > 0 ? outlinesToPathData(outlines, p.precision) : '';
    const d = traced + (fitted?.d ?? '');
    if (d.length === 0) continue;
    const shape = fitted?.single && traced.length === 0 ? { shape: fitted.single } : {};
    layers.push({ color: q.palette[order[r]], d, ...paints.get(order[r]), ...shape });
    paths++;
  }
  return { layers, paths };
}

/**
 * A translucent layer's mask in a window: its own pixels (rank r) and the opaque ones (rank >= opaqueFrom) within
 * TRANSLUCENT_REACH of them (Chebyshev distance), which the opaque layers then paint over.
 */
function translucentMask(
  pixelRank: Uint8Array,
  width: number,
  r: number,
  opaqueFrom: number,
  win: { x0: number; y0: number; bw: number; bh: number },
): Uint8Array {
  const { x0, y0, bw, bh } = win;
  const own = new Uint8Array(bw * bh);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) own[y * bw + x] = pixelRank[(y + y0) * width + x + x0] === r ? 1 : 0;
  }
  const mask = own.slice();
  const d = TRANSLUCENT_REACH;
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const pr = pixelRank[(y + y0) * width + x + x0];
      if (pr === TRANSPARENT || pr < opaqueFrom) continue;
      let near = false;
      for (let yy = Math.max(0, y - d); yy <= Math.min(bh - 1, y + d) && !near; yy++) {
        for (let xx = Math.max(0, x - d); xx <= Math.min(bw - 1, x + d) && !near; xx++)
          near = own[yy * bw + xx] === 1;
      }
      if (near) mask[y * bw + x] = 1;
    }
  }
  return mask;
}

/** Luminance of the pixel composited over white (BT.601), so transparency reads as background. */
function luminanceOverWhite(img: RgbaImage): Uint8Array {
  const { data } = img;
  const n = img.width * img.height;
  const lum = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    const a = data[o + 3] / 255;
    const y = 0.299 * data[o] + 0.587 * data[o + 1] + 0.114 * data[o + 2];
    lum[i] = Math.round(255 + (y - 255) * a);
  }
  return lum;
}

/** Otsu's threshold on a luminance histogram: the split maximising between-class variance. */
function otsuThreshold(lum: Uint8Array): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < lum.length; i++) hist[lum[i]]++;
  const total = lum.length;
  let sumAll = 0;
  for (let t = 0; t < 256; t++) sumAll += t * hist[t];
  let wB = 0;
  let sumB = 0;
  let best = 128;
  let bestVar = -1;
  for (let t = 0; t < 256; t++) {
    wB += hist[t];
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t];
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / wF;
    const v = wB * wF * (mB - mF) ** 2;
    if (v > bestVar) {
      bestVar = v;
      best = t;
    }
  }
  // Pixels <= best are dark; the mask uses lum < threshold.
  return best + 1;
}

/**
 * One layer: pixels darker than the threshold, filled with the mean (un-premultiplied) colour of its core,
 * the masked pixels at least as dark as the masked average: edge pixels are blends with the background and
 * would wash the ink colour out.
 */
export function traceMonoLayer(img: RgbaImage, p: TraceParams): TracedLayers & { threshold: number } {
  const { width, height, data } = img;
  const n = width * height;
  const lum = luminanceOverWhite(img);
  const threshold = p.threshold >= 0 ? p.threshold : otsuThreshold(lum);
  const mask = new Uint8Array(n);
  let lumSum = 0;
  let masked = 0;
  for (let i = 0; i < n; i++) {
    if (lum[i] < threshold) {
      mask[i] = 1;
      lumSum += lum[i];
      masked++;
    }
  }
  const coreLum = masked > 0 ? lumSum / masked : 0;
  let r = 0;
  let g = 0;
  let b = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    if (mask[i] && lum[i] <= coreLum && data[o + 3] >= COVERAGE_ALPHA) {
      r += data[o];
      g += data[o + 1];
      b += data[o + 2];
      count++;
    }
  }
  if (count === 0) return { layers: [], paths: 0, threshold };
  const color: Rgb = [Math.round(r / count), Math.round(g / count), Math.round(b / count)];
  const k = subpixelFactor(p, width, height);
  const opts = traceOptions(p, width, height, k);
  const outlines =
    k > 1
      ? traceMask(
          subpixelMonoMask(lum, mask, p.threshold >= 0 ? threshold : -1, width, height, k),
          width * k,
          height * k,
          opts,
          { x: 0, y: 0 },
          1 / k,
        )
      : traceMask(mask, width, height, opts);
  if (outlines.length === 0) return { layers: [], paths: 0, threshold };
  return { layers: [{ color, d: outlinesToPathData(outlines, p.precision) }], paths: 1, threshold };
}

/**
 * The mono mask on a grid k times finer: luminance interpolated bilinearly and cut at `level`, by default
 * halfway between the ink's and the background's flat luminance (the 50% coverage line of anti-aliased edges,
 * where Otsu's split may sit off-centre).
 */
function subpixelMonoMask(
  lum: Uint8Array,
  mask: Uint8Array,
  level: number,
  width: number,
  height: number,
  k: number,
): Uint8Array {
  const n = width * height;
  if (level < 0) level = (coreMean(lum, mask, 1) + coreMean(lum, mask, 0)) / 2;
  // darkness, so that "inside" is "above the level" as upsampleMask expects
  const dark = new Float32Array(n);
  for (let i = 0; i < n; i++) dark[i] = 255 - lum[i];
  return upsampleMask(dark, width, height, k, 255 - level);
}

/**
 * Mean luminance of the flat side of one class (mask value `side`): its pixels beyond the class's own mean
 * (darker for ink, lighter for background), which leaves the anti-aliased blends out.
 */
function coreMean(lum: Uint8Array, mask: Uint8Array, side: 0 | 1): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < lum.length; i++) {
    if (mask[i] === side) {
      sum += lum[i];
      count++;
    }
  }
  if (count === 0) return side ? 0 : 255;
  const mean = sum / count;
  let coreSum = 0;
  let core = 0;
  for (let i = 0; i < lum.length; i++) {
    if (mask[i] === side && (side ? lum[i] <= mean : lum[i] >= mean)) {
      coreSum += lum[i];
      core++;
    }
  }
  return coreSum / core;
}
