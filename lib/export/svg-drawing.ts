/**
 * Reads an SVG of the kind the engine writes (filled paths, rect / circle / ellipse / polygon, groups,
 * transforms, linear and radial gradients, fill and stop opacities) into a flat drawing: shapes in paint order,
 * their outlines as absolute moves, lines and cubic Béziers in viewBox units, each with its resolved paint. The
 * PDF, EPS and DXF writers draw from it. Anything else (text, images, strokes, filters, scripts) is refused, so an
 * SVG that reaches a writer is drawn completely or not at all.
 */
import sax from 'sax';
import svgpath from 'svgpath';
import { ConversionError } from '@/lib/errors/conversion-error';
import { parseCssColor, parseHex, type Rgb } from '@/lib/palette/css-color';

export type Point = [number, number];
export type Segment = ['L', number, number] | ['C', number, number, number, number, number, number];
export type Subpath = { start: Point; segments: Segment[]; closed: boolean };
export type GradientStop = { offset: number; color: Rgb; opacity: number };
export type Paint =
  | { type: 'solid'; color: Rgb }
  | { type: 'linear'; x1: number; y1: number; x2: number; y2: number; stops: GradientStop[] }
  | { type: 'radial'; cx: number; cy: number; r: number; fx: number; fy: number; stops: GradientStop[] };
export type Shape = {
  paint: Paint;
  /** fill-opacity times every enclosing opacity. */
  opacity: number;
  fillRule: 'nonzero' | 'evenodd';
  subpaths: Subpath[];
};
export type Drawing = {
  /** Output size in px (the root's width / height, else the viewBox's). */
  width: number;
  height: number;
  viewBox: { x: number; y: number; width: number; height: number };
  title: string | null;
  shapes: Shape[];
};

const CONTAINERS = new Set(['svg', 'g', 'defs']);
const SHAPES = new Set(['path', 'rect', 'circle', 'ellipse', 'polygon', 'polyline']);
const IGNORED = new Set(['title', 'desc', 'metadata']);
const GRADIENTS = new Set(['linearGradient', 'radialGradient']);
/** Presentation attributes we read, also accepted inside a style="" attribute. */
const PRESENTATION = ['fill', 'fill-opacity', 'fill-rule', 'opacity', 'stop-color', 'stop-opacity', 'stroke'];
/** Outputs are bounded (the upload limit); this bounds the work an export of an edited SVG may cause. */
const MAX_SVG_BYTES = 8 * 1024 * 1024;

type Element = {
  name: string;
  attrs: Record<string, string>;
  children: Element[];
  text: string;
};

function refuse(message: string): never {
  throw new ConversionError('undecodable', `This SVG cannot be exported: ${message}.`);
}

function parseTree(svg: string): Element {
  if (Buffer.byteLength(svg) > MAX_SVG_BYTES) {
    throw new ConversionError('too_large', `The SVG is larger than ${MAX_SVG_BYTES / 1024 / 1024} MB.`);
  }
  const parser = sax.parser(true, { xmlns: false, position: false });
  const stack: Element[] = [];
  let root: Element | null = null;
  let error: string | null = null;
  parser.onerror = (e) => {
    error = e.message.split('\n')[0];
    parser.resume();
  };
  parser.ondoctype = () => (error ??= 'a DOCTYPE (entities are not accepted)');
  parser.onopentag = (node) => {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(node.attributes)) attrs[k] = String(v);
    const el: Element = { name: node.name, attrs, children: [], text: '' };
    if (stack.length) stack[stack.length - 1].children.push(el);
    else if (!root) root = el;
    stack.push(el);
  };
  parser.onclosetag = () => void stack.pop();
  parser.ontext = (t) => {
    if (stack.length) stack[stack.length - 1].text += t;
  };
  parser.write(svg).close();
  if (error) refuse(`it is not well-formed XML (${error})`);
  const top = root as Element | null;
  if (!top || top.name !== 'svg') refuse('the document is not an <svg>');
  return top;
}

