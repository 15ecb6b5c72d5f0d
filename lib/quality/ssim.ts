/** SSIM (Gaussian 11x11, sigma 1.5) on luminance and RGB channels, and PSNR, of two RGBA images over one background. */
// Checked by hand against ssim.js 3.5 `original` (a port of Wang et al.'s MATLAB ssim_index, valid windows):
// identical to 1e-13 on greyscale renders of dataset icons. ssim.js is not a dependency; the tests derive
// reference values from the textbook formula instead.
import type { RgbaImage } from './types';

export type Rgb = readonly [number, number, number];

export type SsimReport = {
  /** RGB-SSIM: mean of the R, G and B SSIMs. Luminance alone hides colour errors, so this is the headline. */
  ssim: number;
  /** SSIM of BT.601 luminance. */
  ssimLuma: number;
  r: number;
  g: number;
  b: number;
};

const K1 = 0.01;
const K2 = 0.03;
const L = 255;
const C1 = (K1 * L) ** 2;
const C2 = (K2 * L) ** 2;
const SIGMA = 1.5;
const MAX_RADIUS = 5; // 11x11 window

const WHITE: Rgb = [255, 255, 255];

function gaussianKernel(radius: number): Float64Array {
  const k = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp(-(i * i) / (2 * SIGMA * SIGMA));
    k[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

function assertSameSize(a: RgbaImage, b: RgbaImage): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(`images differ in size: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
  if (a.data.length < a.width * a.height * 4 || b.data.length < b.width * b.height * 4) {
    throw new RangeError('image data shorter than width*height*4');
  }
}

const planeScratch: Float64Array[][] = [[], []];

/**
 * Composites straight RGBA over an opaque background into R, G, B and luma planes (floats, 0..255). The planes
 * are views of reused buffers (`slot` 0 or 1, one per image of a comparison), valid until the next call.
 */
function compositePlanes(img: RgbaImage, bg: Rgb, slot: 0 | 1): Planes {
  const n = img.width * img.height;
  if ((planeScratch[slot][0]?.length ?? 0) < n)
    planeScratch[slot] = [0, 1, 2, 3].map(() => new Float64Array(n));
  const [r, g, b, y] = planeScratch[slot].map((plane) => plane.subarray(0, n));
  const d = img.data;
  const [bgR, bgG, bgB] = bg;
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    const alpha = d[p + 3];
    let rv: number;
    let gv: number;
    let bv: number;
    // Opaque and clear pixels (most of an icon) skip the blend: v * 1 + bg * 0 is exactly v, and
    // v * 0 + bg * 1 exactly bg, so the planes are bit for bit what the blend gives.
    if (alpha === 255) {
      rv = d[p];
      gv = d[p + 1];
      bv = d[p + 2];
    } else if (alpha === 0) {
      rv = bgR;
      gv = bgG;
      bv = bgB;
    } else {
      const a = alpha / 255;
      const ia = 1 - a;
      rv = d[p] * a + bgR * ia;
      gv = d[p + 1] * a + bgG * ia;
      bv = d[p + 2] * a + bgB * ia;
    }
    r[i] = rv;
    g[i] = gv;
    b[i] = bv;
    y[i] = 0.299 * rv + 0.587 * gv + 0.114 * bv;
  }
  return [r, g, b, y];
}

/**
 * Mean SSIM of two planes. Windows are 'valid' only (no padding), as in Wang et al.'s reference code;
 * images smaller than the window use the largest centred window that fits, so tiny images still get a score.
 *
 * Speed matters (the AI router measures quality inside its search loop), so:
 * - SSIM needs only four filtered moments: E[x], E[y], E[x^2 + y^2] and E[xy];
 * - the Gaussian is separable and symmetric: one horizontal pass, one vertical pass, paired taps;
 * - a window where both images are identical scores exactly 1 (numerator equals denominator bit for bit),
 *   so it is skipped; a summed-area table of differing pixels finds those windows. Icons on a plain
 *   background are mostly such windows.
 */
/**
 * Work buffers reused across planes and calls: a 256 px comparison would otherwise allocate ~14 MB, and the
 * allocation and zeroing cost as much as the filtering. Safe without clearing: the vertical pass only reads
 * horizontal sums that the same call wrote (see the gating below), and the other buffers are fully rewritten.
 */
const scratch = {
  diff: new Int32Array(0),
  sq: new Float64Array(0),
  pr: new Float64Array(0),
  hx: new Float64Array(0),
  hy: new Float64Array(0),
  hs: new Float64Array(0),
  hp: new Float64Array(0),
};

function ssimPlane(x: Float64Array, y: Float64Array, w: number, h: number): number {
  const radius = Math.max(0, Math.min(MAX_RADIUS, Math.floor((Math.min(w, h) - 1) / 2)));
  const span = 2 * radius + 1;
  const k = gaussianKernel(radius);
  const kc = k[radius];
  const n = w * h;
  const ow = w - 2 * radius;
  const oh = h - 2 * radius;

  // diff[(r) * (w + 1) + c]: pixels that differ in rows < r, cols < c.
  const w1 = w + 1;
  if (scratch.diff.length < w1 * (h + 1)) scratch.diff = new Int32Array(w1 * (h + 1));
  const diff = scratch.diff;
  diff.fill(0, 0, w1); // row 0 and column 0 of the table are zeros; the loop writes the rest
  for (let r = 0; r < h; r++) {
    let run = 0;
    const row = r * w;
    const above = r * w1;
    const here = (r + 1) * w1;
    diff[here] = 0;
    for (let c = 0; c < w; c++) {
      if (x[row + c] !== y[row + c]) run++;
      diff[here + c + 1] = diff[above + c + 1] + run;
    }
  }
  if (diff[h * w1 + w] === 0) return 1;

  if (scratch.sq.length < n) {
    scratch.sq = new Float64Array(n);
    scratch.pr = new Float64Array(n);
  }
  const { sq, pr } = scratch;
  for (let i = 0; i < n; i++) {
    const a = x[i];
    const b = y[i];
    sq[i] = a * a + b * b;
    pr[i] = a * b;
  }

  // Horizontal pass, only where some vertical window that uses this value (rows r-2R..r+2R) has a difference.
  const m = ow * h;
  if (scratch.hx.length < m) {
    scratch.hx = new Float64Array(m);
    scratch.hy = new Float64Array(m);
    scratch.hs = new Float64Array(m);
    scratch.hp = new Float64Array(m);
  }
  const { hx, hy, hs, hp } = scratch;
  // The 11-tap window is the only one real images use: its taps are unrolled into locals (same sums in the
  // same order as the generic loop, so the results are bit for bit the same, at about twice the speed).
  const unrolled = radius === MAX_RADIUS;
  const k1 = unrolled ? k[radius + 1] : 0;
  const k2 = unrolled ? k[radius + 2] : 0;
  const k3 = unrolled ? k[radius + 3] : 0;
  const k4 = unrolled ? k[radius + 4] : 0;
  const k5 = unrolled ? k[radius + 5] : 0;
  for (let row = 0; row < h; row++) {
    const base = row * w + radius;
    const obase = row * ow;
    const top = Math.max(0, row - 2 * radius) * w1;
    const bottom = Math.min(h, row + 2 * radius + 1) * w1;
    for (let col = 0; col < ow; col++) {
      // differs(r0, col, r1, col + span), inlined: this runs for every pixel
      if (diff[bottom + col + span] - diff[top + col + span] - diff[bottom + col] + diff[top + col] === 0)
        continue;
      const c = base + col;
      let sx = kc * x[c];
      let sy = kc * y[c];
      let ss = kc * sq[c];
      let sp = kc * pr[c];
      if (unrolled) {
        sx += k1 * (x[c - 1] + x[c + 1]);
        sy += k1 * (y[c - 1] + y[c + 1]);
        ss += k1 * (sq[c - 1] + sq[c + 1]);
        sp += k1 * (pr[c - 1] + pr[c + 1]);
        sx += k2 * (x[c - 2] + x[c + 2]);
        sy += k2 * (y[c - 2] + y[c + 2]);
        ss += k2 * (sq[c - 2] + sq[c + 2]);
        sp += k2 * (pr[c - 2] + pr[c + 2]);
        sx += k3 * (x[c - 3] + x[c + 3]);
        sy += k3 * (y[c - 3] + y[c + 3]);
        ss += k3 * (sq[c - 3] + sq[c + 3]);
        sp += k3 * (pr[c - 3] + pr[c + 3]);
        sx += k4 * (x[c - 4] + x[c + 4]);
        sy += k4 * (y[c - 4] + y[c + 4]);
        ss += k4 * (sq[c - 4] + sq[c + 4]);
        sp += k4 * (pr[c - 4] + pr[c + 4]);
        sx += k5 * (x[c - 5] + x[c + 5]);
        sy += k5 * (y[c - 5] + y[c + 5]);
        ss += k5 * (sq[c - 5] + sq[c + 5]);
        sp += k5 * (pr[c - 5] + pr[c + 5]);
      } else {
        for (let t = 1; t <= radius; t++) {
          const kt = k[radius + t];
          const a = c - t;
          const b = c + t;
          sx += kt * (x[a] + x[b]);
          sy += kt * (y[a] + y[b]);
          ss += kt * (sq[a] + sq[b]);
          sp += kt * (pr[a] + pr[b]);
        }
      }
      const o = obase + col;
      hx[o] = sx;
      hy[o] = sy;
      hs[o] = ss;
      hp[o] = sp;
    }
  }

  // Vertical pass and the SSIM map, accumulated directly.
  let total = 0;
  const o1 = ow;
  const o2 = 2 * ow;
  const o3 = 3 * ow;
  const o4 = 4 * ow;
  const o5 = 5 * ow;
  for (let row = 0; row < oh; row++) {
    const c0 = (row + radius) * ow;
    const top = row * w1;
    const bottom = (row + span) * w1;
    for (let col = 0; col < ow; col++) {
      if (diff[bottom + col + span] - diff[top + col + span] - diff[bottom + col] + diff[top + col] === 0) {
        total += 1;
        continue;
      }
      const c = c0 + col;
      let mx = kc * hx[c];
      let my = kc * hy[c];
      let es = kc * hs[c];
      let ep = kc * hp[c];
      if (unrolled) {
        mx += k1 * (hx[c - o1] + hx[c + o1]);
        my += k1 * (hy[c - o1] + hy[c + o1]);
        es += k1 * (hs[c - o1] + hs[c + o1]);
        ep += k1 * (hp[c - o1] + hp[c + o1]);
        mx += k2 * (hx[c - o2] + hx[c + o2]);
        my += k2 * (hy[c - o2] + hy[c + o2]);
        es += k2 * (hs[c - o2] + hs[c + o2]);
        ep += k2 * (hp[c - o2] + hp[c + o2]);
        mx += k3 * (hx[c - o3] + hx[c + o3]);
        my += k3 * (hy[c - o3] + hy[c + o3]);
        es += k3 * (hs[c - o3] + hs[c + o3]);
        ep += k3 * (hp[c - o3] + hp[c + o3]);
        mx += k4 * (hx[c - o4] + hx[c + o4]);
        my += k4 * (hy[c - o4] + hy[c + o4]);
        es += k4 * (hs[c - o4] + hs[c + o4]);
        ep += k4 * (hp[c - o4] + hp[c + o4]);
        mx += k5 * (hx[c - o5] + hx[c + o5]);
        my += k5 * (hy[c - o5] + hy[c + o5]);
        es += k5 * (hs[c - o5] + hs[c + o5]);
        ep += k5 * (hp[c - o5] + hp[c + o5]);
      } else {
        for (let t = 1; t <= radius; t++) {
          const kt = k[radius + t];
          const a = c - t * ow;
          const b = c + t * ow;
          mx += kt * (hx[a] + hx[b]);
          my += kt * (hy[a] + hy[b]);
          es += kt * (hs[a] + hs[b]);
          ep += kt * (hp[a] + hp[b]);
        }
      }
      const mxy = mx * my;
      const m2 = mx * mx + my * my;
      total += ((2 * mxy + C1) * (2 * (ep - mxy) + C2)) / ((m2 + C1) * (es - m2 + C2));
    }
  }
  return total / (ow * oh);
}

type Planes = [Float64Array, Float64Array, Float64Array, Float64Array];

/** True when both images have the same values in planes i and j: their SSIMs are then the same number. */
function samePlanes(pa: Planes, pb: Planes, i: number, j: number): boolean {
  const [xi, xj, yi, yj] = [pa[i], pa[j], pb[i], pb[j]];
  for (let p = 0; p < xi.length; p++) if (xi[p] !== xj[p] || yi[p] !== yj[p]) return false;
  return true;
}

function ssimOfPlanes(pa: Planes, pb: Planes, w: number, h: number): SsimReport {
  const r = ssimPlane(pa[0], pb[0], w, h);
  // Grey images (word marks, mono traces) have three equal channels: score one, reuse it for the others.
  const g = samePlanes(pa, pb, 0, 1) ? r : ssimPlane(pa[1], pb[1], w, h);
  const b = samePlanes(pa, pb, 0, 2) ? r : samePlanes(pa, pb, 1, 2) ? g : ssimPlane(pa[2], pb[2], w, h);
  const ssimLuma = ssimPlane(pa[3], pb[3], w, h);
  return { ssim: (r + g + b) / 3, ssimLuma, r, g, b };
}

function psnrOfPlanes(pa: Planes, pb: Planes): number {
  let se = 0;
  for (let c = 0; c < 3; c++) {
    const x = pa[c];
    const y = pb[c];
    for (let i = 0; i < x.length; i++) {
      const d = x[i] - y[i];
      se += d * d;
    }
  }
  const mse = se / (3 * pa[0].length);
  if (mse === 0) return Infinity;
  return 10 * Math.log10((L * L) / mse);
}

/** SSIM of two same-size images after compositing both over `background` (default white). */
export function measureSsim(a: RgbaImage, b: RgbaImage, background: Rgb = WHITE): SsimReport {
  assertSameSize(a, b);
  return ssimOfPlanes(
    compositePlanes(a, background, 0),
    compositePlanes(b, background, 1),
    a.width,
    a.height,
  );
}

/** PSNR in dB over R, G and B after compositing over `background`; Infinity when the composites are identical. */
export function measurePsnr(a: RgbaImage, b: RgbaImage, background: Rgb = WHITE): number {
  assertSameSize(a, b);
  return psnrOfPlanes(compositePlanes(a, background, 0), compositePlanes(b, background, 1));
}

/** SSIM and PSNR together, compositing each image once. */
export function compareImages(
  a: RgbaImage,
  b: RgbaImage,
  background: Rgb = WHITE,
): SsimReport & { psnr: number } {
  assertSameSize(a, b);
  const pa = compositePlanes(a, background, 0);
  const pb = compositePlanes(b, background, 1);
  return { ...ssimOfPlanes(pa, pb, a.width, a.height), psnr: psnrOfPlanes(pa, pb) };
}
