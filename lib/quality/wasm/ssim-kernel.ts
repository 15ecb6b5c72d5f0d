/**
 * AssemblyScript source of the SSIM / PSNR kernel (compiled to WebAssembly by `npm run build:wasm`; not part of
 * the TypeScript program). Same maths as Wang et al.: Gaussian 11x11 window, sigma 1.5, K1 0.01, K2 0.03, 'valid'
 * windows only; f64 throughout, two windows at a time with f64x2 SIMD.
 *
 * Why WebAssembly: the AI router measures every conversion it considers, and the same loops in JavaScript cost
 * about three times as much (bounds checks, no SIMD).
 *
 * Memory: `prepare(w, h)` lays out every buffer after the heap base and returns where the caller writes image a's
 * RGBA (image b's follows at `secondImageOffset(w, h)` bytes); `compare` composites both over the background and
 * writes r, g, b and luma SSIM and the RGB mean squared error as five f64 at the pointer it returns.
 */
const K1: f64 = 0.01;
const K2: f64 = 0.03;
const L: f64 = 255;
const C1: f64 = K1 * L * (K1 * L);
const C2: f64 = K2 * L * (K2 * L);
const SIGMA: f64 = 1.5;
const MAX_RADIUS: i32 = 5;

const KERNEL: usize = memory.data(8 * 8);
const RESULT: usize = memory.data(8 * 8);

let imageA: usize = 0;
let imageB: usize = 0;
/** Composited planes of each image: r, g, b, luma (f64, n values each). */
let planesA: usize = 0;
let planesB: usize = 0;
/** Summed-area table (i32, (w+1) x (h+1)) of the pixels where the two planes differ. */
let differ: usize = 0;
let sumSquares: usize = 0;
let products: usize = 0;
/** Horizontal Gaussian sums of x, y, x^2 + y^2 and xy. */
let hx: usize = 0;
let hy: usize = 0;
let hs: usize = 0;
let hp: usize = 0;

function align16(p: usize): usize {
  return (p + 15) & ~(<usize>15);
}

export function secondImageOffset(w: i32, h: i32): usize {
  return align16(4 * <usize>w * <usize>h);
}

export function prepare(w: i32, h: i32): usize {
  const n = <usize>w * <usize>h;
  // 16 spare bytes after each f64 buffer: a two-lane load at the last odd column stays inside it
  imageA = align16(__heap_base);
  imageB = imageA + secondImageOffset(w, h);
  planesA = align16(imageB + 4 * n);
  planesB = align16(planesA + 32 * n);
  differ = align16(planesB + 32 * n);
  sumSquares = align16(differ + 4 * (<usize>w + 1) * (<usize>h + 1));
  products = align16(sumSquares + 8 * n + 16);
  hx = align16(products + 8 * n + 16);
  hy = align16(hx + 8 * n + 16);
  hs = align16(hy + 8 * n + 16);
  hp = align16(hs + 8 * n + 16);
  const end = hp + 8 * n + 16;
  const pages = <i32>((end + 65535) >> 16);
  const have = memory.size();
  if (pages > have && memory.grow(pages - have) < 0) unreachable();
  return imageA;
}

/** Straight RGBA over an opaque background into r, g, b and BT.601 luma planes. */
function composite(src: usize, dst: usize, n: usize, bgR: f64, bgG: f64, bgB: f64): void {
  const pg = dst + 8 * n;
  const pb = dst + 16 * n;
  const py = dst + 24 * n;
  for (let i: usize = 0; i < n; i++) {
    const p = src + 4 * i;
    const alpha = <i32>load<u8>(p, 3);
    let rv: f64;
    let gv: f64;
    let bv: f64;
    if (alpha == 255) {
      rv = <f64>load<u8>(p);
      gv = <f64>load<u8>(p, 1);
      bv = <f64>load<u8>(p, 2);
    } else if (alpha == 0) {
      rv = bgR;
      gv = bgG;
      bv = bgB;
    } else {
      const a = <f64>alpha / 255;
      const ia = 1 - a;
      rv = <f64>load<u8>(p) * a + bgR * ia;
      gv = <f64>load<u8>(p, 1) * a + bgG * ia;
      bv = <f64>load<u8>(p, 2) * a + bgB * ia;
    }
    store<f64>(dst + 8 * i, rv);
    store<f64>(pg + 8 * i, gv);
    store<f64>(pb + 8 * i, bv);
    store<f64>(py + 8 * i, 0.299 * rv + 0.587 * gv + 0.114 * bv);
  }
}

/** Half of the normalised Gaussian: KERNEL[t] is the weight of offset +-t. */
function setKernel(radius: i32): void {
  let sum: f64 = 0;
  for (let i = -radius; i <= radius; i++) sum += Math.exp(-(<f64>(i * i)) / (2 * SIGMA * SIGMA));
  for (let t = 0; t <= radius; t++) {
    store<f64>(KERNEL + 8 * <usize>t, Math.exp(-(<f64>(t * t)) / (2 * SIGMA * SIGMA)) / sum);
  }
}

