/** Loads labelled source SVGs from the icon-set dev dependencies and the synthetic word marks. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import type { ImageType } from '@/lib/ai/types';
import { categorizeSvg } from './categorize';
import { fontLicense } from './fonts';
import { buildWordmarks } from './wordmarks';

const require = createRequire(import.meta.url);

export type IconSource = {
  /** `${set}:${name}`, unique and stable across runs. */
  id: string;
  set: string;
  name: string;
  /** Self-contained SVG with a square viewBox (the icon centred with a 1/16 margin each side). */
  svg: string;
  category: ImageType;
  /** SPDX id of the icon's licence. */
  license: string;
};

const ICONIFY_SETS = ['twemoji', 'fluent-emoji-flat', 'flat-color-icons', 'vscode-icons', 'devicon'] as const;
const WORDMARK_SET = 'wordmarks';
const SIMPLE_ICONS_SET = 'simple-icons';
/** Every set, in the order sources are listed. */
export const SOURCE_SETS = [SIMPLE_ICONS_SET, ...ICONIFY_SETS, WORDMARK_SET] as const;

/** Word marks generated for the `text` category; devicon's *-wordmark icons add more. */
const WORDMARK_COUNT = 320;
/** Margin around each icon as a share of its size, so shapes do not touch the image border. */
const MARGIN = 1 / 16;
/**
 * A simple-icons logo is a word mark when its drawing is a wide row of separate glyphs: bounding box at least
 * this many times wider than tall and at least WORDMARK_MIN_GLYPHS subpaths. simple-icons' metadata (title,
 * slug, hex, source, aliases) does not say which logos are lettering, so the geometry decides. Squarish
 * lettered logos (a monogram in a badge) stay logos: they read as a symbol, not as a line of text.
 */
const WORDMARK_MIN_ASPECT = 2.5;
const WORDMARK_MIN_GLYPHS = 3;
/** simple-icons brand colours lighter than this (BT.601 luma) would be invisible on white, so are left out. */
const MAX_BRAND_LUMA = 220;

type IconifyIcon = {
  body: string;
  width?: number;
  height?: number;
  left?: number;
  top?: number;
  hidden?: boolean;
};
type IconifyJson = {
  icons: Record<string, IconifyIcon>;
  width?: number;
  height?: number;
  left?: number;
  top?: number;
};

const round = (v: number) => Math.round(v * 1e4) / 1e4;

/** Square viewBox around (left, top, width, height) with the margin. */
function squareViewBox(left: number, top: number, width: number, height: number): string {
  const side = Math.max(width, height) * (1 + 2 * MARGIN);
  return [left - (side - width) / 2, top - (side - height) / 2, side, side].map(round).join(' ');
}

function wrapSvg(viewBox: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="${viewBox}">` +
    `${body}</svg>`
  );
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** True for a simple-icons path that is a row of glyphs (a word mark), by the rule above. */
export function isWordmarkPath(svg: string, d: string): boolean {
  const subpaths = (d.match(/[Mm]/g) ?? []).length;
  if (subpaths < WORDMARK_MIN_GLYPHS) return false;
  const box = new Resvg(svg).innerBBox();
  return !!box && box.height > 0 && box.width / box.height >= WORDMARK_MIN_ASPECT;
}

function loadSimpleIcons(): IconSource[] {
  const dataFile = require.resolve('simple-icons/icons.json');
  const pkgDir = path.dirname(path.dirname(dataFile));
  const pkgLicense = readJson<{ license: string }>(path.join(pkgDir, 'package.json')).license;
  const data = readJson<{ slug: string; hex: string; license?: { type: string } }[]>(dataFile);
  const out: IconSource[] = [];
  for (const icon of data) {
    const n = parseInt(icon.hex, 16);
    const luma = 0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
    if (luma > MAX_BRAND_LUMA) continue;
    const file = readFileSync(path.join(pkgDir, 'icons', `${icon.slug}.svg`), 'utf8');
    const d = /<path[^>]*\sd="([^"]+)"/.exec(file)?.[1];
    if (!d) continue;
    // Recoloured with the brand hex: simple-icons ships them black, brands are not.
    const svg = wrapSvg(squareViewBox(0, 0, 24, 24), `<path fill="#${icon.hex}" d="${d}"/>`);
    out.push({
      id: `${SIMPLE_ICONS_SET}:${icon.slug}`,
      set: SIMPLE_ICONS_SET,
      name: icon.slug,
      svg,
      category: categorizeSvg(svg, { isWordmark: isWordmarkPath(svg, d) }).category,
      license: icon.license?.type ?? pkgLicense,
    });
  }
  return out;
}

function loadIconifySet(set: (typeof ICONIFY_SETS)[number]): IconSource[] {
  const json = readJson<IconifyJson>(require.resolve(`@iconify-json/${set}/icons.json`));
  const info = readJson<{ license?: { spdx?: string; title?: string } }>(
    require.resolve(`@iconify-json/${set}/info.json`),
  );
  const license = info.license?.spdx ?? info.license?.title ?? 'UNKNOWN';
  const out: IconSource[] = [];
  for (const [name, icon] of Object.entries(json.icons)) {
    if (icon.hidden) continue;
    // Embedded rasters, fonts of unknown files and foreign content would make the reference image unreliable.
    if (/<(image|text|foreignObject)[\s>]/.test(icon.body)) continue;
    const w = icon.width ?? json.width ?? 16;
    const h = icon.height ?? json.height ?? 16;
    const svg = wrapSvg(
      squareViewBox(icon.left ?? json.left ?? 0, icon.top ?? json.top ?? 0, w, h),
      icon.body,
    );
    const isWordmark = set === 'devicon' && name.includes('wordmark');
    out.push({
      id: `${set}:${name}`,
      set,
      name,
      svg,
      category: categorizeSvg(svg, { isWordmark }).category,
      license,
    });
  }
  return out;
}

function loadWordmarks(): IconSource[] {
  const license = fontLicense();
  return buildWordmarks(WORDMARK_COUNT).map((w) => ({
    id: `${WORDMARK_SET}:${w.name}`,
    set: WORDMARK_SET,
    name: w.name,
    svg: w.svg,
    category: categorizeSvg(w.svg).category,
    license,
  }));
}

let cache: IconSource[] | null = null;

/** All sources, sorted by set (SOURCE_SETS order) then name. Loaded once per process (a few seconds). */
export function loadIconSources(): IconSource[] {
  if (!cache) {
    const bySet: IconSource[][] = [loadSimpleIcons(), ...ICONIFY_SETS.map(loadIconifySet), loadWordmarks()];
    cache = bySet.flatMap((list) => list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
  }
  return cache.slice();
}

/** Licence of each set, as its package declares it. */
export function listSetLicenses(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of loadIconSources()) out[s.set] ??= s.set === SIMPLE_ICONS_SET ? 'CC0-1.0' : s.license;
  return out;
}
