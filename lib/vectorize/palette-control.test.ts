import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { routeConversion } from '@/lib/ai/router';
import { parseConversionRequest } from '@/lib/ai/request';
import { renderSvg } from '@/lib/quality';
import { listSwatches } from '@/lib/palette/svg-colors';
import { logoPng, renderPng } from '@/test/fixtures/images';
import { engineOptionsSchema } from './convert-options';
import { convertImage } from './convert-image';

const fills = (svg: string) => listSwatches(svg).map((s) => s.color);

function pixel(svg: string, size: number, x: number, y: number): number[] {
  const img = renderSvg(svg, size, size);
  const o = (y * size + x) * 4;
  return [...img.data.slice(o, o + 4)];
}

describe('palette control: a user palette', () => {
  it('snaps every region to the nearest brand colour, keeping the shapes', async () => {
    const png = await logoPng('#ffffff');
    const plain = await convertImage(png, { mode: 'color' });
    const branded = await convertImage(png, {
      mode: 'color',
      palette: { colors: ['#ff0000', '#000080', '#fafafa', '#00ff00'] },
    });
    expect(fills(plain.svg)).toEqual(['#ffffff', '#d62828', '#1d3557']);
    // only the colours that regions snapped to; green matched nothing
    expect(fills(branded.svg)).toEqual(['#fafafa', '#ff0000', '#000080']);
    expect(branded.paths).toBe(plain.paths);
    expect(pixel(branded.svg, 96, 48, 20)).toEqual([255, 0, 0, 255]); // inside the circle
    expect(pixel(branded.svg, 96, 48, 48)).toEqual([0, 0, 128, 255]); // the bar
    expect(pixel(branded.svg, 96, 2, 2)).toEqual([250, 250, 250, 255]); // the background
  });

  it('regions that snap to the same colour become one shape', async () => {
    const png = await logoPng('#ffffff');
    const r = await convertImage(png, { mode: 'color', palette: { colors: ['#ffffff', '#000000'] } });
    // red (#d62828) and navy are both nearer black than white: one dark shape over the background
    expect(fills(r.svg)).toEqual(['#ffffff', '#000000']);
    expect(r.paths).toBe(2);
    expect(pixel(r.svg, 96, 48, 20)).toEqual([0, 0, 0, 255]);
  });

  it('in mono mode the ink takes the nearest palette colour', async () => {
    const png = await renderPng(
      '<rect width="64" height="64" fill="#fff"/><circle cx="32" cy="32" r="20" fill="#222"/>',
    );
    const r = await convertImage(png, { mode: 'mono', palette: { colors: ['#0a0a0a', '#ff0000'] } });
    expect(fills(r.svg)).toEqual(['#0a0a0a']);
  });

  it('auto mode traces in colour when a palette is asked for', async () => {
    const png = await renderPng(
      '<rect width="64" height="64" fill="#fff"/><circle cx="32" cy="32" r="20" fill="#222"/>',
    );
    expect((await convertImage(png, { mode: 'auto' })).mode).toBe('mono');
    expect((await convertImage(png, { mode: 'auto', palette: { count: 2 } })).mode).toBe('color');
  });
});

describe('palette control: an exact colour count', () => {
  it('a many-colour gradient image comes out with exactly the asked number of colours', async () => {
    const png = readFileSync(path.resolve('test/fixtures/ai/gradient-devicon-gitpod.png'));
    for (const count of [3, 6, 24]) {
      const r = await convertImage(png, { mode: 'color', palette: { count } });
      expect(fills(r.svg)).toHaveLength(count);
    }
  });

  it('merges the nearest colours first (Ward): a 3-colour logo asked for 2 keeps its two most distinct areas', async () => {
    const png = await logoPng('#ffffff');
    const r = await convertImage(png, { mode: 'color', palette: { count: 2 } });
    const colors = fills(r.svg);
    expect(colors).toHaveLength(2);
    expect(colors[0]).toBe('#ffffff');
    // the red circle and the navy bar merged into one dark red-blue, the background stayed white
    const [rr, , bb] = [1, 3, 5].map((i) => parseInt(colors[1].slice(i, i + 2), 16));
    expect(rr).toBeGreaterThan(120);
    expect(bb).toBeGreaterThan(40);
  });

  it('never invents colours a flat image does not have', async () => {
    // pixel-aligned, no anti-aliasing: exactly three distinct colours
    const png = await renderPng(
      '<g shape-rendering="crispEdges"><rect width="64" height="64" fill="#ffffff"/><rect x="8" y="8" width="24" height="24" fill="#ff0000"/><rect x="32" y="32" width="24" height="24" fill="#0000ff"/></g>',
    );
    const r = await convertImage(png, { mode: 'color', palette: { count: 5 } });
    expect(fills(r.svg).sort()).toEqual(['#0000ff', '#ff0000', '#ffffff']);
  });
});

describe('palette control: removing colours', () => {
  it('removing the background leaves it transparent', async () => {
    const png = await logoPng('#ffffff');
    const r = await convertImage(png, { mode: 'color', palette: { remove: ['#fff'] } });
    expect(fills(r.svg)).toEqual(['#d62828', '#1d3557']);
    expect(pixel(r.svg, 96, 2, 2)[3]).toBe(0);
    expect(pixel(r.svg, 96, 48, 20)).toEqual([214, 40, 40, 255]);
  });

  it('removing a middle stacked layer uncovers transparency, not the layer below', async () => {
    const png = await logoPng('#ffffff');
    const r = await convertImage(png, { mode: 'color', palette: { remove: ['#d62828'] } });
    expect(fills(r.svg)).toEqual(['#ffffff', '#1d3557']);
    expect(pixel(r.svg, 96, 48, 20)[3]).toBe(0); // where the circle was
    expect(pixel(r.svg, 96, 48, 48)).toEqual([29, 53, 87, 255]); // the bar stays
    expect(pixel(r.svg, 96, 2, 2)).toEqual([255, 255, 255, 255]);
  });

  it('a colour far from every palette colour removes nothing', async () => {
    const png = await logoPng('#ffffff');
    const r = await convertImage(png, { mode: 'color', palette: { remove: ['#00ff00'] } });
    expect(fills(r.svg)).toEqual(['#ffffff', '#d62828', '#1d3557']);
  });
});

describe('palette control: options', () => {
  it('are validated at the edge with the field named', () => {
    const bad = [
      { palette: { colors: ['red'] } },
      { palette: { colors: [] } },
      { palette: { count: 0 } },
      { palette: { count: 65 } },
      { palette: { count: 3, colors: ['#000'] } },
      { palette: { extra: 1 } },
    ];
    for (const options of bad) expect(engineOptionsSchema.safeParse(options).success).toBe(false);
    expect(() => parseConversionRequest({ palette: { count: 3, colors: ['#000'] } })).toThrow(
      /palette\.count: count and colors exclude each other/,
    );
    expect(engineOptionsSchema.parse({ palette: { colors: ['#ABC'] } }).palette).toEqual({
      colors: ['#aabbcc'],
    });
  });

  it('travel through the AI router into every attempt', async () => {
    const png = await logoPng('#ffffff');
    const request = parseConversionRequest({
      quality: 'fast',
      palette: { colors: ['#ff0000', '#000080', '#ffffff'] },
    });
    const r = await routeConversion(png, request);
    expect(fills(r.svg)).toEqual(['#ffffff', '#ff0000', '#000080']);
  });
});
