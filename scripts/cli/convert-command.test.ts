import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logoPng, pixelBombPng, solidPng } from '@/test/fixtures/images';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

/** `npm run cli` runs scripts/cli/launch.mjs (bundled); the source entry also runs through tsx. */
async function cli(args: string[], launcher = ['scripts/cli/launch.mjs']) {
  try {
    const { stdout, stderr } = await run(process.execPath, [...launcher, ...args], {
      cwd: root,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('cli convert', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'svgai-cli-'));
    await writeFile(path.join(dir, 'a-logo.png'), await logoPng('#ffffff'));
    await writeFile(path.join(dir, 'b-broken.png'), Buffer.from('this is a text file renamed to .png\n'));
    await writeFile(path.join(dir, 'c-square.jpg'), await solidPng(32, 32, '#3366cc'));
    await writeFile(path.join(dir, 'notes.txt'), 'not an image, skipped when listing folders');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('converts a folder with one bad file: others converted, JSON lines, exit code 1', async () => {
    const out = path.join(dir, 'out');
    const r = await cli(['convert', dir, '--out-dir', out, '--mode', 'color']);
    expect(r.code).toBe(1);
    const rows = lines(r.stdout);
    expect(rows.map((x) => path.basename(String(x.input)))).toEqual([
      'a-logo.png',
      'b-broken.png',
      'c-square.jpg',
    ]);
    const [a, b, c] = rows;
    expect(a).toMatchObject({ width: 96, height: 96, mode: 'color', output: path.join(out, 'a-logo.svg') });
    for (const key of ['params', 'ssim', 'ssimLuma', 'psnr', 'gmsd', 'bytes', 'paths', 'ms'])
      expect(a).toHaveProperty(key);
    expect(a.ssim as number).toBeGreaterThan(0.9);
    expect(b).toMatchObject({ error: 'unsupported_type' });
    expect(String(b.message)).toMatch(/text/);
    expect(c).toMatchObject({ width: 32, height: 32, paths: 1 });
    expect(r.stderr).toContain('b-broken.png');
    expect((await readdir(out)).sort()).toEqual(['a-logo.svg', 'c-square.svg']);
    const svg = await readFile(path.join(out, 'a-logo.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns/);
    expect(Buffer.byteLength(svg)).toBe(a.bytes);
  });

  it('exits 0 when every file converts, and reports a pixel bomb and a missing file as errors', async () => {
    const out = path.join(dir, 'out2');
    const ok = await cli([
      'convert',
      path.join(dir, 'c-square.jpg'),
      '-o',
      out,
      '--no-measure',
      '--colors',
      '4',
    ]);
    expect(ok.code).toBe(0);
    const [row] = lines(ok.stdout);
    expect(row.ssim).toBeNull();
    expect((row.params as { colors: number }).colors).toBe(4);

    await writeFile(path.join(dir, 'bomb.png'), pixelBombPng());
    const bad = await cli(['convert', path.join(dir, 'bomb.png'), path.join(dir, 'missing.png'), '-o', out]);
    expect(bad.code).toBe(1);
    expect(lines(bad.stdout).map((x) => x.error)).toEqual(['too_large', 'not_found']);
  });

  it('refuses invalid options before converting anything', async () => {
    const r = await cli(['convert', dir, '-o', path.join(dir, 'out3'), '--colors', '1000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/colors/);
    expect(r.stdout).toBe('');
  });

  it('routes by --quality: fast is tier 1, best is tier 3; bad levels and targets are refused', async () => {
    const logo = path.join(dir, 'a-logo.png');
    const fast = lines(
      (await cli(['convert', logo, '-o', path.join(dir, 'out-fast'), '--quality', 'fast'])).stdout,
    )[0];
    expect(fast).toMatchObject({ tier: 1 });
    for (const key of ['type', 'confidence', 'iterations']) expect(fast).toHaveProperty(key);
    const best = await cli([
      'convert',
      logo,
      '-o',
      path.join(dir, 'out-best'),
      '-q',
      'best',
      '--time-budget',
      '1500',
    ]);
    expect(best.code).toBe(0);
    expect(lines(best.stdout)[0]).toMatchObject({ tier: 3 });

    const badLevel = await cli(['convert', logo, '-o', path.join(dir, 'out-bad'), '--quality', 'perfect']);
    expect(badLevel.code).not.toBe(0);
    expect(badLevel.stderr).toMatch(/quality/);
    const badTarget = await cli(['convert', logo, '-o', path.join(dir, 'out-bad'), '--target-ssim', '1.5']);
    expect(badTarget.code).toBe(2);
    expect(badTarget.stderr).toMatch(/target-ssim/);
  });

  it('converts a larger batch on worker threads, reporting lines in input order', async () => {
    const batch = path.join(dir, 'batch');
    await mkdir(batch);
    const colours = ['#e63946', '#2a9d8f', '#264653', '#f4a261', '#8338ec', '#ffbe0b', '#3a86ff', '#06d6a0'];
    for (let i = 0; i < 16; i++) {
      const name = path.join(batch, `img-${String(i).padStart(2, '0')}.png`);
      if (i === 5) await writeFile(name, Buffer.from('not a png'));
      else await writeFile(name, await solidPng(24 + i, 20, colours[i % colours.length]));
    }
    const out = path.join(dir, 'batch-out');
    const r = await cli(['convert', batch, '-o', out, '--jobs', '2']);
    expect(r.code).toBe(1);
    const rows = lines(r.stdout);
    expect(rows.map((x) => path.basename(String(x.input)))).toEqual(
      Array.from({ length: 16 }, (_, i) => `img-${String(i).padStart(2, '0')}.png`),
    );
    expect(rows[5]).toMatchObject({ error: 'unsupported_type' });
    expect(rows.filter((x) => x.error === undefined).map((x) => x.width)).toEqual(
      Array.from({ length: 16 }, (_, i) => 24 + i).filter((w) => w !== 29),
    );
    expect((await readdir(out)).length).toBe(15);
  });

  it('runs the same straight from the TypeScript source through tsx', async () => {
    const out = path.join(dir, 'out4');
    const r = await cli(
      ['convert', path.join(dir, 'a-logo.png'), '-o', out],
      ['--import', 'tsx', 'scripts/cli.ts'],
    );
    expect(r.code).toBe(0);
    expect(lines(r.stdout)[0]).toMatchObject({ width: 96, height: 96, output: path.join(out, 'a-logo.svg') });
  });

  it('writes every asked format per input, read back: PDF, EPS, DXF and PNG at a scale', async () => {
    const out = path.join(dir, 'formats');
    const r = await cli([
      'convert',
      path.join(dir, 'a-logo.png'),
      '--out-dir',
      out,
      '--format',
      'svg,pdf,eps,dxf,png',
      '--scale',
      '2',
      '--dxf-curves',
      'spline',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const [row] = lines(r.stdout);
    const base = path.join(out, 'a-logo');
    expect(row.output).toBe(`${base}.svg`);
    expect(row.outputs).toEqual({
      svg: `${base}.svg`,
      pdf: `${base}.pdf`,
      eps: `${base}.eps`,
      dxf: `${base}.dxf`,
      png: `${base}.png`,
    });
    expect((await readFile(`${base}.pdf`)).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await readFile(`${base}.eps`, 'utf8')).startsWith('%!PS-Adobe-3.0 EPSF-3.0')).toBe(true);
    expect(await readFile(`${base}.dxf`, 'utf8')).toMatch(/SPLINE/);
    const png = await readFile(`${base}.png`);
    // IHDR width and height: 96 px at scale 2
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([192, 192]);
  });

  it('applies a user palette, an exact colour count and removed colours', async () => {
    const out = path.join(dir, 'palette');
    const input = path.join(dir, 'a-logo.png');
    const fills = async (svgFile: string) =>
      [...(await readFile(svgFile, 'utf8')).matchAll(/fill="(#[0-9a-f]+)"/g)].map((m) => m[1]);
    const branded = await cli(['convert', input, '--out-dir', out, '--palette', '#ff0000, #000080,#ffffff']);
    expect(branded.code, branded.stderr).toBe(0);
    expect(await fills(path.join(out, 'a-logo.svg'))).toEqual(['#fff', '#f00', '#000080']);
    const two = await cli([
      'convert',
      input,
      '--out-dir',
      out,
      '--color-count',
      '2',
      '--remove-colors',
      '#fff',
    ]);
    expect(two.code, two.stderr).toBe(0);
    expect(await fills(path.join(out, 'a-logo.svg'))).toHaveLength(1);
  });

  it('--background, --ink and the SVG options: mono in one ink on paper, pretty, titled, in named layers', async () => {
    const out = path.join(dir, 'designer');
    const input = path.join(dir, 'a-logo.png');
    const r = await cli([
      'convert',
      input,
      '--out-dir',
      out,
      '--mode',
      'mono',
      '--ink',
      '#1d3557',
      '--background',
      '#ffcc00',
      '--svg',
      'pretty',
      '--title',
      '{name} (mono)',
      '--layers',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const svg = await readFile(path.join(out, 'a-logo.svg'), 'utf8');
    expect(svg).toContain('\n  <title>a-logo &#40;mono)</title>\n  <g id="layer-1">\n    <path fill="#fc0"');
    expect([...svg.matchAll(/fill="(#[0-9a-f]+)"/g)].map((m) => m[1])).toEqual(['#fc0', '#1d3557']);
    const dropped = await cli(['convert', input, '--out-dir', out, '--mode', 'mono', '--background', 'drop']);
    expect(dropped.code, dropped.stderr).toBe(0);
    const black = await readFile(path.join(out, 'a-logo.svg'), 'utf8');
    expect([...black.matchAll(/fill="(#[0-9a-f]+)"/g)].map((m) => m[1])).toEqual(['#000']);
    expect(black).not.toContain('\n');
  });

  it('switches the exact fills off with --no-primitives (and reports it in params)', async () => {
    const out = path.join(dir, 'switches');
    const input = path.join(dir, 'a-logo.png');
    const exact = await cli(['convert', input, '--out-dir', out, '--mode', 'color']);
    expect(exact.code, exact.stderr).toBe(0);
    expect(await readFile(path.join(out, 'a-logo.svg'), 'utf8')).toMatch(/<circle /);
    const traced = await cli([
      'convert',
      input,
      '--out-dir',
      out,
      '--mode',
      'color',
      '--no-primitives',
      '--no-gradients',
    ]);
    expect(traced.code, traced.stderr).toBe(0);
    expect(await readFile(path.join(out, 'a-logo.svg'), 'utf8')).not.toMatch(/<(circle|ellipse|rect) /);
    const params = lines(traced.stdout)[0].params as Record<string, unknown>;
    expect(params).toMatchObject({ primitives: false, gradients: false, translucency: true });
  });

  it('refuses bad formats and palettes in the words of the command line', async () => {
    const out = path.join(dir, 'bad');
    const input = path.join(dir, 'a-logo.png');
    for (const [args, message] of [
      [['--format', 'svg,gif'], '--format: "gif" is not one of svg, pdf, eps, dxf, png'],
      [['--format', 'png', '--scale', '99'], '--scale: Too big'],
      [['--palette', '#ff0000,red'], '--palette: must be a hex colour'],
      [['--color-count', '0'], '--color-count: Too small'],
      [['--palette', '#000', '--color-count', '3'], '--color-count: count and colors exclude each other'],
      [['--background', 'transparent'], '--background: must be keep, drop or a hex colour'],
      [['--ink', 'black'], '--ink: must be a hex colour'],
      [['--svg', 'compact'], '--svg: Invalid option: expected one of "minified"|"pretty"'],
      [['--title', 'x'.repeat(201)], '--title: Too big'],
    ] as const) {
      const r = await cli(['convert', input, '--out-dir', out, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });

  it('documents every option in --help', async () => {
    const r = await cli(['convert', '--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--out-dir',
      '--mode',
      '--colors',
      '--speckle',
      '--corner-threshold',
      '--curve-tolerance',
      '--precision',
      '--layering',
      '--min-region-area',
      '--blur',
      '--threshold',
      '--subpixel',
      '--no-measure',
      '--quality',
      '--target-ssim',
      '--time-budget',
      '--background',
      '--ink',
      '--svg',
      '--title',
      '--layers',
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });
});
