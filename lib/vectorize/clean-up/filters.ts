/**
 * The edge-preserving filters of the clean-up: a bilateral filter (noise, JPEG ringing and grain flattened,
 * edges kept because unlike colours do not mix) and an edge snap (toggle mapping: a pixel on a soft ramp takes
 * the colour of the side it is closer to, so blurred or smoothly upscaled edges become one crisp step instead of
 * a band of in-between colours that the quantizer would trace as halo rings).
 * Both work on the colour of covered pixels only; alpha, and so coverage, is left as it is.
 */
import type { RgbaImage } from '@/lib/quality/types';

const COVERED = 128;

/**
 * Bilateral filter over a (2 * radius + 1)^2 window: spatial Gaussian `spatialSigma` (px), range Gaussian
 * `rangeSigma` on the RGB distance. Transparent pixels neither change nor contribute.
 */
export function bilateralFilter(
  img: RgbaImage,
  {
    radius = 2,
    spatialSigma = 1.5,
    rangeSigma = 20,
  }: { radius?: number; spatialSigma?: number; rangeSigma?: number },
): RgbaImage {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(data);
  const size = 2 * radius + 1;
  const spatial = new Float64Array(size * size);
  for (let dy = -radius; dy <= radius; dy++)
    for (let dx = -radius; dx <= radius; dx++)
      spatial[(dy + radius) * size + dx + radius] = Math.exp(-(dx * dx + dy * dy) / (2 * spatialSigma ** 2));
  // range weights by squared distance, tabulated (RGB distance^2 up to 3 * 255^2)
  const inv = 1 / (2 * rangeSigma * rangeSigma);
  const cutoff = Math.ceil(9 * rangeSigma * rangeSigma); // beyond 3 sigma the weight is negligible
  const range = new Float64Array(cutoff + 1);
  for (let d = 0; d <= cutoff; d++) range[d] = Math.exp(-d * inv);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 4;
      if (data[o + 3] < COVERED) continue;
      const r0 = data[o];
      const g0 = data[o + 1];
      const b0 = data[o + 2];
      let sw = 0;
      let sr = 0;
      let sg = 0;
      let sb = 0;
      for (let dy = -radius; dy <= radius; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -radius; dx <= radius; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const p = (yy * w + xx) * 4;
          if (data[p + 3] < COVERED) continue;
          const dr = data[p] - r0;
          const dg = data[p + 1] - g0;
          const db = data[p + 2] - b0;
          const d2 = dr * dr + dg * dg + db * db;
          if (d2 > cutoff) continue;
          const wgt = spatial[(dy + radius) * size + dx + radius] * range[d2];
          sw += wgt;
          sr += wgt * data[p];
          sg += wgt * data[p + 1];
          sb += wgt * data[p + 2];
        }
      }
      out[o] = Math.round(sr / sw);
      out[o + 1] = Math.round(sg / sw);
      out[o + 2] = Math.round(sb / sw);
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * Edge snap (toggle mapping): where a window of `radius` spans at least `minContrast` luminance levels, a pixel
 * lying on the blend between the window's darkest and lightest colours takes whichever of the two it is closer
 * to. A pixel off that blend (a third colour: a thin line, a small dot) keeps its colour, and so do the
 * extremes themselves, so thin features survive; only the ramps between two colours go.
 */
export function snapEdges(
  img: RgbaImage,
  { radius = 2, minContrast = 40 }: { radius?: number; minContrast?: number },
): RgbaImage {
  const { width: w, height: h, data } = img;
  const n = w * h;
  const luma = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    luma[i] = 0.299 * data[o] + 0.587 * data[o + 1] + 0.114 * data[o + 2];
  }
  const out = new Uint8Array(data);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const o = i * 4;
      if (data[o + 3] < COVERED) continue;
      let lo = -1;
      let hi = -1;
      for (let dy = -radius; dy <= radius; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -radius; dx <= radius; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const j = yy * w + xx;
          if (data[j * 4 + 3] < COVERED) continue;
          if (lo < 0 || luma[j] < luma[lo]) lo = j;
          if (hi < 0 || luma[j] > luma[hi]) hi = j;
        }
      }
      if (lo < 0 || luma[hi] - luma[lo] < minContrast || lo === i || hi === i) continue;
      const a = lo * 4;
      const b = hi * 4;
      const ex = data[b] - data[a];
      const ey = data[b + 1] - data[a + 1];
      const ez = data[b + 2] - data[a + 2];
      const len2 = ex * ex + ey * ey + ez * ez;
      const px = data[o] - data[a];
      const py = data[o + 1] - data[a + 1];
      const pz = data[o + 2] - data[a + 2];
      const t = Math.max(0, Math.min(1, (px * ex + py * ey + pz * ez) / len2));
      const qx = px - t * ex;
      const qy = py - t * ey;
      const qz = pz - t * ez;
      // off the blend by more than a quarter of the step (plus a little for rounding): a colour of its own
      if (qx * qx + qy * qy + qz * qz > len2 / 16 + 100) continue;
      const src = t < 0.5 ? a : b;
      out[o] = data[src];
      out[o + 1] = data[src + 1];
      out[o + 2] = data[src + 2];
    }
  }
  return { width: w, height: h, data: out };
}
