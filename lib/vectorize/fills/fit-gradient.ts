/**
 * Fits a linear or radial gradient to coloured pixel samples: the axis (linear: a fan of angles and the principal
 * direction; radial: a grid of centres refined locally) that explains most of the colour variance, then a
 * piecewise-linear colour profile along it, least squares per channel, with a stop added where the residual peaks.
 */
import type { Rgb } from '../quantize';
import type { Gradient, GradientStop } from './types';

/** Pixel samples: centres (x, y) in user space and un-premultiplied colours, three floats per sample. */
export type Samples = { x: Float32Array; y: Float32Array; rgb: Float32Array; n: number };

export type GradientFit = { gradient: Gradient; sse: number };

const MAX_STOPS = 8;
/** The profile is good enough once its mean squared error per sample (summed over R, G, B) is below this. */
const FLOOR_MSE = 3;
/** An inner stop within this many levels (per channel) of its neighbours' interpolation is redundant. */
const STOP_SLACK = 2;
/** Samples used to search the axis (the final error is measured on all of them). */
const SEARCH_SAMPLES = 2500;
/** Radial must explain this much more than linear to be chosen: it has one more free parameter. */
const RADIAL_ADVANTAGE = 0.8;

type Bins = { w: Float64Array; t: Float64Array; c: Float64Array; within: number };

/** Colour statistics of `t` in about one bin per unit (pixel) between tmin and tmax. */
function binProfile(t: Float32Array, s: Samples, idx: Int32Array, tmin: number, tmax: number): Bins {
  const span = Math.max(tmax - tmin, 1e-6);
  const nb = Math.max(4, Math.min(160, Math.round(span)));
  const w = new Float64Array(nb);
  const tt = new Float64Array(nb);
  const c = new Float64Array(nb * 3);
  const sq = new Float64Array(nb);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    const b = Math.min(nb - 1, Math.floor(((t[k] - tmin) / span) * nb));
    const r = s.rgb[i * 3];
    const g = s.rgb[i * 3 + 1];
    const bl = s.rgb[i * 3 + 2];
    w[b]++;
    tt[b] += t[k];
    c[b * 3] += r;
    c[b * 3 + 1] += g;
    c[b * 3 + 2] += bl;
    sq[b] += r * r + g * g + bl * bl;
  }
  let within = 0;
  for (let b = 0; b < nb; b++) {
    if (w[b] === 0) continue;
    within += sq[b] - (c[b * 3] ** 2 + c[b * 3 + 1] ** 2 + c[b * 3 + 2] ** 2) / w[b];
    tt[b] /= w[b];
    c[b * 3] /= w[b];
    c[b * 3 + 1] /= w[b];
    c[b * 3 + 2] /= w[b];
  }
  return { w, t: tt, c, within: Math.max(0, within) };
}

function range(t: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < t.length; k++) {
    if (t[k] < lo) lo = t[k];
    if (t[k] > hi) hi = t[k];
  }
  return [lo, hi];
}

function linearT(s: Samples, idx: Int32Array, angle: number): Float32Array {
  const u = Math.cos(angle);
  const v = Math.sin(angle);
  const t = new Float32Array(idx.length);
  for (let k = 0; k < idx.length; k++) t[k] = s.x[idx[k]] * u + s.y[idx[k]] * v;
  return t;
}

function radialT(s: Samples, idx: Int32Array, cx: number, cy: number): Float32Array {
  const t = new Float32Array(idx.length);
  for (let k = 0; k < idx.length; k++) t[k] = Math.hypot(s.x[idx[k]] - cx, s.y[idx[k]] - cy);
  return t;
}

function withinSse(t: Float32Array, s: Samples, idx: Int32Array): number {
  const [lo, hi] = range(t);
  return binProfile(t, s, idx, lo, hi).within;
}

/**
 * The gradient direction of the best plane per channel (colour ~ a + b x + c y): the principal eigenvector of
 * the sum of the channels' gradient outer products.
 */
