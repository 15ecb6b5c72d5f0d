/** Fast, deterministic image features (colour, edges, gradients, strokes, entropy, alpha) for the AI router's models. */
import type { RgbaImage } from '@/lib/quality/types';

/** Feature names in vector order; the trained models depend on this order, so only ever append. */
export const FEATURE_NAMES = [
  'log_colors_fine', // distinct 5-bit colours, log-scaled
  'log_colors_merged', // 4-bit colour bins holding >= 0.2% of pixels (near colours merged)
  'dominant_share',
  'top2_share',
  'top4_share',
  'top8_share',
  'tail_share', // pixels in rare bins: gradients and photos spread colours thin
  'edge_density', // strong colour steps
  'flat_share',
  'gentle_share', // small non-zero steps: smooth gradients
  'gentle_of_nonflat',
  'mean_step',
  'step_run_smoothness', // gentle pixels whose neighbour is also gentle (gradient ramps, not AA edges)
  'luma_entropy',
  'color_entropy',
  'transparent_share',
  'semi_transparent_share',
  'log_pixels',
  'aspect',
  'foreground_share',
  'log_components',
  'small_component_share',
  'median_component_height',
  'component_height_cv',
  'mean_fill_ratio',
  'row_alignment',
  'stroke_width',
  'mean_saturation',
  'saturation_spread',
  'largest_component_share',
  'holes_share',
  'luma_std',
  'flat_colors', // distinct colours of flat interiors, near ones merged: the palette a designer used
  'log_regions', // connected same-colour regions: roughly the shape count
  'fg_bbox_aspect', // word marks are wide even on a square canvas
  'fg_bbox_fill',
  'fg_bbox_width',
  'fg_bbox_height',
  'ramp_share', // tiny 1 px steps that add up over 4 px: smooth gradient ramps
  'log_smooth_colors', // fine colours away from edges: gradients have many, anti-aliasing adds none
  'flat_colors_tiny', // palette counting even tiny flat details (0.01% of the image)
  'flat_colors_major', // palette of colours covering 1%+ each
  'log_regions_small',
  'log_regions_large',
] as const;

export const FEATURE_COUNT = FEATURE_NAMES.length;

const MAX_SIDE = 256;
const ALPHA_OPAQUE = 128;
const ALPHA_CLEAR = 16;
const FG_DISTANCE = 60; // sum of |dR|+|dG|+|dB| that separates foreground from background
const EDGE_STEP = 60;
const FLAT_STEP = 2;
const GENTLE_STEP = 30;
const RAMP = 4;

type Work = {
  w: number;
  h: number;
  /** RGB composited over white, 3 bytes per pixel. */
  rgb: Uint8Array;
  alpha: Uint8Array;
};

let overWhite: Uint8Array | undefined;
/** `over[alpha << 8 | v]`: channel value v at that alpha composited over white, rounded as an encoder would. */
function overWhiteTable(): Uint8Array {
  if (!overWhite) {
    overWhite = new Uint8Array(65536);
    for (let al = 0; al < 256; al++) {
      for (let v = 0; v < 256; v++) overWhite[(al << 8) | v] = Math.round((v * al + 255 * (255 - al)) / 255);
    }
  }
  return overWhite;
}