function kernelAt(t: i32): f64 {
  return load<f64>(KERNEL + 8 * <usize>t);
}

function differAt(i: i32): i32 {
  return load<i32>(differ + 4 * <usize>i);
}

/** Differing pixels in rows [top, bottom) (as table row offsets) and columns [left, right). */
function differing(top: i32, bottom: i32, left: i32, right: i32): i32 {
  return differAt(bottom + right) - differAt(top + right) - differAt(bottom + left) + differAt(top + left);
}

function pair(base: usize, i: i32): v128 {
  return v128.load(base + 8 * <usize>i);
}

function at(base: usize, i: i32): f64 {
  return load<f64>(base + 8 * <usize>i);
}

/**
 * Mean SSIM of two planes. Images smaller than the window use the largest centred window that fits. A window
 * where both planes are identical scores exactly 1 (numerator equals denominator bit for bit), so windows the
 * summed-area table shows free of differences are counted without filtering: icons on a plain background are
 * mostly such windows.
 */
function ssimPlane(x: usize, y: usize, w: i32, h: i32): f64 {
  const radius = max(0, min(MAX_RADIUS, (min(w, h) - 1) / 2));
  const span = 2 * radius + 1;
  setKernel(radius);
  const kc = kernelAt(0);
  const ow = w - 2 * radius;
  const oh = h - 2 * radius;
  const w1 = w + 1;
  const n = w * h;

  for (let c = 0; c < w1; c++) store<i32>(differ + 4 * <usize>c, 0);
  for (let r = 0; r < h; r++) {
    let run = 0;
    const row = r * w;
    const above = r * w1;
    const here = (r + 1) * w1;
    store<i32>(differ + 4 * <usize>here, 0);
    for (let c = 0; c < w; c++) {
      if (at(x, row + c) != at(y, row + c)) run++;
      store<i32>(differ + 4 * <usize>(here + c + 1), differAt(above + c + 1) + run);
    }
  }
  if (differAt(h * w1 + w) == 0) return 1;

  for (let i = 0; i < n; i++) {
    const a = at(x, i);
    const b = at(y, i);
    store<f64>(sumSquares + 8 * <usize>i, a * a + b * b);
    store<f64>(products + 8 * <usize>i, a * b);
  }

  // Horizontal pass, two output columns at a time. A pair is filtered when any window that will read it (rows
  // up to 2 * radius above or below) has a difference; the vertical pass reads only such pairs.
  const vkc = f64x2.splat(kc);
  for (let row = 0; row < h; row++) {
    const base = row * w + radius;
    const obase = row * ow;
    const top = max(0, row - 2 * radius) * w1;
    const bottom = min(h, row + 2 * radius + 1) * w1;
    let col = 0;
    for (; col + 2 <= ow; col += 2) {
      if (differing(top, bottom, col, col + span + 1) == 0) continue;
      const c = base + col;
      let sx = f64x2.mul(vkc, pair(x, c));
      let sy = f64x2.mul(vkc, pair(y, c));
      let ss = f64x2.mul(vkc, pair(sumSquares, c));
      let sp = f64x2.mul(vkc, pair(products, c));
      for (let t = 1; t <= radius; t++) {
        const kt = f64x2.splat(kernelAt(t));
        const a = c - t;
        const b = c + t;
        sx = f64x2.add(sx, f64x2.mul(kt, f64x2.add(pair(x, a), pair(x, b))));
        sy = f64x2.add(sy, f64x2.mul(kt, f64x2.add(pair(y, a), pair(y, b))));
        ss = f64x2.add(ss, f64x2.mul(kt, f64x2.add(pair(sumSquares, a), pair(sumSquares, b))));
        sp = f64x2.add(sp, f64x2.mul(kt, f64x2.add(pair(products, a), pair(products, b))));
      }
      const o: usize = <usize>(obase + col) * 8;
      v128.store(hx + o, sx);
      v128.store(hy + o, sy);
      v128.store(hs + o, ss);
      v128.store(hp + o, sp);
    }
    for (; col < ow; col++) {
      if (differing(top, bottom, col, col + span) == 0) continue;
      const c = base + col;
      let sx = kc * at(x, c);
      let sy = kc * at(y, c);
      let ss = kc * at(sumSquares, c);
      let sp = kc * at(products, c);
      for (let t = 1; t <= radius; t++) {
        const kt = kernelAt(t);
        sx += kt * (at(x, c - t) + at(x, c + t));
        sy += kt * (at(y, c - t) + at(y, c + t));
        ss += kt * (at(sumSquares, c - t) + at(sumSquares, c + t));
        sp += kt * (at(products, c - t) + at(products, c + t));
      }
      const o: usize = <usize>(obase + col) * 8;
      store<f64>(hx + o, sx);
      store<f64>(hy + o, sy);
      store<f64>(hs + o, ss);
      store<f64>(hp + o, sp);
    }
  }

  // Vertical pass and the SSIM map, two windows at a time.
  const vc1 = f64x2.splat(C1);
  const vc2 = f64x2.splat(C2);
  const two = f64x2.splat(2);
  let total: f64 = 0;
  for (let row = 0; row < oh; row++) {
    const c0 = (row + radius) * ow;
    const top = row * w1;
    const bottom = (row + span) * w1;
    let col = 0;
    for (; col + 2 <= ow; col += 2) {
      if (differing(top, bottom, col, col + span + 1) == 0) {
        total += 2;
        continue;
      }
      const c = c0 + col;
      let mx = f64x2.mul(vkc, pair(hx, c));
      let my = f64x2.mul(vkc, pair(hy, c));
      let es = f64x2.mul(vkc, pair(hs, c));
      let ep = f64x2.mul(vkc, pair(hp, c));
      for (let t = 1; t <= radius; t++) {
        const kt = f64x2.splat(kernelAt(t));
        const a = c - t * ow;
        const b = c + t * ow;
        mx = f64x2.add(mx, f64x2.mul(kt, f64x2.add(pair(hx, a), pair(hx, b))));
        my = f64x2.add(my, f64x2.mul(kt, f64x2.add(pair(hy, a), pair(hy, b))));
        es = f64x2.add(es, f64x2.mul(kt, f64x2.add(pair(hs, a), pair(hs, b))));
        ep = f64x2.add(ep, f64x2.mul(kt, f64x2.add(pair(hp, a), pair(hp, b))));
      }
      const mxy = f64x2.mul(mx, my);
      const m2 = f64x2.add(f64x2.mul(mx, mx), f64x2.mul(my, my));
      const num = f64x2.mul(
        f64x2.add(f64x2.mul(two, mxy), vc1),
        f64x2.add(f64x2.mul(two, f64x2.sub(ep, mxy)), vc2),
      );
      const den = f64x2.mul(f64x2.add(m2, vc1), f64x2.add(f64x2.sub(es, m2), vc2));
      const s = f64x2.div(num, den);
      total += f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    }
    for (; col < ow; col++) {
      if (differing(top, bottom, col, col + span) == 0) {
        total += 1;
        continue;
      }
      const c = c0 + col;
      let mx = kc * at(hx, c);
      let my = kc * at(hy, c);
      let es = kc * at(hs, c);
      let ep = kc * at(hp, c);
      for (let t = 1; t <= radius; t++) {
        const kt = kernelAt(t);
        const a = c - t * ow;
        const b = c + t * ow;
        mx += kt * (at(hx, a) + at(hx, b));
        my += kt * (at(hy, a) + at(hy, b));
        es += kt * (at(hs, a) + at(hs, b));
        ep += kt * (at(hp, a) + at(hp, b));
      }
      const mxy = mx * my;
      const m2 = mx * mx + my * my;
      total += ((2 * mxy + C1) * (2 * (ep - mxy) + C2)) / ((m2 + C1) * (es - m2 + C2));
    }
  }
  return total / <f64>(ow * oh);
}

