import { describe, expect, it } from 'vitest';
import { renderSvg } from '@/lib/quality';
import { animatedGif, logoPng, pixelBombPng, renderPng, solidPng } from '@/test/fixtures/images';
import { convertImage } from './convert-image';
import { decodeImage } from './decode-image';
import { assertSafeSvg } from './svg/assert-safe-svg';

const limits = { maxBytes: 10 * 1024 * 1024, maxPixels: 25_000_000 };

describe('convertImage', () => {
  it('color mode keeps the palette in stacked layers and scores high', async () => {
    const png = await logoPng('#ffffff');
    const r = await convertImage(png, { mode: 'color' });
    expect(r.mode).toBe('color');
    expect(r.svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(r.svg).toContain('viewBox="0 0 96 96"');
    expect(r.svg).toContain('width="96"');
    expect(r.svg).toContain('height="96"');
    const fills = [...r.svg.matchAll(/fill="(#[0-9a-f]+)"/g)].map((m) => m[1]);
    expect(fills).toEqual(['#fff', '#d62828', '#1d3557']); // background first, largest to smallest
    expect(r.paths).toBe(3);
    expect(r.quality!.ssim).toBeGreaterThan(0.95);
    expect(r.bytes).toBe(Buffer.byteLength(r.svg));
  });

  it('honours layering, blur and precision overrides', async () => {
    const png = await logoPng('#ffffff');
    const stacked = await convertImage(png, { mode: 'color' });
    const cutout = await convertImage(png, { mode: 'color', params: { layering: 'cutout' } });
    expect(cutout.params.layering).toBe('cutout');
    expect(cutout.paths).toBe(stacked.paths);
    expect(cutout.svg).not.toBe(stacked.svg);
    expect(cutout.quality!.ssim).toBeGreaterThan(0.9);
    const blurred = await convertImage(png, { mode: 'color', params: { blur: 0.6 } });
    expect(blurred.svg).not.toBe(stacked.svg);
    expect(blurred.quality!.ssim).toBeGreaterThan(0.9);
    const coarse = await convertImage(png, { mode: 'color', params: { precision: 0 } });
    expect(coarse.svg).not.toMatch(/\d\.\d/);
    expect(coarse.bytes).toBeLessThanOrEqual(stacked.bytes);
    // traced curves (not the logo's exact circle and bars) lose their decimals
    const traced = await convertImage(png, { mode: 'color', params: { primitives: false } });
    const tracedCoarse = await convertImage(png, {
      mode: 'color',
      params: { primitives: false, precision: 0 },
    });
    expect(tracedCoarse.bytes).toBeLessThan(traced.bytes);
  });

  it('mono mode traces one layer with an automatic threshold', async () => {
    const png = await renderPng(
      '<rect width="100%" height="100%" fill="#fff"/><path d="M10 10h44v8H36v36h-8V18H10z" fill="#222"/>',
      64,
      64,
    );
    const r = await convertImage(png, { mode: 'mono' });
    expect(r.mode).toBe('mono');
    expect(r.paths).toBe(1);
    expect((r.svg.match(/<path/g) ?? []).length).toBe(1);
    expect(r.svg).toContain('fill="#222"');
    expect(r.quality!.ssim).toBeGreaterThan(0.95);
  });

  it('auto picks mono for one ink on white and color for several colours', async () => {
    const ink = await renderPng(
      '<rect width="100%" height="100%" fill="#fff"/><circle cx="32" cy="32" r="20"/>',
    );
    expect((await convertImage(ink, { mode: 'auto', skipQuality: true })).mode).toBe('mono');
    expect((await convertImage(await logoPng('#ffffff'), { mode: 'auto', skipQuality: true })).mode).toBe(
      'color',
    );
  });

  it('is deterministic: the same input gives a byte-identical SVG', async () => {
    const png = await logoPng();
    const a = await convertImage(png, { mode: 'color', skipQuality: true });
    const b = await convertImage(png, { mode: 'color', skipQuality: true });
    expect(a.svg).toBe(b.svg);
  });

  it('keeps transparency: no background shape and no dark or white halo at anti-aliased edges', async () => {
    const png = await renderPng('<circle cx="48" cy="48" r="30" fill="#2a9d8f"/>', 96, 96);
    const src = await decodeImage(png, limits);
    const r = await convertImage(png, { mode: 'color' });
    expect(r.paths).toBe(1);
    expect(r.svg).not.toMatch(/<rect/);
    expect(r.svg).toContain('fill="#2a9d8f"');
    const out = renderSvg(r.svg, 96, 96);
    // Corners (fully transparent in the source) stay transparent.
    expect(out.data[3]).toBe(0);
    expect(out.data[(96 * 96 - 1) * 4 + 3]).toBe(0);
    // Every rendered pixel with some coverage keeps the disc's colour: no darkened or whitened fringe.
    let edgePixels = 0;
    for (let i = 0; i < 96 * 96; i++) {
      const a = out.data[i * 4 + 3];
      if (a === 0) continue;
      if (a < 255) edgePixels++;
      // Very faint pixels carry too little colour precision to judge.
      if (a < 64) continue;
      expect(Math.abs(out.data[i * 4] - 0x2a)).toBeLessThanOrEqual(4);
      expect(Math.abs(out.data[i * 4 + 1] - 0x9d)).toBeLessThanOrEqual(4);
      expect(Math.abs(out.data[i * 4 + 2] - 0x8f)).toBeLessThanOrEqual(4);
    }
    expect(edgePixels).toBeGreaterThan(50);
    expect(src.data[3]).toBe(0);
  });

  it('sub-pixel tracing is opt-in: same safe, deterministic output kinds, closer to the source', async () => {
    const png = await logoPng('#ffffff');
    // the logo's shapes are exact primitives on either grid: compare the traced outlines
    const grid = await convertImage(png, { mode: 'color', params: { primitives: false } });
    expect(grid.params.subpixel).toBe(1);
    const fine = await convertImage(png, { mode: 'color', params: { subpixel: 2, primitives: false } });
    expect(fine.params.subpixel).toBe(2);
    expect(fine.paths).toBe(grid.paths);
    const fills = (svg: string) => [...svg.matchAll(/fill="(#[0-9a-f]+)"/g)].map((m) => m[1]);
    expect(fills(fine.svg)).toEqual(fills(grid.svg));
    expect(fine.quality!.ssim).toBeGreaterThan(grid.quality!.ssim);
    expect(assertSafeSvg(fine.svg)).toBe(fine.svg);
    const again = await convertImage(png, {
      mode: 'color',
      params: { subpixel: 2, primitives: false },
      skipQuality: true,
    });
    expect(again.svg).toBe(fine.svg);
  });

  it('produces safe output: no scripts, handlers, external references or rasters', async () => {
    const r = await convertImage(await logoPng(), { mode: 'color', skipQuality: true });
    expect(assertSafeSvg(r.svg)).toBe(r.svg);
    expect(r.svg).not.toMatch(/<script|\son\w+=|href|<image|url\(|data:/i);
  });

  it('converts a 1x1 image, a single-colour image and a fully transparent image', async () => {
    const one = await convertImage(await solidPng(1, 1, '#00ff00'), { mode: 'color' });
    expect([one.width, one.height]).toEqual([1, 1]);
    expect(one.svg).toContain('fill="#0f0"');
    expect(one.quality!.ssim).toBe(1); // an exact square, not a smoothed blob

    const single = await convertImage(await solidPng(40, 30, '#336699'));
    expect(single.paths).toBe(1);
    expect(single.svg).toContain('fill="#369"');
    expect(single.quality!.ssim).toBeGreaterThan(0.99);

    const empty = await convertImage(await solidPng(40, 30, '#000000', 0));
    expect(empty.paths).toBe(0);
    expect(empty.svg).not.toContain('<path');
    expect(empty.svg).toContain('viewBox="0 0 40 30"');
  });

  it('traces inputs up to 2048 px at their own resolution', async () => {
    const r = await convertImage(await logoPng('#ffffff', 1600), { mode: 'color', skipQuality: true });
    expect(r.svg).toContain('viewBox="0 0 1600 1600"');
  });

  it('traces larger inputs downscaled to about 2048 px but keeps their size in the SVG', async () => {
    const png = await logoPng('#ffffff', 3000);
    const r = await convertImage(png, { mode: 'color', skipQuality: true });
    expect([r.width, r.height]).toEqual([3000, 3000]);
    expect(r.svg).toContain('width="3000"');
    const traced = Number(/viewBox="0 0 (\d+) \1"/.exec(r.svg)?.[1]);
    expect(traced).toBeGreaterThan(2040);
    expect(traced).toBeLessThanOrEqual(2048);
    const rendered = renderSvg(r.svg, 200, 200);
    // The bar's colour sits at the centre, the disc's red above it, the white background in the corner.
    const at = (x: number, y: number) =>
      Array.from(rendered.data.slice((y * 200 + x) * 4, (y * 200 + x) * 4 + 3));
    expect(at(100, 100)).toEqual([0x1d, 0x35, 0x57]);
    expect(at(100, 50)).toEqual([0xd6, 0x28, 0x28]);
    expect(at(5, 5)).toEqual([255, 255, 255]);
  });

  it('converts the first frame of an animated GIF', async () => {
    const r = await convertImage(await animatedGif(), { mode: 'color' });
    expect(r.svg).toContain('fill="#f00"');
    expect(r.svg).not.toContain('#00f');
  });

  it('rejects bad input with typed errors', async () => {
    await expect(convertImage(Buffer.alloc(0))).rejects.toMatchObject({ kind: 'undecodable' });
    await expect(convertImage(Buffer.from('hello, I am text'))).rejects.toMatchObject({
      kind: 'unsupported_type',
    });
    await expect(
      convertImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')),
    ).rejects.toMatchObject({
      kind: 'unsupported_type',
    });
    await expect(convertImage(pixelBombPng())).rejects.toMatchObject({ kind: 'too_large', status: 413 });
  });
});
