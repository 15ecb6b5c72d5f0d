import { describe, expect, it } from 'vitest';
import { createRandom } from '@/scripts/dataset/random';
import { compareImages, measurePsnr, measureSsim } from './ssim';
import type { RgbaImage } from './types';

type Px = [number, number, number, number];

function makeImage(w: number, h: number, fn: (x: number, y: number) => Px): RgbaImage {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++)
      data.set(
        fn(x, y).map((v) => Math.max(0, Math.min(255, Math.round(v)))),
        (y * w + x) * 4,
      );
  }
  return { data, width: w, height: h };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/** A colourful "logo": orange disc, blue bar, green triangle on white. */
function logo(w = 64, h = 64): RgbaImage {
  return makeImage(w, h, (x, y) => {
    if ((x - 20) ** 2 + (y - 22) ** 2 < 14 ** 2) return [240, 130, 20, 255];
    if (x > 38 && x < 58 && y > 8 && y < 56) return [30, 60, 200, 255];
    if (y > 44 && x > 6 && x < 36 && y - 44 > Math.abs(x - 21) - 6) return [20, 170, 60, 255];
    return [255, 255, 255, 255];
  });
}

function addNoise(img: RgbaImage, sigma: number, seed: number): RgbaImage {
  const rand = createRandom(seed);
  const data = new Uint8Array(img.data);
  for (let i = 0; i < data.length; i++) {
    if (i % 4 === 3) continue;
    data[i] = Math.max(0, Math.min(255, Math.round(data[i] + sigma * gaussian(rand))));
  }
  return { ...img, data };
}

function boxBlur(img: RgbaImage, r: number): RgbaImage {
  const { width: w, height: h } = img;
  return makeImage(w, h, (x, y) => {
    const acc: Px = [0, 0, 0, 0];
    let n = 0;
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        const xx = Math.min(w - 1, Math.max(0, x + dx));
        const yy = Math.min(h - 1, Math.max(0, y + dy));
        for (let c = 0; c < 4; c++) acc[c] += img.data[(yy * w + xx) * 4 + c];
        n++;
      }
    }
    return acc.map((v) => v / n) as Px;
  });
}

function shift(img: RgbaImage, dx: number): RgbaImage {
  const { width: w, height: h } = img;
  return makeImage(w, h, (x, y) => {
    const sx = Math.min(w - 1, Math.max(0, x - dx));
    return Array.from(img.data.subarray((y * w + sx) * 4, (y * w + sx) * 4 + 4)) as Px;
  });
}

/** Textbook SSIM of one window: Gaussian-weighted means, variances and covariance, two-pass form. */
function textbookWindowSsim(a: number[][], b: number[][]): number {
  const n = a.length;
  const r = (n - 1) / 2;
  const w: number[][] = [];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    w.push([]);
    for (let j = 0; j < n; j++) {
      const v = Math.exp(-((i - r) ** 2 + (j - r) ** 2) / (2 * 1.5 * 1.5));
      w[i].push(v);
      sum += v;
    }
  }
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      mx += (w[i][j] / sum) * a[i][j];
      my += (w[i][j] / sum) * b[i][j];
    }
  let vx = 0;
  let vy = 0;
  let cxy = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const k = w[i][j] / sum;
      vx += k * (a[i][j] - mx) ** 2;
      vy += k * (b[i][j] - my) ** 2;
      cxy += k * (a[i][j] - mx) * (b[i][j] - my);
    }
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  return ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
}

