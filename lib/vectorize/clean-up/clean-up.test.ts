import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureQuality } from '@/lib/quality';
import type { RgbaImage } from '@/lib/quality/types';
import { createRandom } from '@/scripts/dataset/random';
import { renderPng } from '@/test/fixtures/images';
import { convertImage } from '../convert-image';
import { decodeImage } from '../decode-image';
import { bilateralFilter, cleanUp, detectDefects, snapEdges } from './index';

const LIMITS = { maxBytes: 1e8, maxPixels: 1e8 };
/** A flat three-colour logo with a thin stroke, as a 256 px and a 64 px rendering of the same drawing. */
const LOGO = `<rect width="256" height="256" fill="#fff"/><circle cx="110" cy="120" r="80" fill="#2a3f8f"/>
  <path d="M120 40 L230 220 L60 220 Z" fill="#e8701a"/><rect x="40" y="150" width="180" height="10" fill="#ffffff"/>
  <circle cx="150" cy="170" r="22" fill="#1a9a4a"/>`;

let clean: RgbaImage;
let cleanPng: Buffer;
const degraded: Record<string, Buffer> = {};

async function raw(png: Buffer): Promise<RgbaImage> {
  return decodeImage(png, LIMITS);
}

beforeAll(async () => {
  cleanPng = await renderPng(LOGO, 256, 256);
  clean = await raw(cleanPng);
  degraded.jpeg50 = await sharp(cleanPng).flatten({ background: '#fff' }).jpeg({ quality: 50 }).toBuffer();
  degraded.blur = await sharp(cleanPng).blur(1.5).png().toBuffer();
  const small = await sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 256 256">${LOGO}</svg>`,
    ),
  )
    .png()
    .toBuffer();
  degraded.upscale4x = await sharp(small).resize(256, 256, { kernel: 'cubic' }).png().toBuffer();
  degraded.nearest4x = await sharp(small).resize(256, 256, { kernel: 'nearest' }).png().toBuffer();
  const rand = createRandom(7);
  const noisy = new Uint8Array(clean.data);
  for (let i = 0; i < noisy.length; i++) {
    if (i % 4 === 3) continue;
    const g = Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
    noisy[i] = Math.max(0, Math.min(255, Math.round(noisy[i] + 10 * g)));
  }
  degraded.noise = await sharp(Buffer.from(noisy), { raw: { width: 256, height: 256, channels: 4 } })
    .png()
    .toBuffer();
});

describe('detectDefects', () => {
  it('finds nothing wrong with clean anti-aliased art, which passes through untouched', () => {
    const d = detectDefects(clean);
    expect(d.noisyShare).toBeLessThan(0.02);
    expect(d.edgeWidth).toBeGreaterThan(1);
    expect(d.edgeWidth).toBeLessThan(2.5);
    expect(d.nearestFactor).toBe(1);
    const r = cleanUp(clean);
    expect(r.steps).toEqual([]);
    expect(r.image).toBe(clean);
  });

  it('tells JPEG, noise, blur and a smooth 4x upscale apart, and spots a nearest-neighbour upscale', async () => {
    const jpeg = detectDefects(await raw(degraded.jpeg50));
    expect(jpeg.blockiness).toBeGreaterThan(1.2);
    expect(jpeg.noisyShare).toBeGreaterThan(0.02);
    expect(detectDefects(await raw(degraded.noise)).noisyShare).toBeGreaterThan(0.2);
    expect(detectDefects(await raw(degraded.blur)).edgeWidth).toBeGreaterThan(3);
    expect(detectDefects(await raw(degraded.upscale4x)).edgeWidth).toBeGreaterThan(3);
    expect(detectDefects(await raw(degraded.nearest4x)).nearestFactor).toBe(4);
  });

  it('picks the clean-up for each', async () => {
    const jpeg = await raw(degraded.jpeg50);
    expect(cleanUp(jpeg, { fromJpeg: true }).steps).toEqual(['deblock']);
    expect(cleanUp(await raw(degraded.noise)).steps).toEqual(['denoise']);
    expect(cleanUp(await raw(degraded.blur)).steps).toEqual(['snap-edges']);
    expect(cleanUp(await raw(degraded.upscale4x)).steps).toContain('snap-edges');
    expect(cleanUp(jpeg, { mode: 'off' }).image).toBe(jpeg);
  });
});

