import { describe, expect, it } from 'vitest';
import { parseConversionRequest } from '@/lib/ai/request';
import { routeConversion } from '@/lib/ai/router';
import { listSwatches } from '@/lib/palette/svg-colors';
import { renderSvg } from '@/lib/quality';
import { renderPng } from '@/test/fixtures/images';
import { convertImage } from '../convert-image';
import { assertSafeSvg } from '../svg/assert-safe-svg';
import type { EngineOptions } from '../types';

const W = 128;
const H = 96;
// ZABBIX-like: white letters on a red plate, on a white page (the letters and the page are the same white)
const PLATE =
  `<rect width="${W}" height="${H}" fill="#fff"/><rect x="16" y="16" width="96" height="64" fill="#d40000"/>` +
  '<rect x="28" y="30" width="16" height="36" fill="#fff"/><rect x="56" y="30" width="16" height="36" fill="#fff"/>' +
  '<rect x="84" y="30" width="16" height="36" fill="#fff"/>';
// a Kotlin / crocodile-like silhouette: one saturated colour, not dark, on white
const SILHOUETTE = `<rect width="${W}" height="${H}" fill="#fff"/><path d="M10 70 L60 20 L118 70 Z" fill="#3f9b3a"/>`;
// the same plate on transparency
const FLOATING =
  '<rect x="16" y="16" width="96" height="64" fill="#d40000"/><rect x="28" y="30" width="16" height="36" fill="#fff"/>';

const CORNER = [2, 2];
const LETTER = [36, 48];
const PLATE_AT = [20, 20];

async function convert(svgBody: string, options: Partial<EngineOptions>) {
  const png = await renderPng(svgBody, W, H);
  const result = await convertImage(png, { mode: 'color', skipQuality: true, ...options } as EngineOptions);
  assertSafeSvg(result.svg);
  const pixels = renderSvg(result.svg, W, H);
  const at = ([x, y]: number[]) => Array.from(pixels.data.subarray((y * W + x) * 4, (y * W + x) * 4 + 4));
  return { result, at };
}

describe('background option, colour mode', () => {
  it('keep (and no option) is the traced output, unchanged', async () => {
    const none = await convert(PLATE, {});
    const keep = await convert(PLATE, { background: 'keep' });
    expect(keep.result.svg).toBe(none.result.svg);
    expect(keep.at(CORNER)).toEqual([255, 255, 255, 255]);
    expect(keep.at(LETTER)).toEqual([255, 255, 255, 255]);
  });

  it('drop makes the border-connected background transparent and keeps the enclosed white letters', async () => {
    const { at, result } = await convert(PLATE, { background: 'drop' });
    expect(at(CORNER)[3]).toBe(0);
    expect(at(LETTER)).toEqual([255, 255, 255, 255]);
    expect(at(PLATE_AT)).toEqual([212, 0, 0, 255]);
    expect(listSwatches(result.svg).map((s) => s.color)).toEqual(
      expect.arrayContaining(['#ffffff', '#d40000']),
    );
  });

  it('replace paints the background only, not the enclosed areas of its colour', async () => {
    const { at } = await convert(PLATE, { background: { replace: '#0a0' } });
    expect(at(CORNER)).toEqual([0, 170, 0, 255]);
    expect(at(LETTER)).toEqual([255, 255, 255, 255]);
    expect(at(PLATE_AT)).toEqual([212, 0, 0, 255]);
  });

  it('replace keeps the new colour when a user palette snaps the rest', async () => {
    const { at } = await convert(PLATE, {
      background: { replace: '#0a0' },
      palette: { colors: ['#ff0000', '#eeeeee'] },
    });
    expect(at(CORNER)).toEqual([0, 170, 0, 255]);
    expect(at(LETTER)).toEqual([238, 238, 238, 255]);
    expect(at(PLATE_AT)).toEqual([255, 0, 0, 255]);
  });

  it('a transparent background stays transparent on keep and drop, and replace fills it', async () => {
    for (const background of ['keep', 'drop'] as const) {
      const { at } = await convert(FLOATING, { background });
      expect(at(CORNER)[3]).toBe(0);
      expect(at(LETTER)).toEqual([255, 255, 255, 255]);
    }
    const { at } = await convert(FLOATING, { background: { replace: '#123456' } });
    expect(at(CORNER)).toEqual([0x12, 0x34, 0x56, 255]);
    expect(at(PLATE_AT)).toEqual([212, 0, 0, 255]);
  });

  it('drop works the same with cutout layers and with sub-pixel edges', async () => {
    for (const params of [{ layering: 'cutout' as const }, { subpixel: 4 }]) {
      const { at, result } = await convert(PLATE, { background: 'drop', params });
      expect(at(CORNER)[3], JSON.stringify(params)).toBe(0);
      expect(at(LETTER)).toEqual([255, 255, 255, 255]);
      expect(at(PLATE_AT)).toEqual([212, 0, 0, 255]);
      // the plate's outer edge stays where it was: just outside is transparent, just inside is the plate
      expect(at([15, 48])[3]).toBeLessThan(20);
      expect(at([17, 48])).toEqual([212, 0, 0, 255]);
      expect(result.params).toMatchObject(params);
    }
  });

  it('the quality is measured on the shapes in the image’s own colours, whatever the background', async () => {
    const png = await renderPng(PLATE, W, H);
    const keep = await convertImage(png, { mode: 'color', background: 'keep' });
    const drop = await convertImage(png, { mode: 'color', background: 'drop' });
    expect(drop.quality!.ssim).toBeGreaterThan(0.97);
    expect(Math.abs(drop.quality!.ssim - keep.quality!.ssim)).toBeLessThan(0.01);
  });
});

