// Every output format read back by an independent reader and compared with the SVG's own render: PDF through
// poppler (pdftoppm), EPS through Ghostscript, DXF through dxf-parser (its outlines drawn again), PNG by sharp.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import DxfParser from 'dxf-parser';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { measureSsim, renderSvg, type RgbaImage } from '@/lib/quality';
import { convertImage } from '@/lib/vectorize/convert-image';
import { logoPng } from '@/test/fixtures/images';
import { exportSvg } from './index';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'svgai-export-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// What outputs hold once gradient fills and primitives land: linear and radial gradients with translucent stops,
// <circle>/<rect>/<ellipse>, a translucent fill, a group transform.
const RICH =
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" viewBox="0 0 60 40"><title>Rich (test)</title>' +
  '<defs><linearGradient id="a" x1="0" y1="0" x2="60" y2="0" gradientUnits="userSpaceOnUse">' +
  '<stop offset="0" stop-color="#ff0000"/><stop offset=".5" stop-color="#ffcc00"/><stop offset="1" stop-color="#0000ff"/></linearGradient>' +
  '<radialGradient id="b" cx="45" cy="28" r="10" gradientUnits="userSpaceOnUse"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="#063"/></radialGradient></defs>' +
  '<rect width="60" height="20" fill="url(#a)"/><circle cx="45" cy="28" r="10" fill="url(#b)"/>' +
  '<g transform="translate(4 22) rotate(10)" fill="#1d3557"><rect width="20" height="12" rx="3"/><ellipse cx="10" cy="6" rx="6" ry="3" fill="#e63946"/></g>' +
  '<path fill="#000" fill-opacity=".4" fill-rule="evenodd" d="M30 2h20v16H30zM34 6v8h12V6z"/></svg>';

/** A PNG file's pixels, scaled to width x height when given (a supersampled raster). */
async function readPng(file: string, width?: number, height?: number): Promise<RgbaImage> {
  const image = sharp(file).ensureAlpha();
  if (width && height) image.resize(width, height, { fit: 'fill', kernel: 'cubic' });
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

async function engineOutputs(): Promise<[string, string][]> {
  const fixtures = [
    'test/fixtures/ai/gradient-devicon-gitpod.png',
    'test/fixtures/ai/complex-fluent-emoji-flat-night-with-stars.png',
    'test/fixtures/ai/text-devicon-gatsby-wordmark.png',
    'test/fixtures/api/gradient.jpg',
  ];
  const out: [string, string][] = [
    ['logo', (await convertImage(await logoPng('#ffffff'), { mode: 'color' })).svg],
  ];
  for (const f of fixtures)
    out.push([path.basename(f), (await convertImage(readFileSync(f), { mode: 'auto' })).svg]);
  out.push([
    'cutout',
    (await convertImage(await logoPng(), { mode: 'color', params: { layering: 'cutout' } })).svg,
  ]);
  out.push(['rich', RICH]);
  return out;
}

const samples = engineOutputs();

function sizeOf(svg: string): { width: number; height: number } {
  const m = /width="(\d+)" height="(\d+)"/.exec(svg)!;
  return { width: Number(m[1]), height: Number(m[2]) };
}

describe('PDF', () => {
  it('rasterized by poppler, matches the SVG render (SSIM), one page at the image size', async () => {
    for (const [name, svg] of await samples) {
      const { width, height } = sizeOf(svg);
      const pdf = await exportSvg(svg, { format: 'pdf' });
      expect(pdf.contentType).toBe('application/pdf');
      expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
      const file = path.join(tmp, `${name}.pdf`);
      writeFileSync(file, pdf.body);
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      expect(info).toMatch(/Pages:\s+1\n/);
      expect(info).toMatch(new RegExp(`Page size:\\s+${width} x ${height} pts`));
      // vector: no image XObject inside
      expect(execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).split('\n').length).toBe(3);
      execFileSync('pdftoppm', [
        '-r',
        '72',
        '-png',
        '-singlefile',
        '-aa',
        'yes',
        '-aaVector',
        'yes',
        file,
        path.join(tmp, name),
      ]);
      const raster = await readPng(path.join(tmp, `${name}.png`));
      expect([raster.width, raster.height]).toEqual([width, height]);
      const ssim = measureSsim(raster, renderSvg(svg, width, height)).ssim;
      expect(ssim, name).toBeGreaterThan(0.97);
    }
  });

  it('carries the title', async () => {
    const pdf = await exportSvg(RICH, { format: 'pdf' });
    const file = path.join(tmp, 'title.pdf');
    writeFileSync(file, pdf.body);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Title:\s+Rich \(test\)/);
  });
});