/** Box-downsamples to at most MAX_SIDE so features cost the same for any input and are roughly scale-free. */
function prepare(img: RgbaImage): Work {
  const step = Math.max(1, Math.ceil(Math.max(img.width, img.height) / MAX_SIDE));
  const w = Math.max(1, Math.floor(img.width / step));
  const h = Math.max(1, Math.floor(img.height / step));
  const rgb = new Uint8Array(w * h * 3);
  const alpha = new Uint8Array(w * h);
  const src = img.data;
  if (step === 1) {
    // common case (inputs up to 256 px): composite only the pixels that are not opaque, through a lookup table
    const over = overWhiteTable();
    for (let i = 0, o = 0, q = 0; i < w * h; i++, o += 4, q += 3) {
      const al = src[o + 3];
      alpha[i] = al;
      if (al === 255) {
        rgb[q] = src[o];
        rgb[q + 1] = src[o + 1];
        rgb[q + 2] = src[o + 2];
      } else {
        const row = al << 8;
        rgb[q] = over[row | src[o]];
        rgb[q + 1] = over[row | src[o + 1]];
        rgb[q + 2] = over[row | src[o + 2]];
      }
    }
    return { w, h, rgb, alpha };
  }
  const n = step * step;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let dy = 0; dy < step; dy++) {
        let o = ((y * step + dy) * img.width + x * step) * 4;
        for (let dx = 0; dx < step; dx++, o += 4) {
          const al = src[o + 3];
          // composite over white per source pixel so averaging never drags colour toward transparent black
          r += (src[o] * al + 255 * (255 - al)) / 255;
          g += (src[o + 1] * al + 255 * (255 - al)) / 255;
          b += (src[o + 2] * al + 255 * (255 - al)) / 255;
          a += al;
        }
      }
      const i = y * w + x;
      rgb[i * 3] = Math.round(r / n);
      rgb[i * 3 + 1] = Math.round(g / n);
      rgb[i * 3 + 2] = Math.round(b / n);
      alpha[i] = Math.round(a / n);
    }
  }
  return { w, h, rgb, alpha };
}

function entropy(hist: Uint32Array, total: number): number {
  if (total === 0) return 0;
  let e = 0;
  for (let i = 0; i < hist.length; i++) {
    const c = hist[i];
    if (c > 0) {
      const p = c / total;
      e -= p * Math.log2(p);
    }
  }
  return e;
}

type Components = {
  count: number;
  value: Int32Array;
  area: Int32Array;
  x0: Int32Array;
  x1: Int32Array;
  y0: Int32Array;
  y1: Int32Array;
};

let scratch: Record<'parent' | 'rx0' | 'rx1' | 'ry' | 'rv' | 'index', Int32Array> | undefined;
/** Per-run work arrays, reused across calls (every entry read is written first in the same call). */
function runScratch(size: number) {
  if (!scratch || scratch.parent.length < size) {
    scratch = {
      parent: new Int32Array(size),
      rx0: new Int32Array(size),
      rx1: new Int32Array(size),
      ry: new Int32Array(size),
      rv: new Int32Array(size),
      index: new Int32Array(size),
    };
  }
  return scratch;
}

/**
 * 4-connected components of equal `values` (pixels equal to `skip` belong to none), in the order of their first
 * pixel in raster order. Labels runs of equal value row by row and joins overlapping runs of the row above
 * (union-find, the smaller run index wins), which is several times faster than a per-pixel flood fill.
 */
function labelComponents(values: ArrayLike<number>, w: number, h: number, skip: number): Components {
  const { parent, rx0, rx1, ry, rv, index } = runScratch(w * h);
  const find = (r: number) => {
    while (parent[r] !== r) {
      parent[r] = parent[parent[r]];
      r = parent[r];
    }
    return r;
  };
  let runs = 0;
  let prevStart = 0;
  let prevEnd = 0;
  for (let y = 0; y < h; y++) {
    const rowStart = runs;
    const base = y * w;
    let p = prevStart;
    for (let x = 0; x < w;) {
      const v = values[base + x];
      const x0 = x;
      while (x + 1 < w && values[base + x + 1] === v) x++;
      const x1 = x;
      x++;
      if (v === skip) continue;
      const run = runs++;
      rx0[run] = x0;
      rx1[run] = x1;
      ry[run] = y;
      rv[run] = v;
      parent[run] = run;
      while (p < prevEnd && rx1[p] < x0) p++;
      for (let q = p; q < prevEnd && rx0[q] <= x1; q++) {
        if (rv[q] !== v) continue;
        const a = find(run);
        const b = find(q);
        if (a < b) parent[b] = a;
        else if (b < a) parent[a] = b;
      }
    }
    prevStart = rowStart;
    prevEnd = runs;
  }
  // a root is its component's first run; number components in root order
  const out: Components = {
    count: 0,
    value: new Int32Array(runs),
    area: new Int32Array(runs),
    x0: new Int32Array(runs),
    x1: new Int32Array(runs),
    y0: new Int32Array(runs),
    y1: new Int32Array(runs),
  };
  for (let r = 0; r < runs; r++) {
    const root = find(r);
    let c: number;
    if (root === r) {
      c = out.count++;
      index[r] = c;
      out.value[c] = rv[r];
      out.x0[c] = rx0[r];
      out.x1[c] = rx1[r];
      out.y0[c] = ry[r];
      out.y1[c] = ry[r];
    } else {
      c = index[root];
      if (rx0[r] < out.x0[c]) out.x0[c] = rx0[r];
      if (rx1[r] > out.x1[c]) out.x1[c] = rx1[r];
      if (ry[r] > out.y1[c]) out.y1[c] = ry[r];
    }
    out.area[c] += rx1[r] - rx0[r] + 1;
  }
  return out;
}

