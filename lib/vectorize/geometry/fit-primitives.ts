/**
 * Finds the parts of a layer mask that are circles, ellipses or (rounded) rectangles within a pixel, so they are
 * drawn exactly (`<circle>`, `<ellipse>`, `<rect>`, or arcs and lines in the layer's path) instead of as potrace's
 * curve fit of their pixel staircase, which wobbles on rings, discs and rounded corners.
 */

export type Primitive =
  | { kind: 'circle'; cx: number; cy: number; r: number }
  | { kind: 'ellipse'; cx: number; cy: number; rx: number; ry: number }
  | { kind: 'rect'; x: number; y: number; width: number; height: number; rx: number }
  /** Rotated by `angle` radians about its centre: only inside a path (rays, tilted bars and ovals). */
  | { kind: 'rotated-rect'; cx: number; cy: number; hw: number; hh: number; angle: number }
  | { kind: 'rotated-ellipse'; cx: number; cy: number; rx: number; ry: number; angle: number };

/** A primitive that has an SVG element of its own (the axis-aligned ones). */
export type ElementPrimitive = Extract<Primitive, { kind: 'circle' | 'ellipse' | 'rect' }>;

export type FittedMask = {
  /** Path data (absolute) of the fitted parts, holes included; '' when none fitted. */
  d: string;
  /** The whole mask as one axis-aligned primitive without holes, when it is exactly that. */
  single: ElementPrimitive | null;
  /** The mask's pixels that did not fit, for the tracer (null when every part fitted). */
  rest: Uint8Array | null;
};

/** No mismatched pixel centre may lie further than this from the fitted outline (px). */
const MAX_DEVIATION = 0.9;
/** Mismatched pixels allowed per pixel of perimeter (anti-aliased edges land on either side of the 50% line). */
const MISMATCH_PER_PERIMETER = 0.2;
/** Parts smaller than this (pixels, or px on either side) are left to the tracer. */
const MIN_PIXELS = 30;
const MIN_SIDE = 5;
/**
 * Circles and ellipses need a part at least this wide (px): below it a pixel-tolerance fit cannot tell a disc from
 * a small (rounded) square, and windows, dots of text and pixel art came out as circles.
 */
const MIN_CURVED_SIDE = 12;

type Component = { pixels: number[]; x0: number; y0: number; x1: number; y1: number };

/** 4-connected components of value `on` in `mask`; `skipBorder` drops the ones touching the window's edge. */
function components(
  mask: Uint8Array,
  width: number,
  height: number,
  on: 0 | 1,
  skipBorder: boolean,
): Component[] {
  const seen = new Uint8Array(mask.length);
  const out: Component[] = [];
  const stack = new Int32Array(mask.length);
  for (let s = 0; s < mask.length; s++) {
    if (seen[s] || mask[s] !== on) continue;
    const c: Component = { pixels: [], x0: width, y0: height, x1: -1, y1: -1 };
    let border = false;
    let sp = 0;
    stack[sp++] = s;
    seen[s] = 1;
    // no closures or per-pixel arrays here: this runs over every layer's whole window
    while (sp > 0) {
      const i = stack[--sp];
      c.pixels.push(i);
      const x = i % width;
      const y = (i - x) / width;
      if (x < c.x0) c.x0 = x;
      if (x > c.x1) c.x1 = x;
      if (y < c.y0) c.y0 = y;
      if (y > c.y1) c.y1 = y;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) border = true;
      if (x > 0 && !seen[i - 1] && mask[i - 1] === on) {
        seen[i - 1] = 1;
        stack[sp++] = i - 1;
      }
      if (x + 1 < width && !seen[i + 1] && mask[i + 1] === on) {
        seen[i + 1] = 1;
        stack[sp++] = i + 1;
      }
      if (y > 0 && !seen[i - width] && mask[i - width] === on) {
        seen[i - width] = 1;
        stack[sp++] = i - width;
      }
      if (y + 1 < height && !seen[i + width] && mask[i + width] === on) {
        seen[i + width] = 1;
        stack[sp++] = i + width;
      }
    }
    if (!(skipBorder && border)) out.push(c);
  }
  return out;
}

