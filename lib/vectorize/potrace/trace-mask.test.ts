import { describe, expect, it } from 'vitest';
import { outlinesToPathData } from '../svg/path-data';
import { traceMask } from './trace-mask';

const opts = { turdSize: 0, alphaMax: 1, optTolerance: 0.2 };

describe('traceMask', () => {
  it('traces a mask touching every image edge as exactly the image rectangle', () => {
    // Regression: the package's bounds check wraps x === width to the next row unless we pad the bitmap.
    const outlines = traceMask(new Uint8Array(10 * 6).fill(1), 10, 6, { ...opts, alphaMax: 0 });
    expect(outlines).toHaveLength(1);
    expect(outlinesToPathData(outlines, 1)).toBe('m0 6h10v-6h-10z');
  });

  it('returns holes as separate outlines and honours the window offset', () => {
    const w = 12;
    const mask = new Uint8Array(w * w);
    for (let y = 2; y < 10; y++)
      for (let x = 2; x < 10; x++) mask[y * w + x] = x >= 5 && x < 7 && y >= 5 && y < 7 ? 0 : 1;
    const outlines = traceMask(mask, w, w, opts, { x: 100, y: 50 });
    expect(outlines).toHaveLength(2);
    const xs = outlines.flatMap((o) => o.segments.map((s) => s.end.x));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(102);
    expect(Math.max(...xs)).toBeLessThanOrEqual(110);
  });

  it('drops regions up to the speckle size', () => {
    const mask = new Uint8Array(8 * 8);
    mask[3 * 8 + 3] = 1;
    expect(traceMask(mask, 8, 8, { ...opts, turdSize: 1 })).toHaveLength(0);
    expect(traceMask(mask, 8, 8, opts)).toHaveLength(1);
  });
});