function principalAngle(s: Samples, idx: Int32Array): number {
  const n = idx.length;
  let mx = 0;
  let my = 0;
  for (const i of idx) {
    mx += s.x[i];
    my += s.y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  const sxc = [0, 0, 0];
  const syc = [0, 0, 0];
  for (const i of idx) {
    const dx = s.x[i] - mx;
    const dy = s.y[i] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
    for (let ch = 0; ch < 3; ch++) {
      sxc[ch] += dx * s.rgb[i * 3 + ch];
      syc[ch] += dy * s.rgb[i * 3 + ch];
    }
  }
  const det = sxx * syy - sxy * sxy;
  if (Math.abs(det) < 1e-9) return 0;
  let a = 0;
  let b = 0;
  let c = 0;
  for (let ch = 0; ch < 3; ch++) {
    const gx = (syy * sxc[ch] - sxy * syc[ch]) / det;
    const gy = (sxx * syc[ch] - sxy * sxc[ch]) / det;
    a += gx * gx;
    b += gx * gy;
    c += gy * gy;
  }
  return 0.5 * Math.atan2(2 * b, a - c);
}

/** Least-squares values at `knots` of the piecewise-linear profile through the bins (weighted by count). */
function solveKnots(bins: Bins, knots: number[]): Float64Array {
  const K = knots.length;
  const A = new Float64Array(K * K);
  const rhs = new Float64Array(K * 3);
  for (let b = 0; b < bins.w.length; b++) {
    const w = bins.w[b];
    if (w === 0) continue;
    const [j, f] = locate(knots, bins.t[b]);
    const pairs: [number, number][] = [
      [j, 1 - f],
      [j + 1, f],
    ];
    for (const [p, fp] of pairs) {
      if (p >= K || fp === 0) continue;
      for (const [q, fq] of pairs) if (q < K && fq !== 0) A[p * K + q] += w * fp * fq;
      for (let ch = 0; ch < 3; ch++) rhs[p * 3 + ch] += w * fp * bins.c[b * 3 + ch];
    }
  }
  // a tiny ridge keeps knots without samples between them solvable (they take their neighbours' values)
  for (let p = 0; p < K; p++) {
    A[p * K + p] += 1e-6;
    if (p > 0) {
      A[p * K + p] += 1e-6;
      A[(p - 1) * K + (p - 1)] += 1e-6;
      A[p * K + p - 1] -= 1e-6;
      A[(p - 1) * K + p] -= 1e-6;
    }
  }
  return solve(A, rhs, K);
}

/** Gaussian elimination with partial pivoting of A (K x K) against three right-hand sides. */
function solve(A: Float64Array, rhs: Float64Array, K: number): Float64Array {
  for (let col = 0; col < K; col++) {
    let piv = col;
    for (let r = col + 1; r < K; r++) if (Math.abs(A[r * K + col]) > Math.abs(A[piv * K + col])) piv = r;
    if (piv !== col) {
      for (let c = 0; c < K; c++) [A[col * K + c], A[piv * K + c]] = [A[piv * K + c], A[col * K + c]];
      for (let ch = 0; ch < 3; ch++)
        [rhs[col * 3 + ch], rhs[piv * 3 + ch]] = [rhs[piv * 3 + ch], rhs[col * 3 + ch]];
    }
    const d = A[col * K + col] || 1e-12;
    for (let r = col + 1; r < K; r++) {
      const f = A[r * K + col] / d;
      if (f === 0) continue;
      for (let c = col; c < K; c++) A[r * K + c] -= f * A[col * K + c];
      for (let ch = 0; ch < 3; ch++) rhs[r * 3 + ch] -= f * rhs[col * 3 + ch];
    }
  }
  const out = new Float64Array(K * 3);
  for (let r = K - 1; r >= 0; r--) {
    for (let ch = 0; ch < 3; ch++) {
      let v = rhs[r * 3 + ch];
      for (let c = r + 1; c < K; c++) v -= A[r * K + c] * out[c * 3 + ch];
      out[r * 3 + ch] = v / (A[r * K + r] || 1e-12);
    }
  }
  return out;
}

/** The knot interval holding t and the position in it (clamped: the gradient pads beyond its ends). */
function locate(knots: number[], t: number): [number, number] {
  const K = knots.length;
  if (t <= knots[0]) return [0, 0];
  if (t >= knots[K - 1]) return [K - 2, 1];
  let j = 0;
  while (j < K - 2 && t > knots[j + 1]) j++;
  return [j, (t - knots[j]) / (knots[j + 1] - knots[j])];
}

/**
 * The piecewise-linear profile: two stops at the ends, then one more at the bin with the largest weighted
 * residual while that buys at least 3% of the remaining error (and the error is not already at the bins' floor).
 */
function fitProfile(bins: Bins, tmin: number, tmax: number): { knots: number[]; values: Float64Array } {
  let knots = [tmin, tmax];
  let values = solveKnots(bins, knots);
  let err = profileError(bins, knots, values);
  let samples = 0;
  for (let b = 0; b < bins.w.length; b++) samples += bins.w[b];
  while (knots.length < MAX_STOPS) {
    let worst = -1;
    let worstE = 0;
    for (let b = 0; b < bins.w.length; b++) {
      if (bins.w[b] === 0) continue;
      const e = bins.w[b] * residual2(bins, b, knots, values);
      if (e > worstE && knots.every((k) => Math.abs(k - bins.t[b]) > 1)) {
        worstE = e;
        worst = b;
      }
    }
    if (worst < 0) break;
    const next = [...knots, bins.t[worst]].sort((a, b) => a - b);
    const nextValues = solveKnots(bins, next);
    const nextErr = profileError(bins, next, nextValues);
    if (nextErr > err * 0.97 || err < 0.02 * (bins.within + 1) || err < FLOOR_MSE * samples) break;
    knots = next;
    values = nextValues;
    err = nextErr;
  }
  return pruneKnots(bins, knots, values);
}

/** Drops inner stops their neighbours already interpolate to within STOP_SLACK levels per channel. */
function pruneKnots(
  bins: Bins,
  knots: number[],
  values: Float64Array,
): { knots: number[]; values: Float64Array } {
  for (let j = 1; j < knots.length - 1; j++) {
    const f = (knots[j] - knots[j - 1]) / (knots[j + 1] - knots[j - 1]);
    let off = 0;
    for (let ch = 0; ch < 3; ch++) {
      const v = values[(j - 1) * 3 + ch] * (1 - f) + values[(j + 1) * 3 + ch] * f;
      off = Math.max(off, Math.abs(v - values[j * 3 + ch]));
    }
    if (off > STOP_SLACK) continue;
    const next = knots.filter((_, k) => k !== j);
    return pruneKnots(bins, next, solveKnots(bins, next));
  }
  return { knots, values };
}

function residual2(bins: Bins, b: number, knots: number[], values: Float64Array): number {
  const [j, f] = locate(knots, bins.t[b]);
  let e = 0;
  for (let ch = 0; ch < 3; ch++) {
    const v = values[j * 3 + ch] * (1 - f) + values[(j + 1) * 3 + ch] * f;
    e += (bins.c[b * 3 + ch] - v) ** 2;
  }
  return e;
}

function profileError(bins: Bins, knots: number[], values: Float64Array): number {
  let e = 0;
  for (let b = 0; b < bins.w.length; b++)
    if (bins.w[b] > 0) e += bins.w[b] * residual2(bins, b, knots, values);
  return e;
}

function toStops(knots: number[], values: Float64Array, at: (t: number) => number): GradientStop[] {
  return knots.map((k, j) => ({
    offset: Math.min(1, Math.max(0, at(k))),
    color: [0, 1, 2].map((ch) => Math.min(255, Math.max(0, Math.round(values[j * 3 + ch])))) as Rgb,
  }));
}

/** The colour the gradient paints at (x, y), as an SVG renderer interpolates it (sRGB, pad spread). */
export function gradientColorAt(g: Gradient, x: number, y: number, out: Float64Array): void {
  let t: number;
  if (g.kind === 'linear') {
    const dx = g.x2 - g.x1;
    const dy = g.y2 - g.y1;
    t = ((x - g.x1) * dx + (y - g.y1) * dy) / (dx * dx + dy * dy || 1);
  } else t = Math.hypot(x - g.cx, y - g.cy) / (g.r || 1);
  const { stops } = g;
  if (t <= stops[0].offset) return setRgb(out, stops[0].color);
  const last = stops[stops.length - 1];
  if (t >= last.offset) return setRgb(out, last.color);
  let j = 0;
  while (t > stops[j + 1].offset) j++;
  const a = stops[j];
  const b = stops[j + 1];
  const f = b.offset > a.offset ? (t - a.offset) / (b.offset - a.offset) : 1;
  for (let ch = 0; ch < 3; ch++) out[ch] = a.color[ch] + (b.color[ch] - a.color[ch]) * f;
}

function setRgb(out: Float64Array, c: Rgb): void {
  out[0] = c[0];
  out[1] = c[1];
  out[2] = c[2];
}

/** Squared colour error of painting every sample with `g`. */
export function gradientSse(g: Gradient, s: Samples): number {
  const c = new Float64Array(3);
  let e = 0;
  for (let i = 0; i < s.n; i++) {
    gradientColorAt(g, s.x[i], s.y[i], c);
    e += (s.rgb[i * 3] - c[0]) ** 2 + (s.rgb[i * 3 + 1] - c[1]) ** 2 + (s.rgb[i * 3 + 2] - c[2]) ** 2;
  }
  return e;
}

function searchIndex(n: number): Int32Array {
  const step = Math.max(1, Math.ceil(n / SEARCH_SAMPLES));
  const idx = new Int32Array(Math.ceil(n / step));
  for (let k = 0, i = 0; i < n; i += step, k++) idx[k] = i;
  return idx;
}

function allIndex(n: number): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return idx;
}