/** Signed distance (px, negative inside) from (x, y) to the primitive's outline (radial for ellipses). */
function signedDistance(p: Primitive, x: number, y: number): number {
  if (p.kind === 'circle') return Math.hypot(x - p.cx, y - p.cy) - p.r;
  if (p.kind === 'rotated-rect' || p.kind === 'rotated-ellipse') {
    const c = Math.cos(p.angle);
    const sn = Math.sin(p.angle);
    const u = (x - p.cx) * c + (y - p.cy) * sn;
    const v = -(x - p.cx) * sn + (y - p.cy) * c;
    if (p.kind === 'rotated-ellipse') return signedDistance({ ...p, kind: 'ellipse', cx: 0, cy: 0 }, u, v);
    const qx = Math.abs(u) - p.hw;
    const qy = Math.abs(v) - p.hh;
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0);
  }
  if (p.kind === 'ellipse') {
    const dx = x - p.cx;
    const dy = y - p.cy;
    const k = Math.hypot(dx / p.rx, dy / p.ry);
    return k === 0 ? -Math.min(p.rx, p.ry) : Math.hypot(dx, dy) * (1 - 1 / k);
  }
  const hx = p.width / 2;
  const hy = p.height / 2;
  const qx = Math.abs(x - (p.x + hx)) - (hx - p.rx);
  const qy = Math.abs(y - (p.y + hy)) - (hy - p.rx);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - p.rx;
}

/** Whether `p` reproduces the pixel set: every mismatched pixel centre near the outline, and few of them. */
/** The pixels `p` gets wrong on `c`, or Infinity when it does not fit (too far off, or too many). */
function mismatchOf(
  p: Primitive,
  c: Component,
  inside: Uint8Array,
  width: number,
  height: number,
  unit: number,
): number {
  const perimeter = 2 * (c.x1 - c.x0 + 1 + c.y1 - c.y0 + 1);
  const allowed = perimeter * MISMATCH_PER_PERIMETER + 1;
  let mismatched = 0;
  for (let y = Math.max(0, c.y0 - 2); y <= Math.min(height - 1, c.y1 + 2); y++) {
    for (let x = Math.max(0, c.x0 - 2); x <= Math.min(width - 1, c.x1 + 2); x++) {
      const d = signedDistance(p, x + 0.5, y + 0.5);
      const isIn = inside[y * width + x] === 1;
      if (d < 0 === isIn) continue;
      if (Math.abs(d) > MAX_DEVIATION * unit || ++mismatched > allowed) return Infinity;
    }
  }
  return mismatched;
}