/** Presentation attributes with style="" declarations over them (style wins, as in CSS). */
function presentation(el: Element): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of PRESENTATION) if (el.attrs[k] !== undefined) out[k] = el.attrs[k];
  for (const decl of (el.attrs.style ?? '').split(';')) {
    const [k, ...rest] = decl.split(':');
    const key = k?.trim();
    if (key && PRESENTATION.includes(key)) out[key] = rest.join(':').trim();
    else if (key) refuse(`the style property "${key}" is not supported`);
  }
  return out;
}

function num(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const v = parseFloat(value);
  if (!Number.isFinite(v)) refuse(`"${value}" is not a number`);
  return v;
}

function fraction(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const v = value.trim().endsWith('%') ? parseFloat(value) / 100 : parseFloat(value);
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : fallback;
}

type Context = {
  fill: string;
  fillOpacity: number;
  opacity: number;
  fillRule: 'nonzero' | 'evenodd';
  transform: string;
};

/** Reads `svg` (our outputs, or one edited from them) into a Drawing; refuses with ConversionError('undecodable'). */
export function readSvgDrawing(svg: string): Drawing {
  const root = parseTree(svg);
  const vb = (root.attrs.viewBox ?? '')
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  const hasViewBox = vb.length === 4 && vb.every(Number.isFinite) && vb[2] > 0 && vb[3] > 0;
  const width = num(root.attrs.width?.replace(/px$/, ''), hasViewBox ? vb[2] : NaN);
  const height = num(root.attrs.height?.replace(/px$/, ''), hasViewBox ? vb[3] : NaN);
  if (!(width > 0) || !(height > 0)) refuse('it has no size (width / height or a viewBox)');
  const viewBox = hasViewBox
    ? { x: vb[0], y: vb[1], width: vb[2], height: vb[3] }
    : { x: 0, y: 0, width, height };

  const gradients = new Map<string, Element>();
  const collect = (el: Element) => {
    if (GRADIENTS.has(el.name) && el.attrs.id) gradients.set(el.attrs.id, el);
    el.children.forEach(collect);
  };
  collect(root);

  const shapes: Shape[] = [];
  let title: string | null = null;
  const visit = (el: Element, ctx: Context, inDefs: boolean) => {
    if (IGNORED.has(el.name)) {
      if (el.name === 'title' && title === null && el.text.trim()) title = el.text.trim();
      return;
    }
    if (GRADIENTS.has(el.name) || el.name === 'stop') return;
    if (!CONTAINERS.has(el.name) && !SHAPES.has(el.name)) refuse(`<${el.name}> is not supported`);
    if (el.name === 'svg' && el !== root) refuse('a nested <svg> is not supported');
    const p = presentation(el);
    if (p.stroke !== undefined && p.stroke !== 'none') refuse('strokes are not supported');
    const next: Context = {
      fill: p.fill ?? ctx.fill,
      fillOpacity: p['fill-opacity'] !== undefined ? fraction(p['fill-opacity'], 1) : ctx.fillOpacity,
      opacity: ctx.opacity * fraction(p.opacity, 1),
      fillRule:
        p['fill-rule'] === 'evenodd' ? 'evenodd' : p['fill-rule'] === 'nonzero' ? 'nonzero' : ctx.fillRule,
      transform:
        el.attrs.transform && el.name !== 'svg' ? `${ctx.transform} ${el.attrs.transform}` : ctx.transform,
    };
    if (CONTAINERS.has(el.name)) {
      for (const child of el.children) visit(child, next, inDefs || el.name === 'defs');
      return;
    }
    if (inDefs) return;
    const d = outlineOf(el);
    if (!d) return;
    const paint = paintOf(next.fill, gradients, next.transform);
    if (!paint) return;
    const subpaths = toSubpaths(d, next.transform);
    if (subpaths.length === 0) return;
    shapes.push({ paint, opacity: next.fillOpacity * next.opacity, fillRule: next.fillRule, subpaths });
  };
  const rootCtx: Context = {
    fill: '#000000',
    fillOpacity: 1,
    opacity: 1,
    fillRule: 'nonzero',
    transform: '',
  };
  visit(root, rootCtx, false);
  return { width, height, viewBox, title, shapes };
}