describe('filters', () => {
  it('the bilateral filter flattens grain but keeps a hard edge hard', () => {
    const w = 32;
    const img: RgbaImage = { width: w, height: w, data: new Uint8Array(w * w * 4) };
    const rand = createRandom(3);
    for (let i = 0; i < w * w; i++) {
      const base = i % w < 16 ? 40 : 220;
      for (let c = 0; c < 3; c++) img.data[i * 4 + c] = base + Math.round((rand() - 0.5) * 16);
      img.data[i * 4 + 3] = 255;
    }
    const out = bilateralFilter(img, { rangeSigma: 24 });
    const spread = (d: Uint8Array, x0: number, x1: number) => {
      let lo = 255;
      let hi = 0;
      for (let y = 2; y < w - 2; y++)
        for (let x = x0; x < x1; x++) {
          lo = Math.min(lo, d[(y * w + x) * 4]);
          hi = Math.max(hi, d[(y * w + x) * 4]);
        }
      return hi - lo;
    };
    expect(spread(out.data, 2, 14)).toBeLessThan(spread(img.data, 2, 14) / 2);
    // the columns either side of the edge stay on their own side
    for (let y = 0; y < w; y++) {
      expect(out.data[(y * w + 15) * 4]).toBeLessThan(70);
      expect(out.data[(y * w + 16) * 4]).toBeGreaterThan(190);
    }
  });

  it('the edge snap turns a ramp into one step and keeps a thin line of a third colour', () => {
    const w = 40;
    const img: RgbaImage = { width: w, height: 8, data: new Uint8Array(w * 8 * 4) };
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < w; x++) {
        const o = (y * w + x) * 4;
        // white -> blue ramp over x = 8..15, then blue, then a 1 px red line at x = 30
        const t = Math.max(0, Math.min(1, (x - 8) / 7));
        const rgb = x === 30 ? [220, 20, 20] : [255 - 225 * t, 255 - 195 * t, 255 - 55 * t];
        img.data.set([...rgb.map(Math.round), 255], o);
      }
    const out = snapEdges(img, { radius: 4 });
    const colours = new Set<string>();
    for (let x = 0; x < w; x++) colours.add(Array.from(out.data.subarray(x * 4, x * 4 + 3)).join(','));
    expect([...colours].sort()).toEqual(['220,20,20', '255,255,255', '30,60,200'].sort());
    expect(Array.from(out.data.subarray(30 * 4, 30 * 4 + 3))).toEqual([220, 20, 20]);
  });
});

describe('conversions of degraded uploads, scored against the clean original', () => {
  const fidelity = (q: { ssim: number; gmsd: number }) => q.ssim - 0.25 * q.gmsd;
  for (const kind of ['jpeg50', 'noise', 'blur']) {
    it(`${kind}: cleaning up scores better at about the same size`, async () => {
      const off = await convertImage(degraded[kind], { mode: 'auto', params: { cleanup: 'off' } });
      const auto = await convertImage(degraded[kind], { mode: 'auto' });
      expect(fidelity(measureQuality(auto.svg, clean))).toBeGreaterThan(
        fidelity(measureQuality(off.svg, clean)),
      );
      expect(auto.bytes).toBeLessThanOrEqual(off.bytes * 1.15);
    });
  }

  it('upscale4x: the edge snap costs this clean-shaped logo little (it gains on the bench set)', async () => {
    // on the bench's degraded set the snap raises RGB-SSIM of 4x upscales by about 0.014; on this logo, whose
    // cubic upscale is already traced cleanly, it loses a little (overshoot rims become part of the snap)
    const off = await convertImage(degraded.upscale4x, { mode: 'auto', params: { cleanup: 'off' } });
    const auto = await convertImage(degraded.upscale4x, { mode: 'auto' });
    expect(fidelity(measureQuality(auto.svg, clean))).toBeGreaterThan(
      fidelity(measureQuality(off.svg, clean)) - 0.01,
    );
  });

  it('leaves a clean upload exactly as it was', async () => {
    const off = await convertImage(cleanPng, { mode: 'auto', params: { cleanup: 'off' } });
    const auto = await convertImage(cleanPng, { mode: 'auto' });
    expect(auto.svg).toBe(off.svg);
  });
});
