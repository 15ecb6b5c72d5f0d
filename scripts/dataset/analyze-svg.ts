/** Reads the features of a source SVG that decide its image category (colours, shapes, gradients, text). */

export type SvgFeatures = {
  /** Distinct solid colours used by fills, strokes and gradient stops (#rrggbb). */
  colors: string[];
  /** Drawing elements: path, circle, rect, ellipse, polygon, polyline, line, use. */
  shapes: number;
  /** Gradients that are referenced and whose stops differ visibly in colour or opacity. */
  visibleGradients: number;
  /** Has a <text> element. */
  hasText: boolean;
};

const NAMED: Record<string, string> = {
  black: '#000000',
  white: '#ffffff',
  red: '#ff0000',
  green: '#008000',
  lime: '#00ff00',
  blue: '#0000ff',
  yellow: '#ffff00',
  cyan: '#00ffff',
  aqua: '#00ffff',
  magenta: '#ff00ff',
  fuchsia: '#ff00ff',
  gray: '#808080',
  grey: '#808080',
  silver: '#c0c0c0',
  maroon: '#800000',
  olive: '#808000',
  navy: '#000080',
  purple: '#800080',
  teal: '#008080',
  orange: '#ffa500',
  currentcolor: '#000000',
};

/** Normalises a CSS colour to #rrggbb, or null for none / transparent / url(...) / unknown. */
function normalizeColor(value: string): string | null {
  const v = value.trim().toLowerCase();
  if (!v || v === 'none' || v === 'transparent' || v.startsWith('url(') || v === 'inherit') return null;
  if (NAMED[v]) return NAMED[v];
  let m = /^#([0-9a-f]{3,4})$/.exec(v);
  if (m) return '#' + m[1].slice(0, 3).replace(/./g, (c) => c + c);
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(v);
  if (m) return '#' + m[1];
  m = /^rgba?\(\s*([\d.]+)%?\s*[, ]\s*([\d.]+)%?\s*[, ]\s*([\d.]+)%?/.exec(v);
  if (m) {
    const pct = v.includes('%');
    const ch = [m[1], m[2], m[3]].map((s) =>
      Math.max(0, Math.min(255, Math.round(Number(s) * (pct ? 2.55 : 1)))),
    );
    return '#' + ch.map((c) => c.toString(16).padStart(2, '0')).join('');
  }
  return null;
}

export function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function attr(tag: string, name: string): string | null {
  const re = new RegExp(`(?:^|\\s)${name}\\s*=\\s*("([^"]*)"|'([^']*)')`);
  const m = re.exec(tag);
  if (m) return m[2] ?? m[3] ?? '';
  const style = /(?:^|\s)style\s*=\s*("([^"]*)"|'([^']*)')/.exec(tag);
  if (style) {
    const s = new RegExp(`(?:^|;)\\s*${name}\\s*:\\s*([^;]+)`).exec(style[2] ?? style[3] ?? '');
    if (s) return s[1].trim();
  }
  return null;
}

type Stop = { color: [number, number, number]; opacity: number };

/** Stops differ visibly: a channel moves by 32+ levels or the opacity by 0.3+. */
function stopsDiffer(stops: Stop[]): boolean {
  for (let i = 0; i < stops.length; i++) {
    for (let j = i + 1; j < stops.length; j++) {
      const a = stops[i];
      const b = stops[j];
      const dc = Math.max(...a.color.map((c, k) => Math.abs(c - b.color[k])));
      if (dc >= 32 || Math.abs(a.opacity - b.opacity) >= 0.3) return true;
    }
  }
  return false;
}

export function analyzeSvg(svg: string): SvgFeatures {
  const colors = new Set<string>();
  let shapes = 0;
  let sawFill = false;
  const tagRe = /<([a-zA-Z][\w:-]*)(\s[^>]*?)?\/?>/g;
  for (let m = tagRe.exec(svg); m; m = tagRe.exec(svg)) {
    const name = m[1].toLowerCase();
    const body = m[2] ?? '';
    if (/^(path|circle|rect|ellipse|polygon|polyline|line|use)$/.test(name)) shapes++;
    for (const prop of ['fill', 'stroke', 'stop-color']) {
      const v = attr(body, prop);
      if (v === null) continue;
      if (prop === 'fill') sawFill = true;
      const c = normalizeColor(v);
      if (c) colors.add(c);
    }
  }
  // Shapes with no fill anywhere are painted black by default.
  if (!sawFill && shapes > 0) colors.add('#000000');

  // Gradients: collect stops per id, follow href inheritance, keep the referenced ones.
  const gradRe = /<(linearGradient|radialGradient)(\s[^>]*?)?(\/>|>([\s\S]*?)<\/\1>)/g;
  const stopsById = new Map<string, Stop[]>();
  const hrefById = new Map<string, string>();
  const ids: string[] = [];
  for (let m = gradRe.exec(svg); m; m = gradRe.exec(svg)) {
    const head = m[2] ?? '';
    const id = attr(head, 'id') ?? `__anon${ids.length}`;
    ids.push(id);
    const href = attr(head, 'xlink:href') ?? attr(head, 'href');
    if (href?.startsWith('#')) hrefById.set(id, href.slice(1));
    const stops: Stop[] = [];
    const stopRe = /<stop(\s[^>]*?)?\/?>/g;
    const inner = m[4] ?? '';
    for (let s = stopRe.exec(inner); s; s = stopRe.exec(inner)) {
      const sb = s[1] ?? '';
      const hex = normalizeColor(attr(sb, 'stop-color') ?? 'black') ?? '#000000';
      const op = Number(attr(sb, 'stop-opacity') ?? '1');
      stops.push({ color: hexToRgb(hex), opacity: Number.isFinite(op) ? op : 1 });
    }
    stopsById.set(id, stops);
  }
  let visibleGradients = 0;
  for (const id of ids) {
    let stops = stopsById.get(id) ?? [];
    let ref = hrefById.get(id);
    for (let hops = 0; stops.length === 0 && ref && hops < 8; hops++) {
      stops = stopsById.get(ref) ?? [];
      ref = hrefById.get(ref);
    }
    const used =
      svg.includes(`url(#${id})`) || svg.includes(`url('#${id}')`) || svg.includes(`url("#${id}")`);
    if (used && stopsDiffer(stops)) visibleGradients++;
  }
  return { colors: [...colors].sort(), shapes, visibleGradients, hasText: /<text[\s>]/.test(svg) };
}
