// SVG output options on real engine outputs: every combination stays safe and renders pixel for pixel like the
// minified original (resvg), the defaults change no byte, the title reads back, layers are named bottom to top.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { listSwatches } from '@/lib/palette/svg-colors';
import { renderSvg } from '@/lib/quality';
import { convertImage } from '@/lib/vectorize/convert-image';
import { assertSafeSvg } from '@/lib/vectorize/svg/assert-safe-svg';
import { logoPng } from '@/test/fixtures/images';
import { exportSvg } from './index';
import { applySvgOptions, escapeTitle, titleFromFileName } from './svg-options';
import { svgOptionsSchema } from './svg-options-schema';
import { readSvgDrawing } from './svg-drawing';

const HOSTILE_TITLE = 'Logo "A" & <b>x</b> data:x javascript:alert(1) onload=1 url(x) href=y';
let outputs: { name: string; svg: string; width: number; height: number }[] = [];

beforeAll(async () => {
  const inputs: [string, Buffer, 'color' | 'mono'][] = [
    ['logo (colour)', await logoPng('#ffffff', 96), 'color'],
    ['logo (mono)', await logoPng('#ffffff', 96), 'mono'],
    ['gradient (colour)', readFileSync('test/fixtures/api/gradient.jpg'), 'color'],
    ['logo-256 (colour)', readFileSync('test/fixtures/api/logo-256.png'), 'color'],
  ];
  outputs = await Promise.all(
    inputs.map(async ([name, png, mode]) => {
      const r = await convertImage(png, { mode, skipQuality: true });
      return { name, svg: r.svg, width: r.width, height: r.height };
    }),
  );
});

describe('applySvgOptions', () => {
  it('the defaults return the engine’s minified SVG byte for byte', () => {
    for (const { svg } of outputs) {
      expect(applySvgOptions(svg, {})).toBe(svg);
      expect(applySvgOptions(svg, svgOptionsSchema.parse({}))).toBe(svg);
    }
  });

  it('every combination is safe and renders identically (resvg, every pixel)', () => {
    let combinations = 0;
    for (const { name, svg, width, height } of outputs) {
      const reference = renderSvg(svg, width, height).data;
      for (const style of ['minified', 'pretty'] as const) {
        for (const title of [undefined, 'brand-logo', HOSTILE_TITLE]) {
          for (const layers of [false, true]) {
            const out = applySvgOptions(svg, { svg: style, title, layers });
            expect(() => assertSafeSvg(out), name).not.toThrow();
            const pixels = renderSvg(out, width, height).data;
            expect(
              Buffer.compare(Buffer.from(pixels), Buffer.from(reference)),
              `${name} ${style} ${layers}`,
            ).toBe(0);
            combinations++;
          }
        }
      }
    }
    expect(combinations).toBe(outputs.length * 12);
  });

  it('pretty puts one element a line, indented under its parent', () => {
    const out = applySvgOptions(outputs[0].svg, { svg: 'pretty', title: 'Logo', layers: true });
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^<svg /);
    expect(lines[1]).toBe('  <title>Logo</title>');
    expect(lines[2]).toBe('  <g id="layer-1">');
    expect(lines[3]).toMatch(/^ {4}<(path|rect|circle|ellipse) /);
    expect(lines.at(-1)).toBe('</svg>');
  });

  it('the title is escaped and reads back as written', () => {
    const out = applySvgOptions(outputs[0].svg, { title: HOSTILE_TITLE });
    expect(out).not.toContain('<b>');
    expect(readSvgDrawing(out).title).toBe(HOSTILE_TITLE);
    expect(escapeTitle('a\u0007b')).toBe('ab');
    // a second title replaces the first
    expect(applySvgOptions(out, { title: 'Second' }).match(/<title>/g)).toHaveLength(1);
  });

  it('each colour layer is a <g id="layer-N">, bottom to top, in the paint order of the colours', () => {
    for (const { svg } of outputs) {
      const out = applySvgOptions(svg, { layers: true });
      const ids = [...out.matchAll(/<g id="(layer-\d+)">/g)].map((m) => m[1]);
      // one layer per run of one colour: a merged path, and the exact circles or rectangles of that colour beside it
      const fills = [...svg.matchAll(/<(?:path|rect|circle|ellipse) fill="([^"]+)"/g)].map((m) => m[1]);
      const runs = fills.filter((f, i) => i === 0 || f !== fills[i - 1]).length;
      expect(runs).toBeGreaterThan(0);
      expect(ids).toEqual(Array.from({ length: runs }, (_, i) => `layer-${i + 1}`));
      expect(listSwatches(out).map((s) => s.color)).toEqual(listSwatches(svg).map((s) => s.color));
    }
  });

  it('a colour painted twice with another between keeps its order: two groups', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><path fill="#f00" d="M0 0h4v4H0z"/>' +
      '<path fill="#00f" d="M1 1h2v2H1z"/><path fill="#f00" d="M1 1h1v1H1z"/><path fill="#f00" d="M2 2h1v1H2z"/></svg>';
    const out = applySvgOptions(svg, { layers: true });
    expect(out).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><g id="layer-1"><path fill="#f00" d="M0 0h4v4H0z"/></g>' +
        '<g id="layer-2"><path fill="#00f" d="M1 1h2v2H1z"/></g><g id="layer-3"><path fill="#f00" d="M1 1h1v1H1z"/><path fill="#f00" d="M2 2h1v1H2z"/></g></svg>',
    );
  });

  it('exportSvg applies them to SVG downloads, and the other formats still read grouped, titled SVGs', async () => {
    const { svg } = outputs[0];
    const file = await exportSvg(svg, { format: 'svg', svg: 'pretty', title: 'Logo', layers: true });
    expect(file.body.toString()).toContain('<g id="layer-1">');
    const grouped = applySvgOptions(svg, { svg: 'pretty', title: 'Logo', layers: true });
    const pdf = await exportSvg(grouped, { format: 'pdf' });
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(readSvgDrawing(grouped).shapes.length).toBe(readSvgDrawing(svg).shapes.length);
  });

  it('a download’s default title is its file name without folders or extension', () => {
    expect(titleFromFileName('icons/brand logo.final.png')).toBe('brand logo.final');
    expect(titleFromFileName('C:\\art\\logo.PNG')).toBe('logo');
    expect(titleFromFileName('Pasted image 1.png')).toBe('Pasted image 1');
  });

  it('refuses a title longer than 200 characters and an unknown style', () => {
    expect(svgOptionsSchema.safeParse({ title: 'x'.repeat(201) }).success).toBe(false);
    expect(svgOptionsSchema.safeParse({ svg: 'compact' }).success).toBe(false);
  });
});