/** Per pixel: the largest colour step to the right/down neighbour 1 px away (`near`) and RAMP px away (`step`). */
function measureSteps(rgb: Uint8Array, w: number, h: number) {
  const step = new Uint16Array(w * h);
  const near = new Uint16Array(w * h);
  let edges = 0;
  let flat = 0;
  let gentle = 0;
  let stepSum = 0;
  const row3 = w * 3;
  for (let y = 0; y < h; y++) {
    const down1 = y + 1 < h;
    const downR = y + RAMP < h;
    for (let x = 0, i = y * w, o = i * 3; x < w; x++, i++, o += 3) {
      const r = rgb[o];
      const g = rgb[o + 1];
      const b = rgb[o + 2];
      let m1 = 0;
      if (x + 1 < w) m1 = Math.abs(r - rgb[o + 3]) + Math.abs(g - rgb[o + 4]) + Math.abs(b - rgb[o + 5]);
      if (down1) {
        const q = o + row3;
        const d = Math.abs(r - rgb[q]) + Math.abs(g - rgb[q + 1]) + Math.abs(b - rgb[q + 2]);
        if (d > m1) m1 = d;
      }
      let m = 0;
      if (x + RAMP < w) {
        const q = o + RAMP * 3;
        m = Math.abs(r - rgb[q]) + Math.abs(g - rgb[q + 1]) + Math.abs(b - rgb[q + 2]);
      }
      if (downR) {
        const q = o + RAMP * row3;
        const d = Math.abs(r - rgb[q]) + Math.abs(g - rgb[q + 1]) + Math.abs(b - rgb[q + 2]);
        if (d > m) m = d;
      }
      step[i] = m;
      near[i] = m1;
      stepSum += m1;
      if (m1 > EDGE_STEP) edges++;
      if (m <= FLAT_STEP) flat++;
      else if (m <= GENTLE_STEP) gentle++;
    }
  }
  return { step, near, edges, flat, gentle, stepSum };
}

