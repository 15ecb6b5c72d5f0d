/**
 * Measures what a real upload has been through, from its pixels alone: JPEG block artefacts, noise, soft
 * (blurred or smoothly upscaled) edges and nearest-neighbour upscaling. Vector art rendered cleanly has flat
 * areas that are exactly flat and edges one anti-aliased pixel wide; each measure says how far an image is
 * from that.
 */
import type { RgbaImage } from '@/lib/quality/types';

export type Defects = {
  /**
   * JPEG 8x8 block grid strength: mean luminance step across block boundaries over the mean step inside
   * blocks, in smooth areas (1 = no grid; JPEG q50-70 gives about 1.5-4).
   */
  blockiness: number;
  /** Share of opaque pixels that differ by 3..40 levels from their 3x3 median (ringing, grain, noise). */
  noisyShare: number;
  /** Mean absolute residual after a 3x3 median over those pixels (luminance levels). */
  noiseLevel: number;
  /**
   * Median width in pixels of the image's strong edges (contrast over the edge / steepest step): about 1.5-2.5
   * for crisp anti-aliased art, 4+ for blurred or smoothly upscaled images. 0 when there are no strong edges.
   */
  edgeWidth: number;
  /** k > 1 when the image is an exact nearest-neighbour upscale by k (every k x k block one colour). */
  nearestFactor: number;
};

function lumaOf(img: RgbaImage): { y: Float32Array; covered: Uint8Array } {
  // covered = fully opaque here (see below)
  const n = img.width * img.height;
  const y = new Float32Array(n);
  const covered = new Uint8Array(n);
  const d = img.data;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    const a = d[o + 3] / 255;
    // composited over white, so an edge against transparency is an edge too
    y[i] = (0.299 * d[o] + 0.587 * d[o + 1] + 0.114 * d[o + 2]) * a + 255 * (1 - a);
    // opaque only: the noise measure must not read the anti-aliasing of a transparent edge as grain
    covered[i] = d[o + 3] === 255 ? 1 : 0;
  }
  return { y, covered };
}

function median9(v: Float32Array): number {
  // insertion sort of 9 values: fast enough and allocation-free
  for (let i = 1; i < 9; i++) {
    const x = v[i];
    let j = i - 1;
    while (j >= 0 && v[j] > x) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = x;
  }
  return v[4];
}

function measureNoise(y: Float32Array, covered: Uint8Array, w: number, h: number) {
  const win = new Float32Array(9);
  let noisy = 0;
  let sum = 0;
  let count = 0;
  for (let j = 1; j < h - 1; j++) {
    for (let i = 1; i < w - 1; i++) {
      const p = j * w + i;
      let k = 0;
      let opaque = 1;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          win[k++] = y[p + dy * w + dx];
          opaque &= covered[p + dy * w + dx];
        }
      if (!opaque) continue;
      const r = Math.abs(y[p] - median9(win));
      count++;
      if (r >= 3 && r <= 40) {
        noisy++;
        sum += r;
      }
    }
  }
  return { noisyShare: count ? noisy / count : 0, noiseLevel: noisy ? sum / noisy : 0 };
}

function measureBlockiness(y: Float32Array, w: number, h: number): number {
  let boundary = 0;
  let nb = 0;
  let inner = 0;
  let ni = 0;
  const step = (a: number, b: number, atBoundary: boolean) => {
    const d = Math.abs(a - b);
    if (d > 24) return; // an edge of the art, not of the codec
    if (atBoundary) {
      boundary += d;
      nb++;
    } else {
      inner += d;
      ni++;
    }
  };
  for (let j = 0; j < h; j++)
    for (let i = 0; i + 1 < w; i++) step(y[j * w + i], y[j * w + i + 1], (i & 7) === 7);
  for (let j = 0; j + 1 < h; j++)
    for (let i = 0; i < w; i++) step(y[j * w + i], y[(j + 1) * w + i], (j & 7) === 7);
  if (nb === 0 || ni === 0) return 1;
  return (boundary / nb + 0.05) / (inner / ni + 0.05);
}

/** Max (or min) over a (2r+1)^2 window, separably. */
function windowExtreme(src: Float32Array, w: number, h: number, r: number, max: boolean): Float32Array {
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let j = 0; j < h; j++)
    for (let i = 0; i < w; i++) {
      let m = src[j * w + i];
      for (let d = Math.max(0, i - r); d <= Math.min(w - 1, i + r); d++) {
        const v = src[j * w + d];
        if (max ? v > m : v < m) m = v;
      }
      tmp[j * w + i] = m;
    }
  for (let j = 0; j < h; j++)
    for (let i = 0; i < w; i++) {
      let m = tmp[j * w + i];
      for (let d = Math.max(0, j - r); d <= Math.min(h - 1, j + r); d++) {
        const v = tmp[d * w + i];
        if (max ? v > m : v < m) m = v;
      }
      out[j * w + i] = m;
    }
  return out;
}