describe('EPS', () => {
  it('rendered by Ghostscript, matches the SVG render over white', async () => {
    for (const [name, svg] of await samples) {
      const { width, height } = sizeOf(svg);
      const eps = await exportSvg(svg, { format: 'eps' });
      const text = eps.body.toString('utf8');
      expect(text.startsWith('%!PS-Adobe-3.0 EPSF-3.0\n')).toBe(true);
      expect(text).toContain(`%%BoundingBox: 0 0 ${width} ${height}`);
      const file = path.join(tmp, `${name}.eps`);
      writeFileSync(file, eps.body);
      const out = path.join(tmp, `${name}-eps.png`);
      execFileSync('gs', [
        '-q',
        '-dSAFER',
        '-dBATCH',
        '-dNOPAUSE',
        '-dEPSCrop',
        '-sDEVICE=png16m',
        // gradients at 2x and scaled down: Ghostscript anti-aliases fills but paints a shading into every
        // pixel its clip touches (a jagged, fatter edge at 1x), which is the rasteriser, not the file
        svg.includes('url(#') ? '-r144' : '-r72',
        '-dTextAlphaBits=4',
        '-dGraphicsAlphaBits=4',
        `-sOutputFile=${out}`,
        file,
      ]);
      const raster = await readPng(out, width, height);
      expect([raster.width, raster.height]).toEqual([width, height]);
      // EPS is opaque: compare with the render composited over white (measureSsim's default background)
      const reference = name === 'rich' ? RICH.replace('fill="#000" fill-opacity=".4"', 'fill="#999"') : svg;
      const ssim = measureSsim(raster, renderSvg(reference, width, height)).ssim;
      expect(ssim, name).toBeGreaterThan(0.96);
    }
  });

  it('flattens translucent fills against white (PostScript has no transparency)', async () => {
    const eps = (await exportSvg(RICH, { format: 'eps' })).body.toString('utf8');
    // 40 % black over white
    expect(eps).toContain('0.6 0.6 0.6 setrgbcolor eofill');
  });
});

type DxfEntity = {
  type: string;
  layer: string;
  shape?: boolean;
  closed?: boolean;
  vertices?: { x: number; y: number }[];
  controlPoints?: { x: number; y: number }[];
  knotValues?: number[];
};

/** The DXF's outlines drawn again as an SVG (each layer one even-odd path in its true colour, layer order kept). */
function dxfToSvg(
  text: string,
  width: number,
  height: number,
): { svg: string; layers: string[]; entities: DxfEntity[] } {
  const parsed = new DxfParser().parseSync(text)!;
  const layerTable = parsed.tables.layer.layers as Record<string, { color: number }>;
  const entities = parsed.entities as unknown as DxfEntity[];
  const byLayer = new Map<string, string[]>();
  for (const e of entities) {
    let d = '';
    if (e.type === 'LWPOLYLINE') {
      d = e.vertices!.map((v, i) => `${i ? 'L' : 'M'}${v.x} ${height - v.y}`).join('') + 'Z';
    } else if (e.type === 'SPLINE') {
      const p = e.controlPoints!;
      d = `M${p[0].x} ${height - p[0].y}`;
      for (let i = 1; i + 2 < p.length; i += 3) {
        d += `C${[p[i], p[i + 1], p[i + 2]].map((q) => `${q.x} ${height - q.y}`).join(' ')}`;
      }
      d += 'Z';
    }
    byLayer.set(e.layer, [...(byLayer.get(e.layer) ?? []), d]);
  }
  const layers = [...byLayer.keys()];
  const paths = layers
    .map(
      (name) =>
        `<path fill="#${name.split('-').pop()}" fill-rule="evenodd" d="${byLayer.get(name)!.join('')}"/>`,
    )
    .join('');
  void layerTable;
  return {
    svg: `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${paths}</svg>`,
    layers,
    entities,
  };
}

