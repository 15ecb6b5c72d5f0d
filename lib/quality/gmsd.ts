/**
 * GMSD (gradient magnitude similarity deviation, Xue, Zhang, Mou and Bovik 2014): an edge-aware distortion score
 * beside RGB-SSIM. 0 means the edges match everywhere; it rises as edges move, blur, vanish or appear. A flat
 * silhouette that keeps a mark's average colours scores well on SSIM but badly here, because every inner edge
 * it drops is a pixel of low gradient similarity.
 *
 * It follows the authors' reference code exactly: BT.601 luminance on 0..255, a 2x2 mean filter and 2x
 * decimation (conv2 'same', zero padded), Prewitt gradients (zero padded), GMS map with T = 170 (c = 0.0026 on a
 * 0..1 scale), score = standard deviation of the map (N - 1 normalisation, as MATLAB's std2).
 */
import type { Rgb } from './ssim';
import type { RgbaImage } from './types';

/** The stability constant on the 0..255 scale: 0.0026 * 255^2, as in the reference code. */
const T = 170;
const WHITE: Rgb = [255, 255, 255];

/** BT.601 luminance of straight RGBA composited over an opaque background (floating point, 0..255). */
export function compositeLuma(img: RgbaImage, bg: Rgb = WHITE): Float64Array {
  const n = img.width * img.height;
  const out = new Float64Array(n);
  const d = img.data;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    const a = d[o + 3] / 255;
    const r = d[o] * a + bg[0] * (1 - a);
    const g = d[o + 1] * a + bg[1] * (1 - a);
    const b = d[o + 2] * a + bg[2] * (1 - a);
    out[i] = 0.299 * r + 0.587 * g + 0.114 * b;
  }
  return out;
}

/**
 * MATLAB's `Y = conv2(Y, ones(2)/4, 'same'); Y = Y(1:2:end, 1:2:end)`: the mean of each 2x2 block starting at
 * even coordinates, with zeros beyond the last row and column.
 */
function downsample(y: Float64Array, w: number, h: number): { y: Float64Array; w: number; h: number } {
  const dw = Math.ceil(w / 2);
  const dh = Math.ceil(h / 2);
  const out = new Float64Array(dw * dh);
  for (let j = 0; j < dh; j++) {
    const y0 = 2 * j;
    const y1 = y0 + 1 < h ? y0 + 1 : -1;
    for (let i = 0; i < dw; i++) {
      const x0 = 2 * i;
      const x1 = x0 + 1 < w ? x0 + 1 : -1;
      let s = y[y0 * w + x0];
      if (x1 >= 0) s += y[y0 * w + x1];
      if (y1 >= 0) {
        s += y[y1 * w + x0];
        if (x1 >= 0) s += y[y1 * w + x1];
      }
      out[j * dw + i] = s / 4;
    }
  }
  return { y: out, w: dw, h: dh };
}

/** Prewitt gradient magnitude (kernels [1 0 -1] x [1 1 1] / 3), zero padded as conv2 'same'. */
export function gradientMagnitude(y: Float64Array, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h);
  const at = (x: number, yy: number) => (x < 0 || yy < 0 || x >= w || yy >= h ? 0 : y[yy * w + x]);
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      let gx = 0;
      let gy = 0;
      const interior = i > 0 && j > 0 && i < w - 1 && j < h - 1;
      for (let d = -1; d <= 1; d++) {
        if (interior) {
          gx += y[(j + d) * w + i + 1] - y[(j + d) * w + i - 1];
          gy += y[(j + 1) * w + i + d] - y[(j - 1) * w + i + d];
        } else {
          gx += at(i + 1, j + d) - at(i - 1, j + d);
          gy += at(i + d, j + 1) - at(i + d, j - 1);
        }
      }
      gx /= 3;
      gy /= 3;
      out[j * w + i] = Math.sqrt(gx * gx + gy * gy);
    }
  }
  return out;
}

/** GMSD of two luminance planes (0..255) of one size. */
export function gmsdOfLuma(a: Float64Array, b: Float64Array, width: number, height: number): number {
  const da = downsample(a, width, height);
  const db = downsample(b, width, height);
  const ga = gradientMagnitude(da.y, da.w, da.h);
  const gb = gradientMagnitude(db.y, db.w, db.h);
  const n = ga.length;
  if (n < 2) return 0;
  // two passes: the map sits near 1, so sum-of-squares minus square-of-sum would cancel
  const q = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    q[i] = (2 * ga[i] * gb[i] + T) / (ga[i] * ga[i] + gb[i] * gb[i] + T);
    sum += q[i];
  }
  const mean = sum / n;
  let dev = 0;
  for (let i = 0; i < n; i++) dev += (q[i] - mean) ** 2;
  return Math.sqrt(dev / (n - 1));
}

/** GMSD of two same-size RGBA images after compositing both over `background` (default white). */
export function measureGmsd(a: RgbaImage, b: RgbaImage, background: Rgb = WHITE): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(`images differ in size: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
  return gmsdOfLuma(compositeLuma(a, background), compositeLuma(b, background), a.width, a.height);
}