/** Strong edges only: at least this much luminance contrast across the window. */
const EDGE_CONTRAST = 60;
const EDGE_RADIUS = 4;

function measureEdgeWidth(y: Float32Array, w: number, h: number): number {
  const grad = new Float32Array(w * h);
  for (let j = 1; j < h - 1; j++)
    for (let i = 1; i < w - 1; i++) {
      const p = j * w + i;
      const gx = (y[p + 1] - y[p - 1]) / 2;
      const gy = (y[p + w] - y[p - w]) / 2;
      grad[p] = Math.sqrt(gx * gx + gy * gy);
    }
  const hi = windowExtreme(y, w, h, EDGE_RADIUS, true);
  const lo = windowExtreme(y, w, h, EDGE_RADIUS, false);
  const widths: number[] = [];
  // sample edge centres: pixels whose gradient is the largest of their 3x3 neighbourhood
  for (let j = 1; j < h - 1; j++)
    for (let i = 1; i < w - 1; i++) {
      const p = j * w + i;
      const range = hi[p] - lo[p];
      const g = grad[p];
      if (range < EDGE_CONTRAST || g < 4) continue;
      let peak = true;
      for (let dy = -1; dy <= 1 && peak; dy++)
        for (let dx = -1; dx <= 1; dx++) if (grad[p + dy * w + dx] > g) peak = false;
      if (peak) widths.push(range / g);
    }
  if (widths.length < 8) return 0;
  widths.sort((a, b) => a - b);
  return widths[widths.length >> 1];
}

function nearestUpscaleFactor(img: RgbaImage): number {
  const { width: w, height: h, data } = img;
  const same = (p: number, q: number) =>
    data[p] === data[q] &&
    data[p + 1] === data[q + 1] &&
    data[p + 2] === data[q + 2] &&
    data[p + 3] === data[q + 3];
  for (const k of [8, 6, 5, 4, 3, 2]) {
    if (w % k !== 0 || h % k !== 0 || w / k < 8 || h / k < 8) continue;
    let ok = true;
    for (let j = 0; j < h && ok; j++) {
      const base = j - (j % k);
      for (let i = 0; i < w; i++) {
        if (!same((j * w + i) * 4, (base * w + i - (i % k)) * 4)) {
          ok = false;
          break;
        }
      }
    }
    if (ok) return k;
  }
  return 1;
}

/**
 * Larger images are measured on a central crop of this size: the defects are uniform over an upload, and the
 * full measurement of a 2048 px image took most of a second.
 */
const MAX_MEASURED_SIDE = 768;
/** Crop origins are multiples of this, so the 8x8 JPEG grid and every nearest factor 2..8 but 7 stay aligned. */
const CROP_ALIGN = 120;

function centralCrop(img: RgbaImage): RgbaImage {
  const { width: w, height: h } = img;
  if (w <= MAX_MEASURED_SIDE && h <= MAX_MEASURED_SIDE) return img;
  const cw = Math.min(w, MAX_MEASURED_SIDE);
  const ch = Math.min(h, MAX_MEASURED_SIDE);
  const x0 = Math.floor((w - cw) / 2 / CROP_ALIGN) * CROP_ALIGN;
  const y0 = Math.floor((h - ch) / 2 / CROP_ALIGN) * CROP_ALIGN;
  const data = new Uint8Array(cw * ch * 4);
  for (let j = 0; j < ch; j++)
    data.set(img.data.subarray(((y0 + j) * w + x0) * 4, ((y0 + j) * w + x0 + cw) * 4), j * cw * 4);
  return { width: cw, height: ch, data };
}

export function detectDefects(image: RgbaImage): Defects {
  const img = centralCrop(image);
  const { width: w, height: h } = img;
  if (w < 8 || h < 8) return { blockiness: 1, noisyShare: 0, noiseLevel: 0, edgeWidth: 0, nearestFactor: 1 };
  const { y, covered } = lumaOf(img);
  return {
    blockiness: measureBlockiness(y, w, h),
    ...measureNoise(y, covered, w, h),
    edgeWidth: measureEdgeWidth(y, w, h),
    // the whole image: a crop of an upscale is an upscale, but the factor must divide the full size
    nearestFactor: nearestUpscaleFactor(image),
  };
}
