import { describe, expect, it } from 'vitest';
import { measureQuality, renderSvg } from './index';

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
  <circle cx="12" cy="12" r="9" fill="#e4572e"/><rect x="18" y="4" width="10" height="24" fill="#1d3fbb"/>
</svg>`;

describe('renderSvg', () => {
  it('renders at exactly the requested size through the viewBox', () => {
    const img = renderSvg(LOGO, 96, 96);
    expect(img.width).toBe(96);
    expect(img.height).toBe(96);
    expect(img.data.length).toBe(96 * 96 * 4);
    // Centre of the blue bar, scaled x3.
    const p = (48 * 96 + 69) * 4;
    expect(Array.from(img.data.subarray(p, p + 4))).toEqual([0x1d, 0x3f, 0xbb, 255]);
  });

  it('keeps transparency and returns straight (un-premultiplied) colour', () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect x="2" width="2" height="4" fill="#ff8000" fill-opacity="0.5"/></svg>`;
    const img = renderSvg(svg, 8, 8);
    expect(img.data[3]).toBe(0); // left half untouched
    const p = (4 * 8 + 6) * 4;
    const [r, g, b, a] = Array.from(img.data.subarray(p, p + 4));
    expect(a).toBeGreaterThanOrEqual(127);
    expect(a).toBeLessThanOrEqual(128);
    expect(r).toBe(255);
    expect(Math.abs(g - 128)).toBeLessThanOrEqual(1);
    expect(b).toBe(0);
  });

  it('returns the requested size even when the aspect ratio rounds differently', () => {
    const img = renderSvg('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 30 20"/>', 31, 19);
    expect([img.width, img.height, img.data.length]).toEqual([31, 19, 31 * 19 * 4]);
  });

  it('rejects a bad size', () => {
    expect(() => renderSvg(LOGO, 0, 10)).toThrow(RangeError);
  });
});

describe('measureQuality', () => {
  it('scores the SVG against its own rendering 1, and an empty white SVG lower', () => {
    const reference = renderSvg(LOGO, 64, 64);
    const same = measureQuality(LOGO, reference);
    expect(same).toEqual({ ssim: 1, ssimLuma: 1, psnr: Infinity, gmsd: 0 });
    const empty = measureQuality('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"/>', reference);
    expect(empty.ssim).toBeLessThan(0.9);
    expect(empty.ssim).toBeGreaterThan(0);
    expect(empty.psnr).toBeLessThan(20);
    expect(empty.gmsd).toBeGreaterThan(0.1);
    // A near miss (slightly different blue) lands in between.
    const near = measureQuality(LOGO.replace('#1d3fbb', '#2347c0'), reference);
    expect(near.ssim).toBeLessThan(1);
    expect(near.ssim).toBeGreaterThan(empty.ssim);
  });
});
