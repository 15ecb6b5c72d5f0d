import { describe, expect, it } from 'vitest';
import { compareImages, renderSvg } from '@/lib/quality';
import { renderRgba } from '@/test/fixtures/images';
import { withDefaults } from './params';
import { buildSvg } from './svg/build-svg';
import { MAX_SUBPIXEL_PIXELS, traceColorLayers, traceMonoLayer, upsampleMask } from './trace-layers';

/** Count of set samples in each row of a mask. */
function rowCounts(mask: Uint8Array, width: number): number[] {
  const rows: number[] = [];
  for (let y = 0; y * width < mask.length; y++)
    rows.push(mask.slice(y * width, (y + 1) * width).reduce((a, b) => a + b, 0));
  return rows;
}

describe('upsampleMask', () => {
  it('keeps a hard edge on the pixel boundary at every factor', () => {
    const values = Float32Array.from([1, 1, 0, 0, 1, 1, 0, 0]);
    for (const k of [2, 3, 4]) {
      const mask = upsampleMask(values, 4, 2, k, 0.5);
      expect(mask.length).toBe(4 * k * 2 * k);
      expect(rowCounts(mask, 4 * k)).toEqual(new Array(2 * k).fill(2 * k));
    }
  });

  it('moves the edge into a half-covered pixel: coverage 0.5 at its centre puts the edge there', () => {
    const mask = upsampleMask(Float32Array.from([1, 1, 0.5, 0, 0]), 5, 1, 4, 0.5);
    // fine samples 0..9 of each row have centres left of x = 2.5, the source pixel's centre
    expect(rowCounts(mask, 20)).toEqual([10, 10, 10, 10]);
    expect(Array.from(mask.slice(0, 20))).toEqual([...new Array(10).fill(1), ...new Array(10).fill(0)]);
  });

  it('handles a one-pixel window', () => {
    expect(Array.from(upsampleMask(Float32Array.from([0.8]), 1, 1, 2, 0.5))).toEqual([1, 1, 1, 1]);
    expect(Array.from(upsampleMask(Float32Array.from([0.2]), 1, 1, 2, 0.5))).toEqual([0, 0, 0, 0]);
  });
});

/** A dark bar on white whose right edge lies half way through pixel column 20. */
const bar = () =>
  renderRgba(
    '<rect width="100%" height="100%" fill="#fff"/><rect x="6" y="6" width="14.5" height="20" fill="#222"/>',
    32,
    32,
  );

describe('sub-pixel tracing', () => {
  it('mono: places an anti-aliased edge inside the pixel instead of on its boundary', async () => {
    const img = await bar();
    // the source's column 20 is half ink (#222), half white
    const sourceEdge = img.data[(16 * 32 + 20) * 4];
    expect(sourceEdge).toBeGreaterThan(100);
    expect(sourceEdge).toBeLessThan(180);
    // the rendered layer's coverage (alpha) of that column, and the SSIM of the whole image
    const run = (subpixel: number) => {
      const traced = traceMonoLayer(img, withDefaults('mono', { subpixel, precision: 2 }));
      const out = renderSvg(buildSvg(32, 32, traced.layers), 32, 32);
      return { coverage: out.data[(16 * 32 + 20) * 4 + 3] / 255, ssim: compareImages(out, img).ssim };
    };
    const grid = run(1);
    expect([0, 1]).toContain(grid.coverage);
    for (const k of [2, 3, 4]) {
      const fine = run(k);
      expect(fine.coverage, `subpixel ${k}`).toBeGreaterThan(0.1);
      expect(fine.coverage, `subpixel ${k}`).toBeLessThan(0.9);
      expect(fine.ssim, `subpixel ${k}`).toBeGreaterThan(grid.ssim + 0.02);
    }
  });

  it('colour: keeps the 1x palette and raises SSIM on anti-aliased shapes, on white and on transparency', async () => {
    for (const background of ['<rect width="100%" height="100%" fill="#fff"/>', '']) {
      const img = await renderRgba(
        `${background}<circle cx="30" cy="30" r="19.3" fill="#1d3557"/><rect x="21.5" y="17.25" width="25" height="9.5" fill="#e63946"/>`,
        64,
        64,
      );
      const run = (subpixel: number) => {
        // traced outlines, not exact primitives (which need no sub-pixel edges)
        const traced = traceColorLayers(
          img,
          withDefaults('color', { subpixel, precision: 2, primitives: false }),
        );
        const svg = buildSvg(64, 64, traced.layers);
        return { traced, ssim: compareImages(renderSvg(svg, 64, 64), img).ssim };
      };
      const grid = run(1);
      const fine = run(3);
      expect(fine.traced.layers.map((l) => l.color)).toEqual(grid.traced.layers.map((l) => l.color));
      expect(fine.ssim).toBeGreaterThan(grid.ssim);
      // and the result is deterministic
      expect(run(3).traced.layers).toEqual(fine.traced.layers);
    }
  });

  it('caps the fine grid of large images at MAX_SUBPIXEL_PIXELS', async () => {
    const img = await renderRgba(
      '<rect width="100%" height="100%" fill="#fff"/><circle cx="350" cy="350" r="201.3"/>',
      700,
      700,
    );
    // 700 x 700 x 2^2 fits, x 3^2 does not
    expect(700 * 700 * 4).toBeLessThanOrEqual(MAX_SUBPIXEL_PIXELS);
    expect(700 * 700 * 9).toBeGreaterThan(MAX_SUBPIXEL_PIXELS);
    const layers = (subpixel: number) => traceMonoLayer(img, withDefaults('mono', { subpixel })).layers;
    expect(layers(4)).toEqual(layers(2));
    expect(layers(2)).not.toEqual(layers(1));
  });

  it('leaves images under 8 px on the pixel grid: they stay exact squares', async () => {
    const img = await renderRgba('<rect x="2" y="2" width="3" height="3" fill="#c00"/>', 7, 7);
    const a = traceColorLayers(img, withDefaults('color', { subpixel: 4 }));
    const b = traceColorLayers(img, withDefaults('color', { subpixel: 1 }));
    expect(a.layers).toEqual(b.layers);
  });
});
