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

export type TracedLayers = { layers: SvgLayer[]; paths: number };

/** Below this side length every pixel is a feature: curve smoothing would turn squares into blobs. */
const TINY_SIDE = 8;

/**
 * Speckle removal is capped at 0.1% of the image so tiny images (down to 1x1) keep their content, and images
 * under TINY_SIDE are traced as exact polygons.
 */
function traceOptions(p: TraceParams, width: number, height: number): TraceOptions {
  const turdSize = Math.min(p.speckle, Math.floor(width * height * 0.001));
  const tiny = Math.min(width, height) < TINY_SIDE;
  return { turdSize, alphaMax: tiny ? 0 : p.cornerThreshold, optTolerance: p.curveTolerance };
}

/** The colour-mode palette and labels: adaptive quantization, then small regions merged away. */
export function quantizeForColor(img: RgbaImage, p: TraceParams): Quantized {
  const { width, height } = img;
  const q = quantizeImage(img, { maxColors: p.colors });
  return mergeSmallRegions(q, width, height, Math.round(p.minRegionArea * width * height));
}

export function traceColorLayers(img: RgbaImage, p: TraceParams, quantized?: Quantized): TracedLayers {
  return traceQuantized(quantized ?? quantizeForColor(img, p), img.width, img.height, p);
}

/**
 * Stacked: layers sorted by area (largest, usually the background, first); each layer's mask is itself plus
 * every layer painted above it, so the layer below always reaches under its neighbour and no seam shows.
 */
export function traceQuantized(q: Quantized, width: number, height: number, p: TraceParams): TracedLayers {
  const order = q.palette.map((_, j) => j).sort((a, b) => q.counts[b] - q.counts[a] || a - b);
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
  if (p.layering === 'stacked') {
    for (let r = order.length - 2; r >= 0; r--) {
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
  const opts = traceOptions(p, width, height);
  for (let r = 0; r < order.length; r++) {
    const { x0, y0, x1, y1 } = boxes[r];
    if (x1 < x0) continue;
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    const mask = new Uint8Array(bw * bh);
    const stacked = p.layering === 'stacked';
    for (let y = 0; y < bh; y++) {
      const row = (y + y0) * width + x0;
      const out = y * bw;
      for (let x = 0; x < bw; x++) {
        const pr = pixelRank[row + x];
        mask[out + x] = pr !== TRANSPARENT && (stacked ? pr >= r : pr === r) ? 1 : 0;
      }
    }
    const outlines = traceMask(mask, bw, bh, opts, { x: x0, y: y0 });
    if (outlines.length === 0) continue;
    const d = outlinesToPathData(outlines, p.precision);
    layers.push({ color: q.palette[order[r]], d });
    paths++;
  }
  return { layers, paths };
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
export function otsuThreshold(lum: Uint8Array): number {
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
  const outlines = traceMask(mask, width, height, traceOptions(p, width, height));
  if (outlines.length === 0) return { layers: [], paths: 0, threshold };
  return { layers: [{ color, d: outlinesToPathData(outlines, p.precision) }], paths: 1, threshold };
}
