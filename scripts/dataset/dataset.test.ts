import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  buildBenchmarkSet,
  categorizeSvg,
  CATEGORIES,
  listSetLicenses,
  loadIconSources,
  renderSource,
  SOURCE_SETS,
  splitOf,
} from './index';

const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">${body}</svg>`;
const gradient = (a: string, b: string, used = true) =>
  svg(
    `<defs><linearGradient id="g"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs>` +
      `<rect width="10" height="10" fill="${used ? 'url(#g)' : '#123456'}"/>`,
  );

describe('categorizeSvg rules', () => {
  it('calls a referenced gradient with visibly different stops a gradient', () => {
    expect(categorizeSvg(gradient('#ff0000', '#0000ff')).category).toBe('gradient');
  });
  it('ignores gradients whose stops look the same or that nothing uses', () => {
    expect(categorizeSvg(gradient('#ff0000', '#fa0202')).category).toBe('simple');
    expect(categorizeSvg(gradient('#ff0000', '#0000ff', false)).category).toBe('simple');
  });
  it('follows href to inherited stops', () => {
    const s = svg(
      '<linearGradient id="a"><stop stop-color="#000"/><stop offset="1" stop-color="#fff"/></linearGradient>' +
        '<linearGradient id="b" xlink:href="#a" x1="0" x2="1"/><rect width="10" height="10" fill="url(#b)"/>',
    );
    expect(categorizeSvg(s).category).toBe('gradient');
  });
  it('calls text a word mark, and many colours complex', () => {
    expect(categorizeSvg(svg('<text x="1" y="8">Hi</text>')).category).toBe('text');
    expect(categorizeSvg(svg('<path d="M0 0h1v1z"/>'), { isWordmark: true }).category).toBe('text');
    const six = ['#f00', '#0f0', '#00f', '#ff0', '#0ff', '#f0f'].map(
      (c, i) => `<rect x="${i}" width="1" height="1" fill="${c}"/>`,
    );
    expect(categorizeSvg(svg(six.join(''))).category).toBe('complex');
    expect(categorizeSvg(svg(six.slice(0, 3).join(''))).category).toBe('simple');
    // Near-identical colours count once.
    const near = ['#f00', '#fe0101', '#fd0202', '#fc0303', '#0f0'].map(
      (c, i) => `<rect x="${i}" width="1" height="1" fill="${c}"/>`,
    );
    expect(categorizeSvg(svg(near.join(''))).category).toBe('simple');
  });
});

describe('loadIconSources', () => {
  const sources = loadIconSources();
  const byId = new Map(sources.map((s) => [s.id, s]));

  it('labels known icons as expected', () => {
    expect(byId.get('simple-icons:github')?.category).toBe('simple');
    expect(byId.get('twemoji:red-heart')?.category).toBe('simple');
    expect(byId.get('devicon:python')?.category).toBe('gradient');
    expect(byId.get('vscode-icons:file-type-python')?.category).toBe('gradient');
    expect(byId.get('devicon:react-wordmark')?.category).toBe('text');
    // simple-icons lettering logos (a wide row of glyphs) are word marks; symbols and monograms stay simple
    expect(byId.get('simple-icons:amd')?.category).toBe('text');
    expect(byId.get('simple-icons:sonos')?.category).toBe('text');
    expect(byId.get('simple-icons:razer')?.category).toBe('simple');
    expect(byId.get('twemoji:man-pouting-light-skin-tone')?.category).toBe('complex');
    expect(byId.get('fluent-emoji-flat:man-teacher-light')?.category).toBe('complex');
    expect(sources.filter((s) => s.set === 'wordmarks').every((s) => s.category === 'text')).toBe(true);
  });

  it('recolours simple-icons with the brand colour', () => {
    expect(byId.get('simple-icons:github')?.svg).toMatch(/fill="#181717"/);
  });

  it('is deterministic, unique, covers every set and category, and records licences', () => {
    const again = loadIconSources().map((s) => s.id);
    expect(again).toEqual(sources.map((s) => s.id));
    expect(new Set(again).size).toBe(again.length);
    expect(new Set(sources.map((s) => s.set))).toEqual(new Set(SOURCE_SETS));
    for (const c of CATEGORIES) expect(sources.filter((s) => s.category === c).length).toBeGreaterThan(200);
    expect(sources.every((s) => s.license.length > 0)).toBe(true);
    const licenses = listSetLicenses();
    expect(licenses['simple-icons']).toBe('CC0-1.0');
    expect(licenses.twemoji).toBe('CC-BY-4.0');
    expect(licenses.devicon).toBe('MIT');
  });
});