/** The element's outline as path data (shapes become paths; a zero-size shape has none). */
function outlineOf(el: Element): string | null {
  const a = el.attrs;
  switch (el.name) {
    case 'path':
      return a.d?.trim() || null;
    case 'rect': {
      const [x, y, w, h] = [num(a.x, 0), num(a.y, 0), num(a.width, 0), num(a.height, 0)];
      if (w <= 0 || h <= 0) return null;
      let rx = a.rx !== undefined ? num(a.rx, 0) : a.ry !== undefined ? num(a.ry, 0) : 0;
      let ry = a.ry !== undefined ? num(a.ry, 0) : rx;
      rx = Math.min(Math.max(rx, 0), w / 2);
      ry = Math.min(Math.max(ry, 0), h / 2);
      if (rx === 0 || ry === 0) return `M${x} ${y}H${x + w}V${y + h}H${x}Z`;
      return (
        `M${x + rx} ${y}H${x + w - rx}A${rx} ${ry} 0 0 1 ${x + w} ${y + ry}V${y + h - ry}` +
        `A${rx} ${ry} 0 0 1 ${x + w - rx} ${y + h}H${x + rx}A${rx} ${ry} 0 0 1 ${x} ${y + h - ry}` +
        `V${y + ry}A${rx} ${ry} 0 0 1 ${x + rx} ${y}Z`
      );
    }
    case 'circle':
    case 'ellipse': {
      const cx = num(a.cx, 0);
      const cy = num(a.cy, 0);
      const rx = el.name === 'circle' ? num(a.r, 0) : num(a.rx, 0);
      const ry = el.name === 'circle' ? rx : num(a.ry, 0);
      if (rx <= 0 || ry <= 0) return null;
      return `M${cx - rx} ${cy}A${rx} ${ry} 0 1 0 ${cx + rx} ${cy}A${rx} ${ry} 0 1 0 ${cx - rx} ${cy}Z`;
    }
    case 'polygon':
    case 'polyline': {
      const pts = (a.points ?? '')
        .trim()
        .split(/[\s,]+/)
        .map(Number);
      if (pts.length < 4 || pts.some((v) => !Number.isFinite(v))) return null;
      // a filled polyline is filled as if closed
      return `M${pts.slice(0, 2).join(' ')}L${pts.slice(2).join(' ')}Z`;
    }
  }
  return null;
}

/** Path data in absolute moves, lines and cubics, with the transform applied (arcs and quadratics converted). */
function toSubpaths(d: string, transform: string): Subpath[] {
  const path = svgpath(d);
  if ((path as unknown as { err?: string }).err)
    refuse(`invalid path data (${(path as unknown as { err: string }).err})`);
  if (transform.trim()) path.transform(transform);
  path.abs().unarc().unshort();
  const out: Subpath[] = [];
  let current: Subpath | null = null;
  let x = 0;
  let y = 0;
  path.iterate((seg) => {
    const [cmd, ...v] = seg as [string, ...number[]];
    if (cmd === 'M') {
      current = { start: [v[0], v[1]], segments: [], closed: false };
      out.push(current);
      [x, y] = [v[0], v[1]];
      return;
    }
    if (!current) {
      current = { start: [x, y], segments: [], closed: false };
      out.push(current);
    }
    const sub: Subpath = current;
    switch (cmd) {
      case 'L':
        sub.segments.push(['L', v[0], v[1]]);
        [x, y] = [v[0], v[1]];
        break;
      case 'H':
        sub.segments.push(['L', v[0], y]);
        x = v[0];
        break;
      case 'V':
        sub.segments.push(['L', x, v[0]]);
        y = v[0];
        break;
      case 'C':
        sub.segments.push(['C', v[0], v[1], v[2], v[3], v[4], v[5]]);
        [x, y] = [v[4], v[5]];
        break;
      case 'Q': {
        // the cubic with the same curve: control points 2/3 of the way to the quadratic's
        const [qx, qy, ex, ey] = v;
        sub.segments.push([
          'C',
          x + (2 / 3) * (qx - x),
          y + (2 / 3) * (qy - y),
          ex + (2 / 3) * (qx - ex),
          ey + (2 / 3) * (qy - ey),
          ex,
          ey,
        ]);
        [x, y] = [ex, ey];
        break;
      }
      case 'Z':
        sub.closed = true;
        [x, y] = sub.start;
        // a command after Z without a move starts at the subpath's start
        current = null;
        break;
    }
  });
  return out.filter((s) => s.segments.length > 0);
}

