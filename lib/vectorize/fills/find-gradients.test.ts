import { describe, expect, it } from 'vitest';
import { compareImages, renderSvg } from '@/lib/quality';
import { renderPng, renderRgba } from '@/test/fixtures/images';
import { convertImage } from '../convert-image';
import { withDefaults } from '../params';
import { quantizeForColor } from '../trace-layers';
import { mergeGradientRegions } from './find-gradients';

/** A Kotlin-like logo: a white ground, a notched square in one three-stop linear gradient, a dark dot. */
const KOTLIN = `<rect width="128" height="128" fill="#fff"/>
<defs><linearGradient id="k" x1="112" y1="16" x2="16" y2="112" gradientUnits="userSpaceOnUse">
<stop offset="0" stop-color="#e44857"/><stop offset=".47" stop-color="#c711e1"/><stop offset="1" stop-color="#7f52ff"/>
</linearGradient></defs>
<path fill="url(#k)" d="M16 16h96L64 64l48 48H16z"/>
<circle cx="96" cy="40" r="10" fill="#1b1f23"/>`;

/** A shaded ball: an off-centre radial gradient from pale yellow to orange on white. */
const BALL = `<rect width="128" height="128" fill="#fff"/>
<defs><radialGradient id="r" cx="54" cy="54" r="56" gradientUnits="userSpaceOnUse">
<stop offset="0" stop-color="#fff6a0"/><stop offset="1" stop-color="#e0521b"/></radialGradient></defs>
<circle cx="64" cy="64" r="50" fill="url(#r)"/>`;

/** Four hard-edged flat stripes in neighbouring hues: bands, but edges, not a ramp. */
const STRIPES = `<rect width="128" height="128" fill="#fff"/>
<rect x="8" y="16" width="28" height="96" fill="#d04030"/><rect x="36" y="16" width="28" height="96" fill="#e07030"/>
<rect x="64" y="16" width="28" height="96" fill="#f0a030"/><rect x="92" y="16" width="28" height="96" fill="#f0d030"/>`;

async function convertBoth(body: string) {
  const png = await renderPng(body, 128, 128);
  const source = await renderRgba(body, 128, 128);
  const run = async (gradients: boolean) => {
    const r = await convertImage(png, { mode: 'color', params: { gradients } });
    const ssim = compareImages(renderSvg(r.svg, 128, 128), source).ssim;
    return { ...r, ssim };
  };
  return { on: await run(true), off: await run(false) };
}

describe('gradient fills', () => {
  it('traces the Kotlin-like logo as a few shapes, one of them a linear gradient, closer than flat bands', async () => {
    const { on, off } = await convertBoth(KOTLIN);
    expect(on.svg).toMatch(/<linearGradient id="g0" gradientUnits="userSpaceOnUse"/);
    expect(on.svg).toContain('fill="url(#g0)"');
    expect(on.paths).toBeLessThanOrEqual(4);
    expect((on.svg.match(/<(path|rect|circle|ellipse) /g) ?? []).length).toBe(on.paths);
    // the flat version bands the ramp into many more shapes
    expect(off.paths).toBeGreaterThan(on.paths + 2);
    expect(off.svg).not.toContain('Gradient');
    expect(on.ssim).toBeGreaterThan(off.ssim + 0.01);
    expect(on.ssim).toBeGreaterThan(0.985);
    expect(on.bytes).toBeLessThan(off.bytes);
  });

  it('recovers the ramp: three stops whose colours match the source within a few levels', async () => {
    const { on } = await convertBoth(KOTLIN);
    const stops = [...on.svg.matchAll(/stop-color="#([0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(stops.length).toBeGreaterThanOrEqual(3);
    expect(stops.length).toBeLessThanOrEqual(5);
    const rgb = (h: string) => [0, 2, 4].map((k) => parseInt(h.slice(k, k + 2), 16));
    const near = (a: string, b: string) => rgb(a).every((v, k) => Math.abs(v - rgb(b)[k]) <= 8);
    expect(near(stops[0], 'e44857')).toBe(true);
    expect(stops.some((s) => near(s, 'c711e1'))).toBe(true);
    expect(near(stops[stops.length - 1], '7f52ff')).toBe(true);
  });

  it('fits a radial gradient to a shaded ball', async () => {
    const { on, off } = await convertBoth(BALL);
    expect(on.svg).toMatch(/<radialGradient id="g0" gradientUnits="userSpaceOnUse"/);
    expect(on.paths).toBeLessThanOrEqual(3);
    expect(on.ssim).toBeGreaterThan(off.ssim + 0.03);
    const centre = /cx="([\d.]+)" cy="([\d.]+)"/.exec(on.svg)!;
    expect(Math.hypot(Number(centre[1]) - 54, Number(centre[2]) - 54)).toBeLessThan(4);
  });

  it('keeps hard-edged flat stripes flat: neighbouring hues with an edge between them are no ramp', async () => {
    const { on, off } = await convertBoth(STRIPES);
    expect(on.svg).not.toContain('Gradient');
    expect(on.svg).toBe(off.svg);
  });

  it('leaves the quantization untouched when no region qualifies', async () => {
    const img = await renderRgba(STRIPES, 128, 128);
    const q = quantizeForColor(img, withDefaults('color'));
    const merged = mergeGradientRegions(q, img);
    expect(merged.gradients.size).toBe(0);
    expect(merged.quantized).toBe(q);
  });

  it('merges the ramp bands into one label carrying the gradient', async () => {
    const img = await renderRgba(KOTLIN, 128, 128);
    const q = quantizeForColor(img, withDefaults('color'));
    const merged = mergeGradientRegions(q, img);
    expect(merged.gradients.size).toBe(1);
    expect(merged.quantized.palette.length).toBeLessThanOrEqual(4);
    expect(q.palette.length).toBeGreaterThan(merged.quantized.palette.length + 2);
    const [label] = [...merged.gradients.keys()];
    expect(merged.quantized.counts[label]).toBeGreaterThan(128 * 128 * 0.3);
    expect(merged.quantized.counts.reduce((a, b) => a + b, 0)).toBe(q.counts.reduce((a, b) => a + b, 0));
  });
});
