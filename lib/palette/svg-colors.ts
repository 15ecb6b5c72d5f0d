/**
 * The palette of a finished SVG, read and rewritten without re-tracing: its swatches, recolouring (which is also
 * how two swatches merge), dropping a colour, and snapping every colour to a user palette. Our outputs keep every
 * colour in attributes (fill, stroke, stop-color, with fill-opacity / stop-opacity beside them), never in a
 * <style> block, so rewriting attributes is exact. Browser-safe: the swatch editor runs it on every click.
 */
import { nearestIndex, parseCssColor, parseHex, type Rgb } from './css-color';

const COLOR_ATTRS = ['fill', 'stroke', 'stop-color'] as const;
const SHAPES = new Set(['path', 'rect', 'circle', 'ellipse', 'polygon', 'polyline', 'line', 'g', 'use']);

type Attr = { name: string; raw: string };
type Tag = {
  name: string;
  attrs: Attr[];
  /** Offsets of the tag's own text in the document. */
  start: number;
  end: number;
  selfClosing: boolean;
  /** End offset of the whole element (its children and closing tag included). */
  elementEnd: number;
};
type Edit = { start: number; end: number; text: string };

const ATTR = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/y;

/** Every start tag of the document, in order, with the extent of its element. Comments and the like are skipped. */
function scanTags(svg: string): Tag[] {
  const tags: Tag[] = [];
  const open: Tag[] = [];
  let i = 0;
  while ((i = svg.indexOf('<', i)) >= 0) {
    if (svg.startsWith('<!--', i)) {
      i = skipPast(svg, '-->', i);
      continue;
    }
    if (svg.startsWith('<![CDATA[', i)) {
      i = skipPast(svg, ']]>', i);
      continue;
    }
    if (svg[i + 1] === '?' || svg[i + 1] === '!') {
      i = skipPast(svg, '>', i);
      continue;
    }
    if (svg[i + 1] === '/') {
      const end = skipPast(svg, '>', i);
      const name = svg.slice(i + 2, end - 1).trim();
      // close the innermost open element of that name (and anything left unclosed inside it)
      for (let k = open.length - 1; k >= 0; k--) {
        if (open[k].name === name) {
          for (const t of open.splice(k)) t.elementEnd = end;
          break;
        }
      }
      i = end;
      continue;
    }
    const nameMatch = /^<([A-Za-z_][\w:.-]*)/.exec(svg.slice(i, i + 64));
    if (!nameMatch) {
      i++;
      continue;
    }
    let p = i + nameMatch[0].length;
    const attrs: Attr[] = [];
    for (;;) {
      while (p < svg.length && /\s/.test(svg[p])) p++;
      if (p >= svg.length || svg[p] === '>' || svg.startsWith('/>', p)) break;
      ATTR.lastIndex = p;
      const m = ATTR.exec(svg);
      if (!m || m[0].length === 0) {
        p++;
        continue;
      }
      attrs.push({ name: m[1], raw: m[2] ?? m[3] ?? '' });
      p += m[0].length;
    }
    const selfClosing = svg.startsWith('/>', p);
    const end = Math.min(svg.length, p + (selfClosing ? 2 : 1));
    const tag: Tag = { name: nameMatch[1], attrs, start: i, end, selfClosing, elementEnd: end };
    tags.push(tag);
    if (!selfClosing) open.push(tag);
    i = end;
  }
  return tags;
}

/** #aabbcc as #abc, the form the SVG builder writes (other values as they are). */
function shortHex(value: string): string {
  const m = /^#([0-9a-f])\1([0-9a-f])\2([0-9a-f])\3$/i.exec(value);
  return m ? `#${m[1]}${m[2]}${m[3]}`.toLowerCase() : value;
}

function skipPast(s: string, token: string, from: number): number {
  const at = s.indexOf(token, from);
  return at < 0 ? s.length : at + token.length;
}

function attr(tag: Tag, name: string): string | undefined {
  return tag.attrs.find((a) => a.name === name)?.raw;
}

function renderTag(tag: Tag, attrs: Attr[]): string {
  const body = attrs.map((a) => ` ${a.name}="${a.raw.replace(/"/g, '&quot;')}"`).join('');
  return `<${tag.name}${body}${tag.selfClosing ? '/>' : '>'}`;
}

function applyEdits(svg: string, edits: Edit[]): string {
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of edits) {
    if (e.start < at) continue; // inside an element already removed
    out += svg.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + svg.slice(at);
}

/**
 * Rewrites every colour attribute: `map` gets the colour as #rrggbb and returns its replacement (or the same
 * value to keep it). Values that are not plain colours (none, url(#…), currentColor) are never passed.
 */