/** `point` through an SVG transform list (svgpath applies it exactly as a renderer would). */
function transformPoint(transform: string, x: number, y: number): Point {
  if (!transform.trim()) return [x, y];
  let out: Point = [x, y];
  svgpath(`M${x} ${y}`)
    .transform(transform)
    .iterate((seg) => {
      out = [seg[1] as number, seg[2] as number];
    });
  return out;
}

function paintOf(fill: string, gradients: Map<string, Element>, transform: string): Paint | null {
  const value = fill.trim();
  if (value === 'none' || value === 'transparent') return null;
  const ref = /^url\(\s*['"]?#([^)'"\s]+)['"]?\s*\)/.exec(value);
  if (ref) {
    const g = gradients.get(ref[1]);
    if (!g) refuse(`the fill refers to a missing gradient #${ref[1]}`);
    return gradientPaint(g, gradients, transform);
  }
  const color = parseCssColor(value);
  if (color === null) refuse(`the fill "${fill}" is not supported`);
  return { type: 'solid', color: parseHex(color) };
}

function gradientPaint(g: Element, gradients: Map<string, Element>, transform: string): Paint | null {
  // stops and attributes may come from the gradient it links to
  const chain: Element[] = [g];
  for (let at = g; chain.length < 8;) {
    const href = (at.attrs.href ?? at.attrs['xlink:href'] ?? '').replace(/^#/, '');
    const next = href ? gradients.get(href) : undefined;
    if (!next || chain.includes(next)) break;
    chain.push(next);
    at = next;
  }
  const attr = (name: string) => chain.find((e) => e.attrs[name] !== undefined)?.attrs[name];
  const stopsOf = chain.find((e) => e.children.some((c) => c.name === 'stop'));
  const stops: GradientStop[] = [];
  for (const s of stopsOf?.children.filter((c) => c.name === 'stop') ?? []) {
    const p = presentation(s);
    const color = parseCssColor(p['stop-color'] ?? '#000');
    if (color === null) refuse(`the stop colour "${p['stop-color']}" is not supported`);
    // offsets never go backwards (SVG clamps each to the largest before it)
    const offset = Math.max(fraction(s.attrs.offset, 0), stops.at(-1)?.offset ?? 0);
    stops.push({ offset, color: parseHex(color), opacity: fraction(p['stop-opacity'], 1) });
  }
  if (stops.length === 0) return null;
  if ((attr('gradientUnits') ?? 'objectBoundingBox') !== 'userSpaceOnUse') {
    refuse('gradients must use gradientUnits="userSpaceOnUse"');
  }
  const t = `${transform} ${attr('gradientTransform') ?? ''}`;
  if (g.name === 'linearGradient') {
    const [x1, y1] = transformPoint(t, num(attr('x1'), 0), num(attr('y1'), 0));
    const [x2, y2] = transformPoint(t, num(attr('x2'), 1), num(attr('y2'), 0));
    return { type: 'linear', x1, y1, x2, y2, stops };
  }
  const cx0 = num(attr('cx'), 0.5);
  const cy0 = num(attr('cy'), 0.5);
  const r0 = num(attr('r'), 0.5);
  const [cx, cy] = transformPoint(t, cx0, cy0);
  const [fx, fy] = transformPoint(t, num(attr('fx'), cx0), num(attr('fy'), cy0));
  // a radius under a non-uniform transform becomes an ellipse; its mean radius is the nearest circle
  const [ex, ey] = transformPoint(t, cx0 + r0, cy0);
  const [ux, uy] = transformPoint(t, cx0, cy0 + r0);
  const r = Math.sqrt(Math.abs((ex - cx) * (uy - cy) - (ey - cy) * (ux - cx)));
  return { type: 'radial', cx, cy, r, fx, fy, stops };
}

/** The colour a shape counts as where one colour is needed (DXF layers): a gradient's stops averaged. */
export function representativeColor(paint: Paint): Rgb {
  if (paint.type === 'solid') return paint.color;
  const n = paint.stops.length;
  return [0, 1, 2].map((c) => Math.round(paint.stops.reduce((s, st) => s + st.color[c], 0) / n)) as Rgb;
}