describe('background option and ink, mono mode', () => {
  it('keep puts white paper under the ink: white letters on the plate stay white, never holes', async () => {
    const { at } = await convert(PLATE, { mode: 'mono', background: 'keep', ink: '#000000' });
    expect(at(CORNER)).toEqual([255, 255, 255, 255]);
    expect(at(LETTER)).toEqual([255, 255, 255, 255]);
    expect(at(PLATE_AT)).toEqual([0, 0, 0, 255]);
  });

  it('drop is the ink on transparency', async () => {
    const { at } = await convert(PLATE, { mode: 'mono', background: 'drop', ink: '#000000' });
    expect(at(CORNER)[3]).toBe(0);
    expect(at(PLATE_AT)).toEqual([0, 0, 0, 255]);
  });

  it('replace is the ink on paper of that colour', async () => {
    const { at } = await convert(PLATE, { mode: 'mono', background: { replace: '#ffcc00' }, ink: '#102030' });
    expect(at(CORNER)).toEqual([255, 204, 0, 255]);
    expect(at(PLATE_AT)).toEqual([0x10, 0x20, 0x30, 255]);
  });

  it('on a dark background, drop and replace take the light figure as the ink; keep stays faithful', async () => {
    const NEGATIVE =
      `<rect width="${W}" height="${H}" fill="#111"/>` +
      '<rect x="28" y="30" width="16" height="36" fill="#fff"/><rect x="56" y="30" width="16" height="36" fill="#fff"/>';
    const dropped = await convert(NEGATIVE, { mode: 'mono', background: 'drop', ink: '#000000' });
    expect(dropped.at(CORNER)[3]).toBe(0);
    expect(dropped.at(LETTER)).toEqual([0, 0, 0, 255]);
    const own = await convert(NEGATIVE, { mode: 'mono', background: { replace: '#ffcc00' } });
    expect(own.at(CORNER)).toEqual([255, 204, 0, 255]);
    expect(own.at(LETTER)).toEqual([255, 255, 255, 255]);
    const kept = await convert(NEGATIVE, { mode: 'mono', background: 'keep', ink: '#000000' });
    expect(kept.at(CORNER)).toEqual([0, 0, 0, 255]);
    expect(kept.at(LETTER)).toEqual([255, 255, 255, 255]);
    const png = await renderPng(NEGATIVE, W, H);
    const measured = await convertImage(png, { mode: 'mono', background: 'drop', ink: '#000000' });
    expect(measured.quality!.ssim).toBeGreaterThan(0.95);
  });

  it('a transparent background stays transparent on keep', async () => {
    const { at } = await convert(FLOATING, { mode: 'mono', background: 'keep', ink: '#000000' });
    expect(at(CORNER)[3]).toBe(0);
    expect(at(PLATE_AT)).toEqual([0, 0, 0, 255]);
  });

  it('"Black & white" of a coloured silhouette is exactly #000000, through the router at every tier', async () => {
    const png = await renderPng(SILHOUETTE, W, H);
    for (const quality of ['fast', 'balanced', 'best'] as const) {
      const r = await routeConversion(
        png,
        parseConversionRequest({ mode: 'mono', quality, timeBudgetMs: 400 }),
      );
      expect(r.mode).toBe('mono');
      expect(listSwatches(r.svg).map((s) => s.color)).toEqual(['#000000']);
      expect(r.quality!.ssim).toBeGreaterThan(0.9);
    }
  });

  it('mono takes the ink asked for', async () => {
    const png = await renderPng(SILHOUETTE, W, H);
    const r = await routeConversion(png, parseConversionRequest({ mode: 'mono', ink: '#C0FFEE' }));
    expect(listSwatches(r.svg).map((s) => s.color)).toEqual(['#c0ffee']);
  });

  it('when auto mode picks mono by itself, the ink is the image’s own colour', async () => {
    const png = await renderPng(SILHOUETTE, W, H);
    const r = await convertImage(png, { mode: 'mono', skipQuality: true });
    expect(listSwatches(r.svg).map((s) => s.color)).not.toEqual(['#000000']);
  });
});

describe('option validation', () => {
  it('refuses a background that is not keep, drop or {replace: hex}, and a bad ink', () => {
    expect(() => parseConversionRequest({ background: 'transparent' })).toThrow(/background/);
    expect(() => parseConversionRequest({ background: { replace: 'red' } })).toThrow(/background/);
    expect(() => parseConversionRequest({ ink: '#12' })).toThrow(/ink/);
    expect(parseConversionRequest({ background: { replace: '#ABC' } }).background).toEqual({
      replace: '#aabbcc',
    });
  });
});