export function mapSvgColors(svg: string, map: (color: string, attribute: string) => string): string {
  const edits: Edit[] = [];
  for (const tag of scanTags(svg)) {
    let changed = false;
    const attrs = tag.attrs.map((a) => {
      if (!(COLOR_ATTRS as readonly string[]).includes(a.name)) return a;
      const color = parseCssColor(a.raw);
      if (color === null) return a;
      const next = map(color, a.name);
      if (next === color) return a;
      changed = true;
      return { name: a.name, raw: shortHex(next) };
    });
    if (changed) edits.push({ start: tag.start, end: tag.end, text: renderTag(tag, attrs) });
  }
  return applyEdits(svg, edits);
}

export type Swatch = {
  /** #rrggbb */
  color: string;
  /** Shapes (and groups) painted with it. */
  shapes: number;
  /** Gradient stops of this colour. */
  stops: number;
};

/** The document's colours in paint order (the bottom layer first), each with where it is used. */
export function listSwatches(svg: string): Swatch[] {
  const byColor = new Map<string, Swatch>();
  for (const tag of scanTags(svg)) {
    for (const name of COLOR_ATTRS) {
      const raw = attr(tag, name);
      const color = raw === undefined ? null : parseCssColor(raw);
      if (color === null) continue;
      const swatch = byColor.get(color) ?? { color, shapes: 0, stops: 0 };
      if (name === 'stop-color') swatch.stops++;
      else swatch.shapes++;
      byColor.set(color, swatch);
    }
  }
  return [...byColor.values()];
}

/** Replaces colours by the `mapping` (#rrggbb keys and values); merging swatch A into B is `{A: B}`. */
export function recolorSvg(svg: string, mapping: Record<string, string>): string {
  const normalized = new Map(
    Object.entries(mapping).map(([from, to]) => [parseCssColor(from) ?? from, parseCssColor(to) ?? to]),
  );
  return mapSvgColors(svg, (color) => normalized.get(color) ?? color);
}

/** Every colour replaced by the nearest of `palette` (#rrggbb values): the paint step of a user palette. */
export function snapSvgColors(svg: string, palette: readonly string[]): string {
  if (palette.length === 0) return svg;
  const rgb: Rgb[] = palette.map((hex) => parseHex(hex));
  return mapSvgColors(svg, (color) => palette[nearestIndex(rgb, parseHex(color))]);
}

/**
 * Removes what is painted in `color`: shapes and groups filled with it go (with their children), gradient stops
 * of that colour turn transparent, and shapes whose gradient has no visible stop left go too.
 */
export function dropSvgColor(svg: string, color: string): string {
  const target = parseCssColor(color);
  if (target === null) return svg;
  const tags = scanTags(svg);
  const edits: Edit[] = [];
  // gradient id -> [stops, dropped stops]
  const gradients = new Map<string, [number, number]>();
  let gradient: { id: string; end: number } | null = null;
  for (const tag of tags) {
    if (gradient && tag.start >= gradient.end) gradient = null;
    if (tag.name === 'linearGradient' || tag.name === 'radialGradient') {
      gradient = { id: attr(tag, 'id') ?? '', end: tag.elementEnd };
      gradients.set(gradient.id, [0, 0]);
      continue;
    }
    if (tag.name === 'stop' && gradient) {
      const counts = gradients.get(gradient.id)!;
      counts[0]++;
      if (Number(attr(tag, 'stop-opacity') ?? 1) === 0) counts[1]++;
      else if (parseCssColor(attr(tag, 'stop-color') ?? '#000') === target) {
        counts[1]++;
        const attrs = tag.attrs.filter((a) => a.name !== 'stop-opacity');
        edits.push({
          start: tag.start,
          end: tag.end,
          text: renderTag(tag, [...attrs, { name: 'stop-opacity', raw: '0' }]),
        });
      }
    }
  }
  const emptied = new Set([...gradients].filter(([, [n, d]]) => n > 0 && n === d).map(([id]) => id));
  for (const tag of tags) {
    if (!SHAPES.has(tag.name)) continue;
    const fill = attr(tag, 'fill');
    if (fill === undefined) continue;
    const ref = /^url\(\s*#([^)\s]+)\s*\)$/.exec(fill.trim());
    if (parseCssColor(fill) === target || (ref && emptied.has(ref[1]))) {
      edits.push({ start: tag.start, end: tag.elementEnd, text: '' });
    }
  }
  return applyEdits(svg, edits);
}

/**
 * Whether dropping `color` by removing its shapes leaves transparency where they were. With cutout layers it
 * always does. Stacked layers reach under the layers painted above them, so removing a layer only uncovers
 * transparency when it is the bottom one; anywhere else the layer below shows through and the image must be
 * traced again without that colour.
 */
export function dropLeavesTransparency(svg: string, color: string, layering: 'stacked' | 'cutout'): boolean {
  if (layering === 'cutout') return true;
  const target = parseCssColor(color);
  let seenOther = false;
  for (const tag of scanTags(svg)) {
    if (!SHAPES.has(tag.name) || tag.name === 'g') continue;
    const fill = attr(tag, 'fill');
    const paint = fill === undefined ? null : parseCssColor(fill);
    if (paint === null && fill === undefined) continue;
    if (paint === target) {
      if (seenOther) return false;
    } else seenOther = true;
  }
  return true;
}
