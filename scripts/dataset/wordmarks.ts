/** Synthetic word marks (brand-like names set in real fonts), the `text` sources no icon set provides enough of. */
import { Resvg } from '@resvg/resvg-js';
import { listFontStyles, type FontStyle } from './fonts';
import { createRandom } from './random';

type Wordmark = { name: string; svg: string; fontFile: string };

const SYLLABLES = [
  'ac',
  'me',
  'no',
  'va',
  'zen',
  'lu',
  'mi',
  'ra',
  'tek',
  'so',
  'fi',
  'ka',
  'pro',
  'ly',
  'on',
  'ex',
  'io',
  'vo',
  'qua',
  'del',
  'ta',
  'bri',
  'ght',
  'sta',
  'ck',
  'ne',
  'xo',
  'pi',
  'xel',
  'cor',
  'ba',
  'nk',
  'hu',
  'bo',
  'ar',
  'gen',
  'ix',
  'fy',
  'mo',
  'ver',
  'sa',
  'lt',
  'ori',
  'um',
];
const TAGLINES = [
  'studio',
  'labs',
  'systems',
  'coffee co.',
  'since 1987',
  'digital',
  'foods',
  'bank',
  'design',
  'cloud',
];
/** Brand-like ink colours, all dark or saturated enough to read on white. */
const INKS = [
  '#111111',
  '#1d3557',
  '#e63946',
  '#2a9d8f',
  '#264653',
  '#6a0dad',
  '#d35400',
  '#0b6e4f',
  '#c2185b',
  '#1565c0',
  '#333333',
  '#8d5524',
];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)];
}

function makeName(random: () => number): string {
  const n = 2 + Math.floor(random() * 2);
  let s = '';
  for (let i = 0; i < n; i++) s += pick(SYLLABLES, random);
  return s;
}

function fontAttrs(f: FontStyle): string {
  return (
    `font-family="${f.family}" font-weight="${f.weight}"` +
    (f.italic ? ' font-style="italic"' : '') +
    (f.condensed ? ' font-stretch="condensed"' : '')
  );
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Builds `count` word marks deterministically. Layouts: one word in one ink; two parts in two inks; all caps with
 * letter spacing; name over a smaller tagline. Each is measured with resvg (the font loaded) and given a square
 * viewBox centred on its ink with an 8% margin, so it renders like an uploaded word mark on a square canvas.
 */
export function buildWordmarks(count: number, seed = 20251127): Wordmark[] {
  const random = createRandom(seed);
  const styles = listFontStyles();
  const out: Wordmark[] = [];
  const seen = new Set<string>();
  while (out.length < count) {
    let name = makeName(random);
    const style = styles[out.length % styles.length];
    const layout = Math.floor(random() * 4);
    const ink = pick(INKS, random);
    let ink2 = pick(INKS, random);
    if (ink2 === ink) ink2 = INKS[(INKS.indexOf(ink) + 5) % INKS.length];
    const cased = random() < 0.5 ? name[0].toUpperCase() + name.slice(1) : name;
    let body: string;
    const attrs = fontAttrs(style);
    if (layout === 0) {
      body = `<text x="0" y="0" ${attrs} font-size="100" fill="${ink}">${escapeXml(cased)}</text>`;
    } else if (layout === 1) {
      const cut = Math.max(2, Math.floor(name.length / 2));
      body =
        `<text x="0" y="0" ${attrs} font-size="100"><tspan fill="${ink}">${escapeXml(cased.slice(0, cut))}</tspan>` +
        `<tspan fill="${ink2}">${escapeXml(cased.slice(cut))}</tspan></text>`;
    } else if (layout === 2) {
      name = name.toUpperCase();
      body = `<text x="0" y="0" ${attrs} font-size="100" letter-spacing="12" fill="${ink}">${escapeXml(name)}</text>`;
    } else {
      const tag = pick(TAGLINES, random);
      body =
        `<text x="0" y="0" ${attrs} font-size="100" fill="${ink}">${escapeXml(cased)}</text>` +
        `<text x="4" y="70" ${attrs} font-size="44" fill="${random() < 0.5 ? ink2 : '#666666'}">${escapeXml(tag)}</text>`;
    }
    const key = `${name}-${layout}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const probe = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="-100 -300 2000 800">${body}</svg>`;
    const box = new Resvg(probe, { font: { loadSystemFonts: false, fontFiles: [style.file] } }).getBBox();
    if (!box || box.width <= 0) continue;
    const side = Math.max(box.width, box.height) * 1.16;
    const x0 = box.x + box.width / 2 - side / 2;
    const y0 = box.y + box.height / 2 - side / 2;
    const r = (v: number) => Math.round(v * 100) / 100;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${r(x0)} ${r(y0)} ${r(side)} ${r(side)}">${body}</svg>`;
    out.push({ name: `${name.toLowerCase()}-${layout}-${out.length}`, svg, fontFile: style.file });
  }
  return out;
}
