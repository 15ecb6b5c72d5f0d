import { describe, expect, it } from 'vitest';
import { renderSvg } from '@/lib/quality';
import { convertImage } from '@/lib/vectorize/convert-image';
import { assertSafeSvg } from '@/lib/vectorize/svg/assert-safe-svg';
import { logoPng } from '@/test/fixtures/images';
import {
  dropLeavesTransparency,
  dropSvgColor,
  listSwatches,
  mapSvgColors,
  recolorSvg,
  snapSvgColors,
} from './svg-colors';

// What outputs may hold once gradients and primitives land: gradient stops, opacities, <circle>/<rect>/<ellipse>,
// colour names as SVGO writes them, and layer groups.
const RICH =
  '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">' +
  '<title>Logo</title><defs><linearGradient id="g1" x1="0" y1="0" x2="40" y2="0" gradientUnits="userSpaceOnUse">' +
  '<stop offset="0" stop-color="#ff0000"/><stop offset="1" stop-color="#0000ff" stop-opacity=".5"/></linearGradient></defs>' +
  '<rect width="40" height="20" fill="url(#g1)"/>' +
  '<g id="layer-2" fill="red"><circle cx="10" cy="30" r="5"/><ellipse cx="30" cy="30" rx="5" ry="3"/></g>' +
  "<path fill='#0f0' fill-opacity='.5' d='M0 0h4v4H0z'/></svg>";

function pixel(svg: string, x: number, y: number, size = 40): number[] {
  const img = renderSvg(svg, size, size);
  const o = (y * size + x) * 4;
  return [...img.data.slice(o, o + 4)];
}

describe('listSwatches', () => {
  it('lists every colour once, in paint order, with where it is used', () => {
    expect(listSwatches(RICH)).toEqual([
      { color: '#ff0000', shapes: 1, stops: 1 },
      { color: '#0000ff', shapes: 0, stops: 1 },
      { color: '#00ff00', shapes: 1, stops: 0 },
    ]);
  });

  it('reads an engine output', async () => {
    const r = await convertImage(await logoPng('#ffffff'), { mode: 'color' });
    expect(listSwatches(r.svg).map((s) => s.color)).toEqual(['#ffffff', '#d62828', '#1d3557']);
  });
});

describe('recolorSvg', () => {
  it('recolours shapes and gradient stops, leaving opacities, ids, text and urls alone', () => {
    const out = recolorSvg(RICH, { '#f00': '#123456', '#00ff00': '#abcdef' });
    expect(listSwatches(out)).toEqual([
      { color: '#123456', shapes: 1, stops: 1 },
      { color: '#0000ff', shapes: 0, stops: 1 },
      { color: '#abcdef', shapes: 1, stops: 0 },
    ]);
    expect(out).toContain('<title>Logo</title>');
    expect(out).toContain('fill="url(#g1)"');
    expect(out).toContain('stop-opacity=".5"');
    expect(out).toContain('fill-opacity=".5"');
    expect(out).toContain('<g id="layer-2" fill="#123456">');
    expect(pixel(out, 10, 30)).toEqual([0x12, 0x34, 0x56, 255]);
    assertSafeSvg(out);
  });

  it('merging two swatches is recolouring one into the other: the render shows one colour', async () => {
    const r = await convertImage(await logoPng('#ffffff'), { mode: 'color' });
    const merged = recolorSvg(r.svg, { '#1d3557': '#d62828' });
    expect(listSwatches(merged).map((s) => s.color)).toEqual(['#ffffff', '#d62828']);
    expect(pixel(merged, 48, 48, 96)).toEqual([0xd6, 0x28, 0x28, 255]);
  });

  it('an unchanged document comes back byte for byte', () => {
    expect(recolorSvg(RICH, { '#999999': '#000000' })).toBe(RICH);
    expect(mapSvgColors(RICH, (c) => c)).toBe(RICH);
  });
});

describe('snapSvgColors', () => {
  it('moves every colour to the nearest palette colour', () => {
    const out = snapSvgColors(RICH, ['#ee1111', '#111111']);
    expect(listSwatches(out).map((s) => s.color)).toEqual(['#ee1111', '#111111']);
  });
});

describe('dropSvgColor', () => {
  it('removes shapes and groups of that colour, turns its stops transparent', () => {
    const out = dropSvgColor(RICH, '#ff0000');
    expect(out).not.toContain('<circle');
    expect(out).not.toContain('layer-2');
    expect(out).toMatch(/<stop offset="0" stop-color="#ff0000" stop-opacity="0"\/>/);
    expect(out).toContain('<rect'); // its gradient still has a visible stop
    expect(pixel(out, 10, 30)[3]).toBe(0);
    assertSafeSvg(out);
  });

  it('a shape whose gradient loses every stop goes too', () => {
    const out = dropSvgColor(dropSvgColor(RICH, '#ff0000'), '#0000ff');
    expect(out).not.toContain('<rect');
    expect(
      listSwatches(out)
        .filter((s) => s.shapes > 0)
        .map((s) => s.color),
    ).toEqual(['#00ff00']);
  });

  it('dropping the bottom stacked layer of an engine output leaves transparency', async () => {
    const r = await convertImage(await logoPng('#ffffff'), { mode: 'color' });
    expect(dropLeavesTransparency(r.svg, '#ffffff', 'stacked')).toBe(true);
    const out = dropSvgColor(r.svg, '#ffffff');
    expect(pixel(out, 2, 2, 96)[3]).toBe(0);
    expect(pixel(out, 48, 20, 96)).toEqual([0xd6, 0x28, 0x28, 255]);
  });

  it('a middle stacked layer cannot be dropped by removing it (the layer below shows): that needs a re-trace', async () => {
    const r = await convertImage(await logoPng('#ffffff'), { mode: 'color' });
    expect(dropLeavesTransparency(r.svg, '#d62828', 'stacked')).toBe(false);
    // what removing it would show: white from the background layer, not transparency
    expect(pixel(dropSvgColor(r.svg, '#d62828'), 48, 20, 96)).toEqual([255, 255, 255, 255]);
    const cutout = await convertImage(await logoPng('#ffffff'), {
      mode: 'color',
      params: { layering: 'cutout' },
    });
    expect(dropLeavesTransparency(cutout.svg, '#d62828', 'cutout')).toBe(true);
    expect(pixel(dropSvgColor(cutout.svg, '#d62828'), 48, 20, 96)[3]).toBe(0);
  });
});