/** True when both images have the same values in planes i and j: their SSIMs are then the same number. */
function samePlanes(i: usize, j: usize, n: usize): bool {
  const xi = planesA + 8 * n * i;
  const xj = planesA + 8 * n * j;
  const yi = planesB + 8 * n * i;
  const yj = planesB + 8 * n * j;
  for (let p: usize = 0; p < n; p++) {
    const o = 8 * p;
    if (load<f64>(xi + o) != load<f64>(xj + o) || load<f64>(yi + o) != load<f64>(yj + o)) return false;
  }
  return true;
}

/**
 * Composites the two images `prepare` placed over the background and scores them: r, g, b and luma SSIM (only
 * when `withSsim` is non-zero, else 0) and the RGB mean squared error, as five f64 at the returned pointer.
 */
export function compare(w: i32, h: i32, bgR: f64, bgG: f64, bgB: f64, withSsim: i32): usize {
  const n = <usize>w * <usize>h;
  composite(imageA, planesA, n, bgR, bgG, bgB);
  composite(imageB, planesB, n, bgR, bgG, bgB);
  let r: f64 = 0;
  let g: f64 = 0;
  let b: f64 = 0;
  let luma: f64 = 0;
  if (withSsim != 0) {
    r = ssimPlane(planesA, planesB, w, h);
    // grey images (word marks, mono traces) have three equal channels: score one, reuse it for the others
    g = samePlanes(0, 1, n) ? r : ssimPlane(planesA + 8 * n, planesB + 8 * n, w, h);
    b = samePlanes(0, 2, n)
      ? r
      : samePlanes(1, 2, n)
        ? g
        : ssimPlane(planesA + 16 * n, planesB + 16 * n, w, h);
    luma = ssimPlane(planesA + 24 * n, planesB + 24 * n, w, h);
  }
  let se: f64 = 0;
  for (let p: usize = 0; p < 3 * n; p++) {
    const d = load<f64>(planesA + 8 * p) - load<f64>(planesB + 8 * p);
    se += d * d;
  }
  store<f64>(RESULT, r);
  store<f64>(RESULT, g, 8);
  store<f64>(RESULT, b, 16);
  store<f64>(RESULT, luma, 24);
  store<f64>(RESULT, se / <f64>(3 * n), 32);
  return RESULT;
}