/** Computes the feature vector of an RGBA image (order: FEATURE_NAMES). Deterministic; about a few ms at 256 px. */
export function extractFeatures(img: RgbaImage): Float32Array {
  if (img.width < 1 || img.height < 1 || img.data.length < img.width * img.height * 4) {
    throw new RangeError(`extractFeatures: invalid image ${img.width}x${img.height}`);
  }
  const { w, h, rgb, alpha } = prepare(img);
  const total = w * h;
  const out = new Float32Array(FEATURE_COUNT);

  // colour statistics over visible pixels
  const fine = new Uint32Array(32768);
  const coarse = new Uint32Array(4096);
  const lumaHist = new Uint32Array(64);
  let visible = 0;
  let clear = 0;
  let semi = 0;
  let satSum = 0;
  let satSq = 0;
  let lumaSum = 0;
  let lumaSq = 0;
  for (let i = 0; i < total; i++) {
    const a = alpha[i];
    if (a < ALPHA_CLEAR) {
      clear++;
      continue;
    }
    if (a < 240) semi++;
    visible++;
    const r = rgb[i * 3];
    const g = rgb[i * 3 + 1];
    const b = rgb[i * 3 + 2];
    fine[((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3)]++;
    coarse[((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4)]++;
    const l = (299 * r + 587 * g + 114 * b) / 1000;
    lumaHist[Math.min(63, l >> 2)]++;
    lumaSum += l;
    lumaSq += l * l;
    const mx = Math.max(r, g, b);
    const mn = Math.min(r, g, b);
    const s = mx === 0 ? 0 : (mx - mn) / mx;
    satSum += s;
    satSq += s * s;
  }
  let fineCount = 0;
  for (let i = 0; i < fine.length; i++) if (fine[i] > 0) fineCount++;
  const counts: number[] = [];
  const minBin = Math.max(1, visible * 0.002);
  let merged = 0;
  let tail = 0;
  for (let i = 0; i < coarse.length; i++) {
    const c = coarse[i];
    if (c === 0) continue;
    counts.push(c);
    if (c >= minBin) merged++;
    else tail += c;
  }
  counts.sort((a, b) => b - a);
  const vis = Math.max(1, visible);
  const topShare = (k: number) => {
    let s = 0;
    for (let i = 0; i < Math.min(k, counts.length); i++) s += counts[i];
    return s / vis;
  };
  out[0] = Math.log2(1 + fineCount) / 15;
  out[1] = Math.log2(1 + merged) / 12;
  out[2] = topShare(1);
  out[3] = topShare(2);
  out[4] = topShare(4);
  out[5] = topShare(8);
  out[6] = tail / vis;

  // colour steps to the right and down neighbours (over white, so alpha edges count as edges); edges use
  // 1 px steps, flatness uses RAMP px steps because a smooth gradient changes too little per pixel to see
  const { step, near, edges, flat, gentle, stepSum } = measureSteps(rgb, w, h);
  // gentle steps inside a gentle neighbourhood are ramps; next to a strong edge they are anti-aliasing
  let gentleRun = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const m = step[i];
      if (m <= FLAT_STEP || m > GENTLE_STEP) continue;
      if (
        step[i - 1] <= GENTLE_STEP &&
        step[i + 1] <= GENTLE_STEP &&
        step[i - w] <= GENTLE_STEP &&
        step[i + w] <= GENTLE_STEP
      ) {
        gentleRun++;
      }
    }
  }
  const nonFlat = total - flat;
  out[7] = edges / total;
  out[8] = flat / total;
  out[9] = gentle / total;
  out[10] = nonFlat > 0 ? gentle / nonFlat : 0;
  out[11] = Math.min(1, stepSum / total / 100);
  out[12] = gentleRun / total;
  out[13] = entropy(lumaHist, visible) / 6;
  out[14] = entropy(coarse, visible) / 12;
  out[15] = clear / total;
  out[16] = semi / total;
  out[17] = Math.log2(img.width * img.height) / 26;
  out[18] = Math.log2(img.width / img.height) / 4;

  // foreground mask: opaque pixels that differ from the background (transparent, or the commonest border colour)
  const fg = new Uint8Array(total);
  const transparentBg = clear > total * 0.05;
  let bgR = 255;
  let bgG = 255;
  let bgB = 255;
  if (!transparentBg) {
    const border = new Map<number, number>();
    const visit = (i: number) => {
      const key = ((rgb[i * 3] >> 4) << 8) | ((rgb[i * 3 + 1] >> 4) << 4) | (rgb[i * 3 + 2] >> 4);
      border.set(key, (border.get(key) ?? 0) + 1);
    };
    for (let x = 0; x < w; x++) {
      visit(x);
      visit((h - 1) * w + x);
    }
    for (let y = 0; y < h; y++) {
      visit(y * w);
      visit(y * w + w - 1);
    }
    let best = -1;
    let bestKey = 0xfff;
    for (const [k, c] of border) if (c > best || (c === best && k < bestKey)) [best, bestKey] = [c, k];
    bgR = ((bestKey >> 8) << 4) + 8;
    bgG = (((bestKey >> 4) & 15) << 4) + 8;
    bgB = ((bestKey & 15) << 4) + 8;
  }
  let fgCount = 0;
  let bx0 = w;
  let bx1 = -1;
  let by0 = h;
  let by1 = -1;
  for (let i = 0; i < total; i++) {
    let on: boolean;
    if (transparentBg) on = alpha[i] >= ALPHA_OPAQUE;
    else {
      const d = Math.abs(rgb[i * 3] - bgR) + Math.abs(rgb[i * 3 + 1] - bgG) + Math.abs(rgb[i * 3 + 2] - bgB);
      on = d > FG_DISTANCE;
    }
    if (on) {
      fg[i] = 1;
      fgCount++;
      const y = (i / w) | 0;
      const x = i - y * w;
      if (x < bx0) bx0 = x;
      if (x > bx1) bx1 = x;
      if (y < by0) by0 = y;
      if (y > by1) by1 = y;
    }
  }
  out[19] = fgCount / total;
  if (fgCount > 0) {
    const bw = bx1 - bx0 + 1;
    const bh = by1 - by0 + 1;
    out[34] = Math.log2(bw / bh) / 4;
    out[35] = fgCount / (bw * bh);
    out[36] = bw / w;
    out[37] = bh / h;
  }

  // 4-connected components of the foreground, and of the background (holes = enclosed background parts)
  const minArea = Math.max(4, Math.round(total * 0.0002));
  const heights: number[] = [];
  const centers: number[] = [];
  let fills = 0;
  let kept = 0;
  let small = 0;
  let largest = 0;
  let holes = 0;
  // components in the order of their first pixel, as a raster-order flood fill would find them (fills is summed
  // in that order)
  const fgParts = labelComponents(fg, w, h, -1);
  for (let c = 0; c < fgParts.count; c++) {
    const area = fgParts.area[c];
    const x0 = fgParts.x0[c];
    const x1 = fgParts.x1[c];
    const y0 = fgParts.y0[c];
    const y1 = fgParts.y1[c];
    if (fgParts.value[c] === 0) {
      const touchesBorder = x0 === 0 || y0 === 0 || x1 === w - 1 || y1 === h - 1;
      if (!touchesBorder && area >= minArea) holes += area;
      continue;
    }
    if (area < minArea) continue;
    kept++;
    if (area > largest) largest = area;
    if (area < total * 0.005) small++;
    const bh = y1 - y0 + 1;
    heights.push(bh);
    centers.push((y0 + y1) / 2);
    fills += area / ((x1 - x0 + 1) * bh);
  }
  // foreground pixels with a 4-neighbour of the other kind
  let boundary = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0, i = y * w; x < w; x++, i++) {
      if (fg[i] !== 1) continue;
      if (
        (x > 0 && fg[i - 1] !== 1) ||
        (x + 1 < w && fg[i + 1] !== 1) ||
        (y > 0 && fg[i - w] !== 1) ||
        (y + 1 < h && fg[i + w] !== 1)
      ) {
        boundary++;
      }
    }
  }
  out[20] = Math.log2(1 + kept) / 10;
  out[21] = kept > 0 ? small / kept : 0;
  if (kept > 0) {
    const sorted = [...heights].sort((a, b) => a - b);
    const medH = sorted[sorted.length >> 1];
    let mean = 0;
    for (const v of heights) mean += v;
    mean /= kept;
    let varH = 0;
    for (const v of heights) varH += (v - mean) ** 2;
    const sortedC = [...centers].sort((a, b) => a - b);
    const medC = sortedC[sortedC.length >> 1];
    let aligned = 0;
    for (const c of centers) if (Math.abs(c - medC) <= medH * 0.5) aligned++;
    out[22] = medH / h;
    out[23] = Math.min(2, Math.sqrt(varH / kept) / Math.max(1, mean));
    out[24] = fills / kept;
    out[25] = aligned / kept;
  }
  // twice area over perimeter approximates the stroke width; relative to the shorter side
  out[26] = boundary > 0 ? Math.min(1, (2 * fgCount) / boundary / Math.min(w, h)) : 0;
  const satMean = visible > 0 ? satSum / visible : 0;
  out[27] = satMean;
  out[28] = visible > 0 ? Math.sqrt(Math.max(0, satSq / visible - satMean * satMean)) : 0;
  out[29] = largest / total;
  out[30] = holes / total;
  const lMean = visible > 0 ? lumaSum / visible : 0;
  out[31] = visible > 0 ? Math.sqrt(Math.max(0, lumaSq / visible - lMean * lMean)) / 128 : 0;

  // palette of flat interiors: 4-bit bins of pixels with no 1 px step, then near bins merged greedily
  const binCount = new Uint32Array(4096);
  const binSum = new Float64Array(4096 * 3);
  const smooth = new Uint8Array(32768);
  let ramp = 0;
  const key = new Int16Array(total).fill(-1);
  for (let i = 0; i < total; i++) {
    if (alpha[i] < ALPHA_CLEAR) continue;
    const r = rgb[i * 3];
    const g = rgb[i * 3 + 1];
    const b = rgb[i * 3 + 2];
    const k = ((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4);
    key[i] = k;
    const m1 = near[i];
    if (m1 <= FLAT_STEP) {
      binCount[k]++;
      binSum[k * 3] += r;
      binSum[k * 3 + 1] += g;
      binSum[k * 3 + 2] += b;
    }
    if (m1 <= 8) smooth[((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3)] = 1;
    if (m1 >= 1 && m1 <= 8 && step[i] > FLAT_STEP && step[i] <= GENTLE_STEP) ramp++;
  }
  const bins: { n: number; c: [number, number, number] }[] = [];
  for (let k = 0; k < 4096; k++) {
    const n = binCount[k];
    if (n >= 2) bins.push({ n, c: [binSum[k * 3] / n, binSum[k * 3 + 1] / n, binSum[k * 3 + 2] / n] });
  }
  bins.sort((a, b) => b.n - a.n);
  // near colours merge like the dataset labels merge SVG colours: within 16 levels on every channel
  const paletteSize = (minShare: number) => {
    const palette: [number, number, number][] = [];
    const min = Math.max(2, total * minShare);
    for (const { n, c } of bins) {
      if (n < min) break;
      if (
        !palette.some(
          (p) => Math.max(Math.abs(p[0] - c[0]), Math.abs(p[1] - c[1]), Math.abs(p[2] - c[2])) < 16,
        )
      ) {
        palette.push(c);
      }
    }
    return palette.length;
  };
  out[32] = Math.log2(1 + paletteSize(0.001)) / 6;
  out[40] = Math.log2(1 + paletteSize(0.0001)) / 7;
  out[41] = Math.log2(1 + paletteSize(0.01)) / 5;
  let smoothColors = 0;
  for (let i = 0; i < smooth.length; i++) smoothColors += smooth[i];
  out[38] = ramp / total;
  out[39] = Math.log2(1 + smoothColors) / 15;

  // same-colour regions (4-bit colour, 4-connected) big enough to be a drawn shape
  const minRegion = Math.max(4, Math.round(total * 0.0005));
  const minSmall = Math.max(3, Math.round(total * 0.0001));
  const minLarge = Math.round(total * 0.01);
  let regions = 0;
  let regionsSmall = 0;
  let regionsLarge = 0;
  const parts = labelComponents(key, w, h, -1);
  for (let c = 0; c < parts.count; c++) {
    const area = parts.area[c];
    if (area >= minRegion) regions++;
    if (area >= minSmall) regionsSmall++;
    if (area >= minLarge) regionsLarge++;
  }
  out[33] = Math.log2(1 + regions) / 10;
  out[42] = Math.log2(1 + regionsSmall) / 11;
  out[43] = Math.log2(1 + regionsLarge) / 7;
  return out;
}
