import { describe, expect, it } from 'vitest';
import { parseConversionRequest } from '@/lib/ai/request';
import { routeConversion } from '@/lib/ai/router';
import { renderPng } from '@/test/fixtures/images';
import { convertImage } from './convert-image';

const BLUE = '#1f4fb5';
const MAROON = '#7a1a2c';
const GREEN = '#2a8a3a';

/** "Caun": a word mark in three inks (blue C, maroon au, green n) on a background, as held-out word marks are. */
function wordMark(background: string, fontSize: number, inks = [BLUE, MAROON, GREEN]): Promise<Buffer> {
  return renderPng(
    `<rect width="256" height="256" fill="${background}"/>
    <text x="26" y="166" font-family="DejaVu Sans" font-weight="bold" font-size="${fontSize}"><tspan fill="${inks[0]}">C</tspan><tspan fill="${inks[1]}">au</tspan><tspan fill="${inks[2]}">n</tspan></text>`,
    256,
    256,
  );
}

function fills(svg: string): [number, number, number][] {
  return [...svg.matchAll(/fill="#([0-9a-f]{3}|[0-9a-f]{6})"/gi)].map(([, h]) => {
    const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
    return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
  });
}

/** The colours of `expected` that some fill of `svg` reproduces within `tolerance` (RGB Euclidean). */
function kept(svg: string, expected: string[], tolerance = 40): string[] {
  const got = fills(svg);
  return expected.filter((hex) => {
    const e = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    return got.some((c) => Math.hypot(c[0] - e[0], c[1] - e[1], c[2] - e[2]) <= tolerance);
  });
}

describe('auto mode keeps colour', () => {
  // a yellow, a pale blue and a cream background; lettering from large to small (the small letters are under
  // 1% of the image each, which is where auto used to fall back to one ink)
  for (const background of ['#ffd34d', '#e8f0ff', '#f3e6c8'])
    for (const size of [80, 28, 20]) {
      it(`traces a three-ink word mark on ${background} at ${size} px in colour with every ink and the background`, async () => {
        const png = await wordMark(background, size);
        const r = await convertImage(png, { mode: 'auto' });
        expect(r.mode).toBe('color');
        expect(kept(r.svg, [BLUE, MAROON, GREEN])).toEqual([BLUE, MAROON, GREEN]);
        // the coloured background is kept as a shape, not dropped
        expect(kept(r.svg, [background], 8)).toEqual([background]);
        expect(r.quality!.ssim).toBeGreaterThan(0.97);
      });
    }

  it('keeps every ink with quality=best too', async () => {
    const png = await wordMark('#ffd34d', 28);
    const r = await routeConversion(png, parseConversionRequest({ quality: 'best' }));
    expect(r.mode).toBe('color');
    expect(kept(r.svg, [BLUE, MAROON, GREEN, '#ffd34d'])).toEqual([BLUE, MAROON, GREEN, '#ffd34d']);
  });

  it('still picks mono for one ink on white or transparency', async () => {
    for (const background of ['#ffffff', 'none']) {
      const png = await wordMark(background, 40, [MAROON, MAROON, MAROON]);
      const r = await convertImage(png, { mode: 'auto' });
      expect(r.mode, background).toBe('mono');
    }
  });

  it('keeps one ink on a coloured background in colour, the background as a shape', async () => {
    const png = await wordMark('#ffd34d', 40, [MAROON, MAROON, MAROON]);
    const r = await convertImage(png, { mode: 'auto' });
    expect(r.mode).toBe('color');
    expect(kept(r.svg, [MAROON, '#ffd34d'])).toEqual([MAROON, '#ffd34d']);
  });
});