/** The best primitive for a filled component (its pixels set in `inside`), or null. */
function fitComponent(
  c: Component,
  inside: Uint8Array,
  width: number,
  height: number,
  unit: number,
): Primitive | null {
  const n = c.pixels.length;
  const w = c.x1 - c.x0 + 1;
  const h = c.y1 - c.y0 + 1;
  if (n < MIN_PIXELS * unit * unit || w < MIN_SIDE * unit || h < MIN_SIDE * unit) return null;
  let mx = 0;
  let my = 0;
  for (const i of c.pixels) {
    mx += (i % width) + 0.5;
    my += Math.floor(i / width) + 0.5;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const i of c.pixels) {
    const dx = (i % width) + 0.5 - mx;
    const dy = Math.floor(i / width) + 0.5 - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  sxx /= n;
  syy /= n;
  sxy /= n;
  const candidates: Primitive[] = [];
  const curvedFits = Math.min(w, h) >= MIN_CURVED_SIDE * unit;
  // isotropic moments (a square, a disc) name no direction: their frame is the axes
  const isotropic = Math.hypot((sxx - syy) / 2, sxy) < 0.05 * ((sxx + syy) / 2);
  const aligned = isotropic || Math.abs(sxy) < 0.05 * Math.sqrt(sxx * syy);
  if (!aligned) {
    // the principal frame: a rotated ellipse has variances a^2 / 4, b^2 / 4 along it, a rotated rectangle
    // L^2 / 12, W^2 / 12; each scaled so its area is the count
    const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
    const mid = (sxx + syy) / 2;
    const spread = Math.hypot((sxx - syy) / 2, sxy);
    const l1 = mid + spread;
    const l2 = Math.max(mid - spread, 1e-6);
    let a = 2 * Math.sqrt(l1);
    let b = 2 * Math.sqrt(l2);
    const se = Math.sqrt(n / (Math.PI * a * b));
    a *= se;
    b *= se;
    let hw = Math.sqrt(3 * l1);
    let hh = Math.sqrt(3 * l2);
    const sr = Math.sqrt(n / (4 * hw * hh));
    hw *= sr;
    hh *= sr;
    candidates.push({ kind: 'rotated-rect', cx: mx, cy: my, hw, hh, angle });
    if (curvedFits) candidates.push({ kind: 'rotated-ellipse', cx: mx, cy: my, rx: a, ry: b, angle });
  }
  // an axis-aligned ellipse: its second moments are rx^2 / 4 and ry^2 / 4, scaled so its area is the count
  if (aligned && curvedFits) {
    let rx = 2 * Math.sqrt(sxx);
    let ry = 2 * Math.sqrt(syy);
    const scale = Math.sqrt(n / (Math.PI * rx * ry));
    rx *= scale;
    ry *= scale;
    if (Math.abs(rx - ry) <= Math.max(0.5, 0.03 * Math.max(rx, ry))) {
      candidates.push({ kind: 'circle', cx: mx, cy: my, r: Math.sqrt(n / Math.PI) });
    } else candidates.push({ kind: 'ellipse', cx: mx, cy: my, rx, ry });
  }
  // a (rounded) rectangle: its box, the corner radius from the pixels its corners miss (r^2 (1 - pi / 4) each)
  const missing = w * h - n;
  const rx = Math.min(Math.sqrt(Math.max(0, missing / 4 / (1 - Math.PI / 4))), Math.min(w, h) / 2);
  if (aligned)
    candidates.push({ kind: 'rect', x: c.x0, y: c.y0, width: w, height: h, rx: rx < 0.8 ? 0 : rx });
  // the candidate that gets the fewest pixels wrong: a small square also passes as a circle within the tolerance,
  // but its rectangle fits it better (earlier candidates win near-ties)
  let best: Primitive | null = null;
  let fewest = Infinity;
  for (const p of candidates) {
    const wrong = mismatchOf(p, c, inside, width, height, unit);
    // a later candidate must be clearly better: a disc's rounded box fits about as well as its circle
    if (best === null ? wrong < Infinity : wrong < fewest - 1 - 0.1 * fewest) {
      best = p;
      fewest = wrong;
    }
  }
  return best;
}

/** The primitive moved by (ox, oy), then scaled, with its numbers rounded to `precision` decimals. */
function place(p: Primitive, ox: number, oy: number, scale: number, precision: number): Primitive {
  const q = 10 ** precision;
  const r = (v: number) => Math.round(v * scale * q) / q;
  if (p.kind === 'circle') return { ...p, cx: r(p.cx + ox), cy: r(p.cy + oy), r: r(p.r) };
  if (p.kind === 'ellipse') return { ...p, cx: r(p.cx + ox), cy: r(p.cy + oy), rx: r(p.rx), ry: r(p.ry) };
  if (p.kind === 'rotated-ellipse' || p.kind === 'rotated-rect') {
    // rounded on output (primitivePath), where the rotated corners are computed
    const k = scale;
    return p.kind === 'rotated-rect'
      ? { ...p, cx: (p.cx + ox) * k, cy: (p.cy + oy) * k, hw: p.hw * k, hh: p.hh * k }
      : { ...p, cx: (p.cx + ox) * k, cy: (p.cy + oy) * k, rx: p.rx * k, ry: p.ry * k };
  }
  return { ...p, x: r(p.x + ox), y: r(p.y + oy), width: r(p.width), height: r(p.height), rx: r(p.rx) };
}

/** A rounded number in its shortest form (floating-point noise of sums trimmed). */
const f = (v: number) => String(Math.round(v * 1000) / 1000);

/** The primitive's outline as absolute path data (one closed subpath). */
export function primitivePath(p: Primitive, precision = 1): string {
  const q = 10 ** precision;
  const g = (v: number) => String(Math.round(v * q) / q);
  if (p.kind === 'rotated-rect') {
    const c = Math.cos(p.angle);
    const sn = Math.sin(p.angle);
    const pts = [
      [-p.hw, -p.hh],
      [p.hw, -p.hh],
      [p.hw, p.hh],
      [-p.hw, p.hh],
    ].map(([u, v]) => `${g(p.cx + u * c - v * sn)} ${g(p.cy + u * sn + v * c)}`);
    return `M${pts[0]}L${pts[1]}L${pts[2]}L${pts[3]}z`;
  }
  if (p.kind === 'rotated-ellipse') {
    const dx = p.rx * Math.cos(p.angle);
    const dy = p.rx * Math.sin(p.angle);
    const deg = g((p.angle * 180) / Math.PI);
    const arc = (sx: number, sy: number) => `a${g(p.rx)} ${g(p.ry)} ${deg} 1 0 ${g(sx)} ${g(sy)}`;
    return `M${g(p.cx - dx)} ${g(p.cy - dy)}${arc(2 * dx, 2 * dy)}${arc(-2 * dx, -2 * dy)}z`;
  }
  if (p.kind === 'circle' || p.kind === 'ellipse') {
    const rx = p.kind === 'circle' ? p.r : p.rx;
    const ry = p.kind === 'circle' ? p.r : p.ry;
    return `M${f(p.cx - rx)} ${f(p.cy)}a${f(rx)} ${f(ry)} 0 1 0 ${f(2 * rx)} 0a${f(rx)} ${f(ry)} 0 1 0 ${f(-2 * rx)} 0z`;
  }
  const { x, y, width: w, height: h, rx } = p;
  if (rx === 0) return `M${f(x)} ${f(y)}h${f(w)}v${f(h)}h${f(-w)}z`;
  const arc = (dx: number, dy: number) => `a${f(rx)} ${f(rx)} 0 0 1 ${f(dx)} ${f(dy)}`;
  return (
    `M${f(x + rx)} ${f(y)}h${f(w - 2 * rx)}${arc(rx, rx)}v${f(h - 2 * rx)}${arc(-rx, rx)}` +
    `h${f(-(w - 2 * rx))}${arc(-rx, -rx)}v${f(-(h - 2 * rx))}${arc(rx, -rx)}z`
  );
}

/**
 * Fits each connected part of `mask` (a window placed at `offset`, then scaled by `scale` into user space, as
 * traceMask places it): the part with its holes filled must be a primitive, and so must each of its holes;
 * parts that do not fit are left in `rest`. Numbers keep `precision` decimals.
 */
export function fitPrimitives(
  mask: Uint8Array,
  width: number,
  height: number,
  offset: { x: number; y: number },
  precision: number,
  scale = 1,
): FittedMask {
  // tolerances are in source pixels: on a grid k times finer (scale 1 / k) one of them is k cells
  const unit = 1 / scale;
  const parts = components(mask, width, height, 1, false);
  if (parts.length === 0) return { d: '', single: null, rest: mask };
  // holes: background components that do not reach the window's edge, each inside exactly one part
  const holes = components(mask, width, height, 0, true);
  const owner = new Int32Array(mask.length).fill(-1);
  parts.forEach((c, k) => c.pixels.forEach((i) => (owner[i] = k)));
  const holesOf = parts.map((): Component[] => []);
  for (const hole of holes) {
    const i = hole.pixels[0];
    // the part just left of the hole's first (top-left) pixel encloses it
    const left = owner[i - 1];
    if (left >= 0) holesOf[left].push(hole);
  }
  const scratch = new Uint8Array(mask.length);
  const fitted: { prims: Primitive[]; part: number }[] = [];
  parts.forEach((part, k) => {
    const filled: Component = { ...part, pixels: [...part.pixels, ...holesOf[k].flatMap((hl) => hl.pixels)] };
    for (const i of filled.pixels) scratch[i] = 1;
    const outer = fitComponent(filled, scratch, width, height, unit);
    for (const i of filled.pixels) scratch[i] = 0;
    if (!outer) return;
    const prims = [outer];
    for (const hole of holesOf[k]) {
      for (const i of hole.pixels) scratch[i] = 1;
      const inner = fitComponent(hole, scratch, width, height, unit);
      for (const i of hole.pixels) scratch[i] = 0;
      if (!inner) return;
      prims.push(inner);
    }
    fitted.push({ prims, part: k });
  });
  if (fitted.length === 0) return { d: '', single: null, rest: mask };
  let rest: Uint8Array | null = null;
  if (fitted.length < parts.length) {
    rest = mask.slice();
    for (const { part } of fitted) for (const i of parts[part].pixels) rest[i] = 0;
  }
  const placed = fitted.map(({ prims }) => prims.map((p) => place(p, offset.x, offset.y, scale, precision)));
  const only = !rest && placed.length === 1 && placed[0].length === 1 ? placed[0][0] : null;
  const single =
    only && (only.kind === 'circle' || only.kind === 'ellipse' || only.kind === 'rect') ? only : null;
  return {
    d: placed
      .flat()
      .map((p) => primitivePath(p, precision))
      .join(''),
    single,
    rest,
  };
}
