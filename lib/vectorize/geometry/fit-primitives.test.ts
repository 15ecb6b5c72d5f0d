import { describe, expect, it } from 'vitest';
import { compareImages, renderSvg } from '@/lib/quality';
import { renderPng, renderRgba } from '@/test/fixtures/images';
import { convertImage } from '../convert-image';
import { fitPrimitives } from './fit-primitives';

const WHITE = '<rect width="128" height="128" fill="#fff"/>';

async function convert(body: string, primitives = true) {
  const png = await renderPng(WHITE + body, 128, 128);
  const r = await convertImage(png, { mode: 'color', params: { primitives } });
  const ssim = compareImages(renderSvg(r.svg, 128, 128), await renderRgba(WHITE + body, 128, 128)).ssim;
  return { ...r, ssim };
}

/** Mask of the pixel centres inside a circle. */
function discMask(size: number, cx: number, cy: number, r: number): Uint8Array {
  const m = new Uint8Array(size * size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) m[y * size + x] = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) < r ? 1 : 0;
  return m;
}

describe('primitive fitting', () => {
  it('keeps small squares square: a grid of windows is never drawn as circles (night-with-stars)', async () => {
    // 6-8 px squares also pass as circles within the pixel tolerance; the rectangle must win
    let body = '<rect x="8" y="8" width="112" height="112" fill="#3a3060"/>';
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++)
        body += `<rect x="${18 + i * 26}" y="${18 + j * 26}" width="${6 + (i % 3)}" height="${6 + (i % 3)}" fill="#f8d050"/>`;
    const r = await convert(body);
    expect(r.svg).not.toMatch(/<circle|<ellipse|[aA][\d.]+ [\d.]+ 0/);
    const off = await convert(body, false);
    expect(r.ssim).toBeGreaterThanOrEqual(off.ssim - 0.002);
  });

  it('emits a ring as two circles (arcs only) with the true radii', async () => {
    const on = await convert(
      '<circle cx="64" cy="64" r="44" fill="none" stroke="#1060c0" stroke-width="14"/>',
    );
    const off = await convert(
      '<circle cx="64" cy="64" r="44" fill="none" stroke="#1060c0" stroke-width="14"/>',
      false,
    );
    const d = /<path fill="#1060c0" d="([^"]+)"/.exec(on.svg)![1];
    // two subpaths of two arcs each, no curves or lines
    expect(d.match(/[mM]/g)).toHaveLength(2);
    expect(d).not.toMatch(/[cClLhHvVsSqQ]/);
    const radii = [...d.matchAll(/a([\d.]+) ([\d.]+) 0 1 0/gi)].map((m) => Number(m[1]));
    expect(Math.abs(Math.max(...radii) - 51)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(Math.min(...radii) - 37)).toBeLessThanOrEqual(0.5);
    expect(on.ssim).toBeGreaterThan(off.ssim + 0.005);
    expect(on.bytes).toBeLessThan(off.bytes);
  });

  it.each([
    [
      'a disc',
      '<circle cx="60" cy="70" r="30" fill="#d03020"/>',
      /<circle fill="#d03020" cx="60" cy="70" r="30"\/>/,
    ],
    [
      'an ellipse',
      '<ellipse cx="64" cy="60" rx="44" ry="22" fill="#d03020"/>',
      /<ellipse fill="#d03020" cx="64" cy="60" rx="4[34](\.\d)?" ry="2[12](\.\d)?"\/>/,
    ],
    [
      'a rounded rectangle',
      '<rect x="14" y="30" width="100" height="68" rx="14" fill="#2a8050"/>',
      /<rect fill="#2a8050" x="14" y="30" width="100" height="68" rx="1[345](\.\d)?"\/>/,
    ],
    [
      'a square',
      '<rect x="20" y="24" width="70" height="70" fill="#2a8050"/>',
      /<rect fill="#2a8050" x="20" y="24" width="70" height="70"\/>/,
    ],
  ])('emits %s as its element', async (_name, body, element) => {
    const on = await convert(body);
    expect(on.svg).toMatch(element);
    expect(on.ssim).toBeGreaterThan(0.995);
  });

  it('keeps a square-ended ray square: a tilted bar is four straight lines at its true corners', async () => {
    const on = await convert('<path fill="#e0a000" d="M20 30l70 40-6 10.4-70-40z"/>');
    const d = /<path fill="#e0a000" d="([^"]+)"/.exec(on.svg)![1];
    expect(d).not.toMatch(/[cCsSqQaA]/);
    const pts = [...d.matchAll(/-?[\d.]+/g)].map((m) => Number(m[0]));
    // absolute start at a corner of the bar
    const corners = [
      [20, 30],
      [90, 70],
      [84, 80.4],
      [14, 40.4],
    ];
    expect(corners.some(([x, y]) => Math.hypot(pts[0] - x, pts[1] - y) < 0.6)).toBe(true);
    expect(on.ssim).toBeGreaterThan(0.998);
  });

  it('leaves shapes that are no primitive to the tracer: a star, a notched square', async () => {
    for (const body of [
      '<path fill="#222" d="M64 8l14 40h42l-34 26 13 42-35-26-35 26 13-42-34-26h42z"/>',
      '<path fill="#222" d="M16 16h96L64 64l48 48H16z"/>',
    ]) {
      const on = await convert(body);
      expect(on.svg).toMatch(/<path fill="#222" d="[^"]*[cCl]/);
      expect(on.svg).not.toMatch(/<(circle|ellipse)/);
    }
  });

  it('keeps sharp corners sharp: a "k" traces within a small error at its corners', async () => {
    const k = '<path fill="#222" d="M24 12h18v50l36-36h24L66 62l40 54H82L52 76l-10 10v30H24z"/>';
    const corners = [
      [24, 12],
      [42, 12],
      [42, 62],
      [78, 26],
      [102, 26],
      [66, 62],
      [106, 116],
      [82, 116],
      [52, 76],
      [42, 86],
      [42, 116],
      [24, 116],
    ];
    const scale = 4;
    const png = await renderPng(WHITE + k, 128, 128);
    const source = renderSvg(
      `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">${WHITE + k}</svg>`,
      512,
      512,
    );
    const cornerError = async (cornerThreshold: number) => {
      const r = await convertImage(png, { mode: 'color', params: { cornerThreshold } });
      const out = renderSvg(r.svg, 512, 512);
      let err = 0;
      let count = 0;
      for (const [cx, cy] of corners) {
        for (let y = (cy - 3) * scale; y < (cy + 3) * scale; y++) {
          for (let x = (cx - 3) * scale; x < (cx + 3) * scale; x++) {
            if (x < 0 || y < 0 || x >= 512 || y >= 512) continue;
            err += Math.abs(out.data[(y * 512 + x) * 4] - source.data[(y * 512 + x) * 4]) / 255;
            count++;
          }
        }
      }
      return err / count;
    };
    const sharp = await cornerError(1);
    const smooth = await cornerError(1.334); // potrace's "everything is a curve"
    expect(sharp).toBeLessThan(0.03);
    expect(smooth).toBeGreaterThan(sharp * 2);
  });

  it('fits on a finer grid and places the result in source pixels', () => {
    const fine = discMask(160, 80, 80, 60); // a disc of radius 15 source px on a 4x grid
    const fitted = fitPrimitives(fine, 160, 160, { x: 40, y: 0 }, 1, 1 / 4);
    expect(fitted.single).toEqual({ kind: 'circle', cx: 30, cy: 20, r: 15 });
    expect(fitted.rest).toBeNull();
  });

  it('fits the parts that are primitives and leaves the rest: a disc and an L in one mask', () => {
    const m = discMask(64, 20, 20, 12);
    for (let y = 40; y < 60; y++) for (let x = 30; x < 60; x++) if (x < 36 || y > 54) m[y * 64 + x] = 1;
    const fitted = fitPrimitives(m, 64, 64, { x: 0, y: 0 }, 1);
    expect(fitted.single).toBeNull();
    const [, x, y, r] = /^M([\d.]+) ([\d.]+)a([\d.]+) /.exec(fitted.d)!.map(Number);
    expect(Math.abs(r - 12)).toBeLessThanOrEqual(0.2);
    expect(Math.abs(x + r - 20)).toBeLessThanOrEqual(0.1);
    expect(y).toBe(20);
    expect(fitted.rest).not.toBeNull();
    expect(fitted.rest![20 * 64 + 20]).toBe(0);
    expect(fitted.rest![50 * 64 + 32]).toBe(1);
  });
});