describe('renderSource', () => {
  const [heart] = loadIconSources().filter((s) => s.id === 'twemoji:red-heart');
  it('renders at the requested size and keeps transparency', async () => {
    const { png, rgba } = await renderSource(heart, { size: 96, background: 'transparent' });
    expect([rgba.width, rgba.height]).toEqual([96, 96]);
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height, meta.hasAlpha]).toEqual([96, 96, true]);
    expect(rgba.data[3]).toBe(0); // corner is outside the heart
    const centre = (48 * 96 + 48) * 4;
    expect(rgba.data[centre + 3]).toBe(255);
    expect(rgba.data[centre]).toBeGreaterThan(180); // red
    // The PNG round-trips to the same pixels.
    const raw = await sharp(png).ensureAlpha().raw().toBuffer();
    expect(Buffer.compare(raw, Buffer.from(rgba.data))).toBe(0);
  });

  it('flattens onto white when asked', async () => {
    const { rgba } = await renderSource(heart, { size: 64, background: 'white' });
    for (let i = 3; i < rgba.data.length; i += 4) expect(rgba.data[i]).toBe(255);
    expect(Array.from(rgba.data.subarray(0, 3))).toEqual([255, 255, 255]);
  });

  it('renders word marks with the bundled fonts', async () => {
    const mark = loadIconSources().find((s) => s.set === 'wordmarks')!;
    const { rgba } = await renderSource(mark, { size: 128, background: 'transparent' });
    let ink = 0;
    for (let i = 3; i < rgba.data.length; i += 4) if (rgba.data[i] > 0) ink++;
    expect(ink).toBeGreaterThan(300);
  });
});

describe('splitOf and buildBenchmarkSet', () => {
  it('splits by source id, stable, about 70/15/15', () => {
    const ids = loadIconSources().map((s) => s.id);
    const counts = { train: 0, val: 0, test: 0 };
    for (const id of ids) counts[splitOf(id)]++;
    expect(counts.train / ids.length).toBeGreaterThan(0.66);
    expect(counts.train / ids.length).toBeLessThan(0.74);
    expect(counts.test / ids.length).toBeGreaterThan(0.12);
    expect(splitOf('twemoji:red-heart')).toBe(splitOf('twemoji:red-heart'));
  });

  it('builds a balanced, deterministic set from the test split on both backgrounds', async () => {
    const a = await buildBenchmarkSet({ perCategory: 3, size: 48, seed: 9 });
    const b = await buildBenchmarkSet({ perCategory: 3, size: 48, seed: 9 });
    expect(a.map((x) => x.id)).toEqual(b.map((x) => x.id));
    expect(a).toHaveLength(4 * 3 * 2);
    for (const c of CATEGORIES) expect(a.filter((x) => x.category === c)).toHaveLength(6);
    expect(a.every((x) => x.split === 'test' && x.source.category === x.category)).toBe(true);
    expect(a.filter((x) => x.background === 'transparent')).toHaveLength(12);
    expect(a.every((x) => x.rgba.width === 48 && x.rgba.height === 48)).toBe(true);
    const other = await buildBenchmarkSet({ perCategory: 3, size: 48, seed: 10 });
    expect(other.map((x) => x.id)).not.toEqual(a.map((x) => x.id));
  });
});