/** The best linear gradient: a fan of 36 angles and the principal direction, the best one refined to 0.5 degree. */
function fitLinear(s: Samples, idx: Int32Array): { angle: number; score: number } {
  const candidates = [principalAngle(s, idx)];
  for (let k = 0; k < 36; k++) candidates.push((k * Math.PI) / 36);
  let best = { angle: 0, score: Infinity };
  for (const angle of candidates) {
    const score = withinSse(linearT(s, idx, angle), s, idx);
    if (score < best.score) best = { angle, score };
  }
  for (let step = Math.PI / 72; step > Math.PI / 720; step /= 2) {
    for (const angle of [best.angle - step, best.angle + step]) {
      const score = withinSse(linearT(s, idx, angle), s, idx);
      if (score < best.score) best = { angle, score };
    }
  }
  return best;
}

/** The best radial centre: a 9 x 9 grid over the samples' box (and half a box beyond), then a local descent. */
function fitRadial(s: Samples, idx: Int32Array): { cx: number; cy: number; score: number } {
  let [x0, x1] = [Infinity, -Infinity];
  let [y0, y1] = [Infinity, -Infinity];
  for (const i of idx) {
    x0 = Math.min(x0, s.x[i]);
    x1 = Math.max(x1, s.x[i]);
    y0 = Math.min(y0, s.y[i]);
    y1 = Math.max(y1, s.y[i]);
  }
  const w = x1 - x0;
  const h = y1 - y0;
  let best = { cx: 0, cy: 0, score: Infinity };
  for (let gy = 0; gy < 9; gy++) {
    for (let gx = 0; gx < 9; gx++) {
      const cx = x0 - w / 2 + (gx * 2 * w) / 8;
      const cy = y0 - h / 2 + (gy * 2 * h) / 8;
      const score = withinSse(radialT(s, idx, cx, cy), s, idx);
      if (score < best.score) best = { cx, cy, score };
    }
  }
  let step = Math.max(w, h) / 8;
  // a centre far outside makes a near-linear ramp that improves without end as it drifts: the box bounds it
  const inBounds = (cx: number, cy: number) => cx >= x0 - w && cx <= x1 + w && cy >= y0 - h && cy <= y1 + h;
  for (let iter = 0; iter < 40 && step > 0.25; iter++) {
    let moved = false;
    for (const [dx, dy] of [
      [step, 0],
      [-step, 0],
      [0, step],
      [0, -step],
    ]) {
      const cx = best.cx + dx;
      const cy = best.cy + dy;
      if (!inBounds(cx, cy)) continue;
      const score = withinSse(radialT(s, idx, cx, cy), s, idx);
      if (score < best.score) {
        best = { cx, cy, score };
        moved = true;
      }
    }
    if (!moved) step /= 2;
  }
  return best;
}