describe('measureSsim', () => {
  it('scores identical images exactly 1 and PSNR Infinity', () => {
    const a = logo();
    const b = { ...a, data: new Uint8Array(a.data) };
    const s = measureSsim(a, b);
    expect(s).toEqual({ ssim: 1, ssimLuma: 1, r: 1, g: 1, b: 1 });
    expect(measurePsnr(a, b)).toBe(Infinity);
    const noisy = addNoise(a, 30, 1);
    expect(measureSsim(noisy, noisy).ssim).toBe(1);
  });

  it('matches the textbook formula on an 11x11 image (a single window)', () => {
    const rand = createRandom(7);
    const pixA = makeImage(11, 11, () => [rand() * 255, rand() * 255, rand() * 255, 255]);
    const pixB = makeImage(11, 11, () => [rand() * 255, rand() * 255, rand() * 255, 255]);
    const channel = (img: RgbaImage, c: number) =>
      Array.from({ length: 11 }, (_, y) =>
        Array.from({ length: 11 }, (_, x) => img.data[(y * 11 + x) * 4 + c]),
      );
    const luma = (img: RgbaImage) =>
      Array.from({ length: 11 }, (_, y) =>
        Array.from({ length: 11 }, (_, x) => {
          const p = (y * 11 + x) * 4;
          return 0.299 * img.data[p] + 0.587 * img.data[p + 1] + 0.114 * img.data[p + 2];
        }),
      );
    const s = measureSsim(pixA, pixB);
    const r = textbookWindowSsim(channel(pixA, 0), channel(pixB, 0));
    const g = textbookWindowSsim(channel(pixA, 1), channel(pixB, 1));
    const b = textbookWindowSsim(channel(pixA, 2), channel(pixB, 2));
    expect(s.r).toBeCloseTo(r, 10);
    expect(s.g).toBeCloseTo(g, 10);
    expect(s.b).toBeCloseTo(b, 10);
    expect(s.ssim).toBeCloseTo((r + g + b) / 3, 10);
    expect(s.ssimLuma).toBeCloseTo(textbookWindowSsim(luma(pixA), luma(pixB)), 10);
  });

  // 26 px: windows pair up exactly for the two-lane kernel; 27 px leaves a last window computed alone
  it.each([26, 27])(
    'matches the textbook formula window by window where the images differ only in places (%i px wide)',
    (w) => {
      // Identical windows are skipped by the implementation; the naive mean over every window must agree.
      const rand = createRandom(5);
      const a = makeImage(w, 24, () => [rand() * 255, rand() * 255, rand() * 255, 255]);
      const b = { ...a, data: new Uint8Array(a.data) };
      for (const [x, y] of [
        [3, 4],
        [20, 18],
        [21, 18],
      ])
        b.data[(y * w + x) * 4 + 1] ^= 0x55;
      const green = (img: RgbaImage) =>
        Array.from({ length: 24 }, (_, y) =>
          Array.from({ length: w }, (_, x) => img.data[(y * w + x) * 4 + 1]),
        );
      const ga = green(a);
      const gb = green(b);
      let sum = 0;
      let count = 0;
      for (let y = 0; y + 11 <= 24; y++) {
        for (let x = 0; x + 11 <= w; x++) {
          const win = (g: number[][]) => g.slice(y, y + 11).map((row) => row.slice(x, x + 11));
          sum += textbookWindowSsim(win(ga), win(gb));
          count++;
        }
      }
      const s = measureSsim(a, b);
      expect(s.g).toBeCloseTo(sum / count, 10);
      expect(s.g).toBeLessThan(1);
      expect(s.r).toBe(1);
      expect(s.b).toBe(1);
    },
  );

  it('matches the closed form on constant images, where only the means differ', () => {
    const a = makeImage(40, 30, () => [200, 100, 50, 255]);
    const b = makeImage(40, 30, () => [180, 100, 90, 255]);
    const c1 = (0.01 * 255) ** 2;
    const constant = (x: number, y: number) => (2 * x * y + c1) / (x * x + y * y + c1);
    const s = measureSsim(a, b);
    expect(s.r).toBeCloseTo(constant(200, 180), 12);
    expect(s.g).toBe(1);
    expect(s.b).toBeCloseTo(constant(50, 90), 12);
    const ya = 0.299 * 200 + 0.587 * 100 + 0.114 * 50;
    const yb = 0.299 * 180 + 0.587 * 100 + 0.114 * 90;
    expect(s.ssimLuma).toBeCloseTo(constant(ya, yb), 12);
  });

  it('scores more noise lower, monotonically', () => {
    const a = logo();
    const scores = [2, 8, 20, 50].map((sigma) => measureSsim(a, addNoise(a, sigma, 3)));
    for (let i = 1; i < scores.length; i++) {
      expect(scores[i].ssim).toBeLessThan(scores[i - 1].ssim);
      expect(scores[i].ssimLuma).toBeLessThan(scores[i - 1].ssimLuma);
    }
    expect(scores[0].ssim).toBeLessThan(1);
    const psnrs = [2, 8, 20, 50].map((sigma) => measurePsnr(a, addNoise(a, sigma, 3)));
    for (let i = 1; i < psnrs.length; i++) expect(psnrs[i]).toBeLessThan(psnrs[i - 1]);
  });

  it('scores blur and shifts lower, more of either lower still', () => {
    const a = logo();
    const blur1 = measureSsim(a, boxBlur(a, 1)).ssim;
    const blur3 = measureSsim(a, boxBlur(a, 3)).ssim;
    expect(blur1).toBeLessThan(1);
    expect(blur3).toBeLessThan(blur1);
    const shift1 = measureSsim(a, shift(a, 1)).ssim;
    const shift4 = measureSsim(a, shift(a, 4)).ssim;
    expect(shift1).toBeLessThan(1);
    expect(shift4).toBeLessThan(shift1);
  });

  it('sees a colour swap that luminance alone hides', () => {
    // Red and this green have (nearly) equal BT.601 luminance: 76.2 vs 76.3.
    const red = makeImage(48, 48, (x, y) =>
      x > 12 && x < 36 && y > 12 && y < 36 ? [255, 0, 0, 255] : [255, 255, 255, 255],
    );
    const green = makeImage(48, 48, (x, y) =>
      x > 12 && x < 36 && y > 12 && y < 36 ? [0, 130, 0, 255] : [255, 255, 255, 255],
    );
    const s = measureSsim(red, green);
    expect(s.ssimLuma).toBeGreaterThan(0.999);
    expect(s.ssim).toBeLessThan(0.9);
    expect(s.ssim).toBeLessThan(s.ssimLuma);
  });

  it('keeps luma SSIM high but drops RGB-SSIM for a greyscale copy', () => {
    const a = logo();
    const grey = makeImage(a.width, a.height, (x, y) => {
      const p = (y * a.width + x) * 4;
      const v = 0.299 * a.data[p] + 0.587 * a.data[p + 1] + 0.114 * a.data[p + 2];
      return [v, v, v, 255];
    });
    const s = measureSsim(a, grey);
    expect(s.ssimLuma).toBeGreaterThan(0.999);
    expect(s.ssim).toBeLessThan(0.95);
  });

  it('composites transparency over the background before comparing', () => {
    const rand = createRandom(11);
    // Fully transparent pixels carry arbitrary colour: over white they are white.
    const clear = makeImage(32, 32, () => [rand() * 255, rand() * 255, rand() * 255, 0]);
    const white = makeImage(32, 32, () => [255, 255, 255, 255]);
    expect(measureSsim(clear, white).ssim).toBe(1);
    expect(measurePsnr(clear, white)).toBe(Infinity);
    // Over black the same transparent image is black, far from white.
    expect(measureSsim(clear, white, [0, 0, 0]).ssim).toBeLessThan(0.1);
    // Half-transparent red over white is pink.
    const halfRed = makeImage(32, 32, () => [255, 0, 0, 128]);
    const pink = makeImage(32, 32, () => [255, 127, 127, 255]);
    expect(measurePsnr(halfRed, pink)).toBeGreaterThan(45);
  });

  it('gives the same result whatever was compared before (work buffers are reused)', () => {
    const a = addNoise(logo(40, 33), 10, 21);
    const b = addNoise(logo(40, 33), 10, 22);
    const first = compareImages(a, b);
    compareImages(logo(64, 64), boxBlur(logo(64, 64), 2));
    compareImages(
      makeImage(5, 4, () => [1, 2, 3, 255]),
      makeImage(5, 4, () => [9, 2, 3, 255]),
    );
    expect(compareImages(a, b)).toEqual(first);
  });

  it('refuses images of different sizes', () => {
    expect(() => measureSsim(logo(64, 64), logo(64, 63))).toThrow(/differ in size/);
  });

  it('scores images smaller than the window', () => {
    const a = makeImage(3, 3, () => [10, 20, 30, 255]);
    const b = makeImage(3, 3, (x) => [10 + x * 50, 20, 30, 255]);
    const r = compareImages(a, b);
    expect(r.ssim).toBeGreaterThan(0);
    expect(r.ssim).toBeLessThan(1);
    expect(compareImages(a, a).ssim).toBe(1);
    expect(
      measureSsim(
        makeImage(1, 1, () => [0, 0, 0, 255]),
        makeImage(1, 1, () => [0, 0, 0, 255]),
      ).ssim,
    ).toBe(1);
  });
});
