import { describe, expect, it } from 'vitest';
import { mergeSmallRegions, quantizeImage, TRANSPARENT } from './quantize';
import { renderRgba } from '@/test/fixtures/images';

describe('quantizeImage', () => {
  it('keeps anti-aliasing out of the palette: a smooth disc on white gives exactly two colours', async () => {
    const img = await renderRgba(
      '<rect width="100%" height="100%" fill="#fff"/><circle cx="40" cy="40" r="27" fill="#123"/>',
      80,
      80,
    );
    const q = quantizeImage(img, { maxColors: 16 });
    expect(q.palette).toEqual([
      [255, 255, 255],
      [0x11, 0x22, 0x33],
    ]);
  });

  it('finds colours that are never flat: thin noisy strokes still get their own colour', () => {
    const width = 64;
    const height = 64;
    const data = new Uint8Array(width * height * 4);
    let seed = 7;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return ((seed >> 16) % 41) - 20;
    };
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const stroke = x % 8 === 0; // 1 px red strokes, never flat, spread over many histogram bins
        const base = stroke ? [200, 40, 40] : [250, 250, 250];
        const jitter = stroke ? noise : () => 0;
        const o = (y * width + x) * 4;
        for (let c = 0; c < 3; c++) data[o + c] = Math.max(0, Math.min(255, base[c] + jitter()));
        data[o + 3] = 255;
      }
    }
    const q = quantizeImage({ width, height, data }, { maxColors: 16 });
    const reddish = q.palette.filter(([r, g, b]) => r > 150 && g < 100 && b < 100);
    expect(reddish.length).toBeGreaterThan(0);
    const strokeLabel = q.labels[0];
    expect(q.palette[strokeLabel][0]).toBeGreaterThan(150);
    expect(q.palette[strokeLabel][1]).toBeLessThan(100);
  });

  it('labels uncovered pixels transparent and never gives them a colour', async () => {
    const img = await renderRgba('<rect x="8" y="8" width="16" height="16" fill="#0a0"/>', 32, 32);
    const q = quantizeImage(img, { maxColors: 8 });
    expect(q.palette).toEqual([[0, 0xaa, 0]]);
    expect(q.labels[0]).toBe(TRANSPARENT);
    expect(q.labels[16 * 32 + 16]).toBe(0);
  });
});

describe('mergeSmallRegions', () => {
  it('merges a speck into the colour around it', async () => {
    const img = await renderRgba(
      '<rect width="100%" height="100%" fill="#fff"/><rect x="10" y="10" width="2" height="2" fill="#f00"/>',
      32,
      32,
    );
    const q = mergeSmallRegions(quantizeImage(img, { maxColors: 8 }), 32, 32, 5);
    expect(q.palette).toEqual([[255, 255, 255]]);
    expect(q.counts).toEqual([32 * 32]);
  });
});