/** The best gradient for the samples and its squared error over all of them (null for fewer than 8 samples). */
export function fitGradient(s: Samples): GradientFit | null {
  if (s.n < 8) return null;
  const search = searchIndex(s.n);
  const all = allIndex(s.n);
  const linear = fitLinear(s, search);
  const radial = fitRadial(s, search);
  let gradient: Gradient;
  if (radial.score < linear.score * RADIAL_ADVANTAGE) {
    const t = radialT(s, all, radial.cx, radial.cy);
    const [tmin, tmax] = range(t);
    const { knots, values } = fitProfile(binProfile(t, s, all, tmin, tmax), tmin, tmax);
    const r = Math.max(tmax, 1e-3);
    gradient = {
      kind: 'radial',
      cx: radial.cx,
      cy: radial.cy,
      r,
      stops: toStops(knots, values, (k) => k / r),
    };
  } else {
    const t = linearT(s, all, linear.angle);
    const [tmin, tmax] = range(t);
    const { knots, values } = fitProfile(binProfile(t, s, all, tmin, tmax), tmin, tmax);
    const u = Math.cos(linear.angle);
    const v = Math.sin(linear.angle);
    // the axis through the samples' centroid, so the vector's ends lie near the shape
    let mx = 0;
    let my = 0;
    for (let i = 0; i < s.n; i++) {
      mx += s.x[i];
      my += s.y[i];
    }
    mx /= s.n;
    my /= s.n;
    const along = mx * u + my * v;
    const ox = mx - along * u;
    const oy = my - along * v;
    const span = Math.max(tmax - tmin, 1e-3);
    gradient = {
      kind: 'linear',
      x1: ox + tmin * u,
      y1: oy + tmin * v,
      x2: ox + tmax * u,
      y2: oy + tmax * v,
      stops: toStops(knots, values, (k) => (k - tmin) / span),
    };
  }
  gradient = roundGradient(gradient);
  return { gradient, sse: gradientSse(gradient, s) };
}

const r1 = (v: number) => Math.round(v * 10) / 10;

/** The gradient as the SVG writes it (coordinates to 0.1 px, offsets to 0.001), so its error is the one shown. */
function roundGradient(g: Gradient): Gradient {
  const stops = g.stops.map((st) => ({ ...st, offset: Math.round(st.offset * 1000) / 1000 }));
  if (g.kind === 'radial') return { ...g, cx: r1(g.cx), cy: r1(g.cy), r: Math.max(0.1, r1(g.r)), stops };
  return { ...g, x1: r1(g.x1), y1: r1(g.y1), x2: r1(g.x2), y2: r1(g.y2), stops };
}
