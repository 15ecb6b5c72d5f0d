import { describe, expect, it } from 'vitest';
import { compareImages, renderSvg } from '@/lib/quality';
import type { RgbaImage } from '@/lib/quality/types';
import { renderPng, renderRgba } from '@/test/fixtures/images';
import { convertImage } from '../convert-image';
import { withDefaults } from '../params';
import { quantizeForColor } from '../trace-layers';
import { findTranslucentRegions } from './find-translucent';

/** A blue card with a 35% black drop shadow, over transparency. */
const SHADOW = `<rect x="30" y="34" width="80" height="80" rx="10" fill="#000" fill-opacity=".35"/>
<rect x="20" y="20" width="80" height="80" rx="10" fill="#2a6bd6"/>`;

/** A 60% green glow (a pane of glass) beside an opaque red disc, over transparency. */
const GLASS = `<rect x="8" y="8" width="64" height="112" fill="#30c060" fill-opacity=".6"/>
<circle cx="96" cy="64" r="24" fill="#d03020"/>`;

const alphaAt = (img: RgbaImage, x: number, y: number) => img.data[(y * img.width + x) * 4 + 3];

/** Pixels whose alpha is fully inside one flat area of the source (their 5x5 neighbourhood has one alpha). */
function flatAlphaPixels(src: RgbaImage): [number, number][] {
  const out: [number, number][] = [];
  for (let y = 2; y < src.height - 2; y++) {
    for (let x = 2; x < src.width - 2; x++) {
      const a = alphaAt(src, x, y);
      let flat = true;
      for (let dy = -2; dy <= 2 && flat; dy++)
        for (let dx = -2; dx <= 2 && flat; dx++) flat = alphaAt(src, x + dx, y + dy) === a;
      if (flat) out.push([x, y]);
    }
  }
  return out;
}

describe('translucent fills', () => {
  it.each([
    ['a drop shadow', SHADOW, 0.35],
    ['a glass pane', GLASS, 0.6],
  ])(
    'trace %s as one layer with fill-opacity whose alpha matches the source',
    async (_name, body, opacity) => {
      const png = await renderPng(body, 128, 128);
      const src = await renderRgba(body, 128, 128);
      const on = await convertImage(png, { mode: 'color' });
      const off = await convertImage(png, { mode: 'color', params: { translucency: false } });
      const layers = [...on.svg.matchAll(/fill-opacity="([\d.]+)"/g)].map((m) => Number(m[1]));
      expect(layers).toHaveLength(1);
      expect(Math.abs(layers[0] - opacity)).toBeLessThan(0.01);
      expect(on.paths).toBe(2);

      // every pixel inside a flat-alpha area of the source renders with its alpha (within 4 of 255)
      const out = renderSvg(on.svg, 128, 128);
      const pixels = flatAlphaPixels(src);
      const worst = Math.max(...pixels.map(([x, y]) => Math.abs(alphaAt(out, x, y) - alphaAt(src, x, y))));
      expect(worst).toBeLessThanOrEqual(4);
      const offOut = renderSvg(off.svg, 128, 128);
      const offWorst = Math.max(
        ...pixels.map(([x, y]) => Math.abs(alphaAt(offOut, x, y) - alphaAt(src, x, y))),
      );
      expect(offWorst).toBeGreaterThan(80);
      // ... and the image over white is closer than painting it opaque or dropping it
      expect(compareImages(out, src).ssim).toBeGreaterThan(compareImages(offOut, src).ssim + 0.05);
    },
  );

  it('finds nothing in an opaque image or in anti-aliased edges over transparency', async () => {
    for (const body of [
      '<rect width="128" height="128" fill="#fff"/><circle cx="64" cy="64" r="40" fill="#2a6bd6"/>',
      '<circle cx="64" cy="64" r="40" fill="#2a6bd6"/><path d="M10 120L120 10" stroke="#000" stroke-width="1.3"/>',
    ]) {
      const img = await renderRgba(body, 128, 128);
      const q = quantizeForColor(img, withDefaults('color'));
      const found = findTranslucentRegions(q, img);
      expect(found.paints.size).toBe(0);
      expect(found.quantized).toBe(q);
    }
  });
});
