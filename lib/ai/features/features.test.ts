import { describe, expect, it } from 'vitest';
import { extractFeatures, FEATURE_COUNT, FEATURE_NAMES } from './index';
import {
  makeFlatSquare,
  makeGradient,
  makeNoise,
  makeStrokes,
  makeTransparentSquare,
} from '@/scripts/dataset/synthetic-images';

const f = (img: Parameters<typeof extractFeatures>[0]) => {
  const v = extractFeatures(img);
  return Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, v[i]])) as Record<
    (typeof FEATURE_NAMES)[number],
    number
  >;
};

describe('extractFeatures', () => {
  it('returns a finite vector of the declared length', () => {
    for (const img of [
      makeFlatSquare(),
      makeGradient(),
      makeNoise(),
      makeStrokes(),
      makeTransparentSquare(),
    ]) {
      const v = extractFeatures(img);
      expect(v.length).toBe(FEATURE_COUNT);
      for (const x of v) expect(Number.isFinite(x)).toBe(true);
    }
  });

  it('is deterministic', () => {
    expect(Array.from(extractFeatures(makeGradient()))).toEqual(Array.from(extractFeatures(makeGradient())));
  });

  it('sees a flat square as two colours, mostly flat, one component', () => {
    const s = f(makeFlatSquare());
    expect(s.log_colors_merged).toBeCloseTo(Math.log2(3) / 12, 5);
    expect(s.top2_share).toBeCloseTo(1, 5);
    expect(s.flat_share).toBeGreaterThan(0.95);
    expect(s.foreground_share).toBeCloseTo(0.25, 2);
    expect(s.log_components).toBeCloseTo(Math.log2(2) / 10, 5);
    expect(s.mean_fill_ratio).toBeCloseTo(1, 5);
  });

  it('sees a gradient as many colours with gentle, connected steps', () => {
    const g = f(makeGradient());
    const s = f(makeFlatSquare());
    expect(g.log_colors_fine).toBeGreaterThan(s.log_colors_fine + 0.2);
    expect(g.gentle_share).toBeGreaterThan(0.5);
    expect(g.step_run_smoothness).toBeGreaterThan(0.5);
    expect(g.edge_density).toBeLessThan(0.01);
    expect(g.dominant_share).toBeLessThan(0.1);
  });

  it('sees noise as high entropy with strong edges everywhere', () => {
    const n = f(makeNoise());
    expect(n.color_entropy).toBeGreaterThan(0.9);
    expect(n.edge_density).toBeGreaterThan(0.9);
    expect(n.flat_share).toBeLessThan(0.01);
    expect(n.tail_share).toBeGreaterThan(0.5);
  });

  it('sees strokes as many aligned, similar-height, thin components', () => {
    const t = f(makeStrokes());
    const s = f(makeFlatSquare());
    expect(t.log_components).toBeGreaterThan(Math.log2(1 + 8) / 10);
    expect(t.row_alignment).toBeCloseTo(1, 5);
    expect(t.component_height_cv).toBeLessThan(0.05);
    expect(t.stroke_width).toBeLessThan(s.stroke_width / 2);
    expect(t.aspect).toBeGreaterThan(0);
  });

  it('counts a ring as one component around one hole, and its two colours as three regions', () => {
    const size = 128;
    const ring = makeFlatSquare(size);
    // punch a white 32x32 hole into the 64x64 red square
    for (let y = 48; y < 80; y++)
      for (let x = 48; x < 80; x++) ring.data.set([255, 255, 255, 255], (y * size + x) * 4);
    const r = f(ring);
    expect(r.log_components).toBeCloseTo(Math.log2(2) / 10, 5);
    expect(r.holes_share).toBeCloseTo((32 * 32) / (size * size), 5);
    expect(r.largest_component_share).toBeCloseTo((64 * 64 - 32 * 32) / (size * size), 5);
    expect(r.log_regions).toBeCloseTo(Math.log2(1 + 3) / 10, 5);
  });

  it('measures transparency', () => {
    const t = f(makeTransparentSquare());
    expect(t.transparent_share).toBeCloseTo(0.75, 2);
    expect(t.foreground_share).toBeCloseTo(0.25, 2);
    expect(f(makeFlatSquare()).transparent_share).toBe(0);
  });

  it('downsamples large images to the same features as their small version', () => {
    const small = f(makeFlatSquare(256));
    const big = f(makeFlatSquare(1024));
    expect(big.foreground_share).toBeCloseTo(small.foreground_share, 2);
    expect(big.flat_share).toBeCloseTo(small.flat_share, 2);
  });

  it('rejects an image whose buffer is too short', () => {
    expect(() => extractFeatures({ data: new Uint8Array(10), width: 4, height: 4 })).toThrow(RangeError);
  });
});