describe('DXF', () => {
  for (const curves of ['polyline', 'spline'] as const) {
    it(`${curves}s: one layer per colour, closed outlines that redraw the image`, async () => {
      for (const [name, svg] of await samples) {
        // gradients and translucency have no DXF equivalent; checked below
        if (name === 'rich' || svg.includes('url(#')) continue;
        const { width, height } = sizeOf(svg);
        const dxf = await exportSvg(svg, { format: 'dxf', curves });
        const text = dxf.body.toString('utf8');
        const { svg: redrawn, layers, entities } = dxfToSvg(text, width, height);
        const colours = [
          ...new Set(
            [...svg.matchAll(/fill="#([0-9a-f]{3,6})"/g)].map((m) =>
              m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1],
            ),
          ),
        ];
        expect(
          layers.map((l) => l.replace(/^layer-\d+-/, '')),
          name,
        ).toEqual(colours);
        expect(layers.every((l, i) => l.startsWith(`layer-${i + 1}-`))).toBe(true);
        for (const e of entities) {
          expect(e.type).toBe(curves === 'spline' ? 'SPLINE' : 'LWPOLYLINE');
          if (curves === 'polyline') expect(e.shape, 'closed').toBe(true);
        }
        const ssim = measureSsim(renderSvg(redrawn, width, height), renderSvg(svg, width, height)).ssim;
        expect(ssim, `${name} ${curves}`).toBeGreaterThan(0.97);
      }
    });
  }

  it('a gradient counts as its stops’ mean colour, on its own layer', async () => {
    const dxf = await exportSvg(RICH, { format: 'dxf' });
    const { layers } = dxfToSvg(dxf.body.toString('utf8'), 120, 80);
    expect(layers).toEqual([
      'layer-1-aa4455',
      'layer-2-80b399',
      'layer-3-1d3557',
      'layer-4-e63946',
      'layer-5-000000',
    ]);
  });
});

describe('PNG', () => {
  it('renders at any scale with transparency kept', async () => {
    const svg = (await convertImage(await logoPng(), { mode: 'color' })).svg;
    for (const scale of [0.5, 1, 2.5]) {
      const png = await exportSvg(svg, { format: 'png', scale });
      const meta = await sharp(png.body).metadata();
      expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual([
        'png',
        96 * scale,
        96 * scale,
        true,
      ]);
    }
    const png = await exportSvg(svg, { format: 'png', scale: 2 });
    const { data } = await sharp(png.body).raw().toBuffer({ resolveWithObject: true });
    expect(data[3]).toBe(0); // the corner is transparent
    expect([...data.subarray((96 * 192 + 96) * 4, (96 * 192 + 96) * 4 + 4)]).toEqual([0x1d, 0x35, 0x57, 255]);
  });

  it('refuses a scale that would allocate too much, with a clear error', async () => {
    const svg = (await convertImage(await logoPng(), { mode: 'color' })).svg;
    await expect(exportSvg(svg, { format: 'png', scale: 200 })).rejects.toMatchObject({ kind: 'too_large' });
  });
});

describe('what cannot be exported', () => {
  const refused: [string, string][] = [
    [
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>hi</text></svg>',
      '<text> is not supported',
    ],
    [
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><path d="M0 0h5v5z" stroke="#000"/></svg>',
      'strokes',
    ],
    [
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="x.png"/></svg>',
      'Unsafe SVG',
    ],
    [
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><path d="M0 0h5v5z"</svg>',
      'not well-formed',
    ],
    ['<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h5v5z"/></svg>', 'no size'],
    [
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><path fill="url(#nope)" d="M0 0h5v5z"/></svg>',
      'missing gradient',
    ],
  ];
  for (const [svg, message] of refused) {
    it(`refuses: ${message}`, async () => {
      for (const format of ['pdf', 'eps', 'dxf', 'png'] as const) {
        await expect(exportSvg(svg, { format })).rejects.toMatchObject({
          kind: 'undecodable',
          message: expect.stringContaining(message),
        });
      }
    });
  }
});
