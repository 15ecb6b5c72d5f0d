import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { gmsdOfLuma, measureGmsd } from './gmsd';
import { renderSvg } from './render-svg';
import type { RgbaImage } from './types';

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
  <circle cx="22" cy="24" r="14" fill="#f08214"/><rect x="38" y="8" width="20" height="48" fill="#1e3cc8"/>
  <path d="M6 58 L21 38 L36 58 Z" fill="#14aa3c"/></svg>`;

async function blurred(img: RgbaImage, sigma: number): Promise<RgbaImage> {
  const { width, height } = img;
  const data = await sharp(Buffer.from(img.data), { raw: { width, height, channels: 4 } })
    .blur(sigma)
    .raw()
    .toBuffer();
  return { width, height, data: new Uint8Array(data) };
}

describe('GMSD', () => {
  it('is 0 for identical images', () => {
    const img = renderSvg(LOGO, 128, 128);
    expect(measureGmsd(img, img)).toBe(0);
  });

  it('rises with blur, more blur scoring worse', async () => {
    const img = renderSvg(LOGO, 128, 128);
    const soft = measureGmsd(img, await blurred(img, 1));
    const softer = measureGmsd(img, await blurred(img, 3));
    expect(soft).toBeGreaterThan(0.01);
    expect(softer).toBeGreaterThan(soft * 1.5);
    // GMS lies in (0, 1], so its deviation can never exceed 0.5
    expect(softer).toBeLessThan(0.5);
  });

  it('matches the reference computation (MATLAB code of Xue et al., run in SciPy) on a small array', () => {
    // A 9x7 luminance ramp, a block of it inverted and its top row halved; the expected value comes from the
    // authors' GMSD.m translated line by line to scipy.signal.convolve2d (conv2 'same', zero padded, std2).
    const w = 9;
    const h = 7;
    const a = new Float64Array(w * h);
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++) a[i * w + j] = (i * 37 + j * 91 + i * j * 13) % 256;
    const b = Float64Array.from(a);
    for (let i = 2; i < 5; i++) for (let j = 3; j < 7; j++) b[i * w + j] = 255 - b[i * w + j];
    for (let j = 0; j < w; j++) b[j] *= 0.5;
    expect(gmsdOfLuma(a, b, w, h)).toBeCloseTo(0.04263120228994365, 12);
    expect(gmsdOfLuma(b, a, w, h)).toBeCloseTo(0.04263120228994365, 12);
  });

  it('sees a dropped inner edge that keeps the average colour', () => {
    // two stripes vs their average: the flat version has no inner edge at all
    const stripes = renderSvg(
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#fff"/>
      <rect x="16" y="16" width="16" height="32" fill="#c03020"/><rect x="32" y="16" width="16" height="32" fill="#2040c0"/></svg>`,
      64,
      64,
    );
    const flat = renderSvg(
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#fff"/>
      <rect x="16" y="16" width="32" height="32" fill="#703870"/></svg>`,
      64,
      64,
    );
    expect(measureGmsd(stripes, flat)).toBeGreaterThan(0.05);
  });

  it('composites over the background, so hidden colour under alpha 0 does not count', () => {
    const a: RgbaImage = { width: 8, height: 8, data: new Uint8Array(8 * 8 * 4) };
    const b: RgbaImage = { width: 8, height: 8, data: new Uint8Array(8 * 8 * 4).fill(255) };
    for (let i = 3; i < b.data.length; i += 4) b.data[i] = 0;
    expect(measureGmsd(a, b)).toBe(0);
  });

  it('refuses images of different sizes', () => {
    expect(() => measureGmsd(renderSvg(LOGO, 8, 8), renderSvg(LOGO, 9, 8))).toThrow(RangeError);
  });
});
