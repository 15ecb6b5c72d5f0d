/**
 * Palette control on the quantizer's result: an exact colour count, a user palette (every region snaps to the
 * nearest of a list of colours, e.g. brand colours) and colours to remove (their regions become transparent).
 * The geometry is traced from the image's own colours (sub-pixel edges are fitted against them); a user palette
 * then paints the finished SVG (paintControlledPalette).
 */
import { z } from 'zod';
import { distance2, hexColorSchema, nearestIndex, parseHex, type Rgb } from '@/lib/palette/css-color';
import { snapSvgColors } from '@/lib/palette/svg-colors';
import type { RgbaImage } from '@/lib/quality/types';
import { COVERAGE_ALPHA, TRANSPARENT, compact, type Quantized } from './quantize';

export const paletteControlSchema = z
  .object({
    count: z
      .number()
      .int()
      .min(1)
      .max(64)
      .optional()
      .describe(
        'Exactly this many colours (colour mode): the nearest colours merge, or the most varied split; fewer only when the image has no more solid colour areas to split (anti-aliased edges never become colours of their own).',
      ),
    colors: z
      .array(hexColorSchema)
      .min(1)
      .max(64)
      .optional()
      .describe(
        'A user palette (e.g. brand colours): every region snaps to the nearest of these colours, and regions that snap to the same one become one shape.',
      ),
    remove: z
      .array(hexColorSchema)
      .max(64)
      .optional()
      .describe(
        'Colours to remove (colour mode): the palette colour nearest to each (within a distance of 40 in RGB) becomes transparent, e.g. a background.',
      ),
  })
  .strict()
  .refine((p) => p.count === undefined || p.colors === undefined, {
    message: 'count and colors exclude each other: a user palette sets the colours itself',
    path: ['count'],
  });

export type PaletteControl = z.output<typeof paletteControlSchema>;

/** A split must leave each half at least this many pixels and this share of the covered pixels. */
const MIN_SPLIT_PIXELS = 16;
const MIN_SPLIT_SHARE = 0.002;

/** A remove colour matches a palette colour this close (RGB Euclidean): swatches are rounded to whole hex. */
const REMOVE_DISTANCE = 40;

/** True when the control asks for colour mode's palette (auto mode then traces in colour). */
export function needsColorPalette(control: PaletteControl | undefined): boolean {
  return Boolean(control && ((control.count ?? 0) >= 2 || control.colors || control.remove?.length));
}

/** The quantized image with the control applied (the input is returned as is without one). */
export function controlPalette(q: Quantized, img: RgbaImage, control: PaletteControl | undefined): Quantized {
  if (!control || q.palette.length === 0) return q;
  let out: Quantized = {
    palette: q.palette.map((c) => [...c] as Rgb),
    labels: q.labels,
    counts: [...q.counts],
  };
  if (control.colors) {
    const user = control.colors.map(parseHex);
    out = mergeGroups(out, (j) => nearestIndex(user, out.palette[j]));
  }
  if (control.count !== undefined) {
    out = out.palette.length > control.count ? mergeTo(out, control.count) : splitTo(out, img, control.count);
  }
  if (control.remove?.length) out = removeColors(out, control.remove.map(parseHex), control.colors);
  return out;
}

/** The finished SVG painted in the user palette (unchanged without one). */
export function paintControlledPalette<T extends { svg: string }>(
  traced: T,
  control: PaletteControl | undefined,
): T {
  return control?.colors ? { ...traced, svg: snapSvgColors(traced.svg, control.colors) } : traced;
}

/** Entries with the same group merge into one: their count-weighted mean colour, their pixels relabelled. */
function mergeGroups(q: Quantized, groupOf: (j: number) => number): Quantized {
  const groups = new Map<number, number[]>();
  q.palette.forEach((_, j) => {
    const g = groupOf(j);
    groups.set(g, [...(groups.get(g) ?? []), j]);
  });
  if (groups.size === q.palette.length) return q;
  const map = new Uint8Array(256).fill(TRANSPARENT);
  const palette: Rgb[] = [];
  const counts: number[] = [];
  for (const members of [...groups.values()].sort((a, b) => a[0] - b[0])) {
    const n = members.reduce((s, j) => s + q.counts[j], 0);
    const mean = [0, 1, 2].map(
      (c) => members.reduce((s, j) => s + q.palette[j][c] * q.counts[j], 0) / Math.max(1, n),
    ) as Rgb;
    for (const j of members) map[j] = palette.length;
    palette.push(members.length === 1 ? q.palette[members[0]] : mean);
    counts.push(n);
  }
  const labels = new Uint8Array(q.labels.length);
  for (let i = 0; i < labels.length; i++) labels[i] = map[q.labels[i]];
  return { palette, labels, counts };
}

/**
 * Merges colours until `count` remain, each time the pair whose merge adds the least squared error (Ward's
 * criterion: a rare colour merges before two large distinct areas do).
 */
function mergeTo(q: Quantized, count: number): Quantized {
  const palette = q.palette.map((c) => [...c] as Rgb);
  const counts = [...q.counts];
  const owner = palette.map((_, j) => j);
  const alive = new Set(palette.map((_, j) => j));
  while (alive.size > count) {
    let best: [number, number] = [-1, -1];
    let bestCost = Infinity;
    const ids = [...alive];
    for (let x = 0; x < ids.length; x++) {
      for (let y = x + 1; y < ids.length; y++) {
        const a = ids[x];
        const b = ids[y];
        const cost =
          ((counts[a] * counts[b]) / Math.max(1, counts[a] + counts[b])) * distance2(palette[a], palette[b]);
        if (cost < bestCost) {
          bestCost = cost;
          best = [a, b];
        }
      }
    }
    const [a, b] = best;
    const n = counts[a] + counts[b];
    palette[a] = [0, 1, 2].map(
      (c) => (palette[a][c] * counts[a] + palette[b][c] * counts[b]) / Math.max(1, n),
    ) as Rgb;
    counts[a] = n;
    counts[b] = 0;
    alive.delete(b);
    for (let j = 0; j < owner.length; j++) if (owner[j] === b) owner[j] = a;
  }
  const labels = new Uint8Array(q.labels.length);
  for (let i = 0; i < labels.length; i++)
    labels[i] = q.labels[i] === TRANSPARENT ? TRANSPARENT : owner[q.labels[i]];
  return compact({ palette: palette.map((c) => c.map(Math.round) as Rgb), labels, counts });
}

/**
 * Splits colours until `count` exist: each time the colour whose pixels vary most (largest squared error) is cut
 * at its mean along its most varied channel, then its pixels go to the nearer of the two halves' means. Stops
 * early when no colour has two distinct pixel values left (the image has fewer colours than asked).
 */
function splitTo(q: Quantized, img: RgbaImage, count: number): Quantized {
  const { data } = img;
  const labels = new Uint8Array(q.labels);
  const palette = q.palette.map((c) => [...c] as Rgb);
  const counts = [...q.counts];
  const n = labels.length;
  let covered = 0;
  for (let i = 0; i < n; i++) if (labels[i] !== TRANSPARENT) covered++;
  // a half this small would be scattered edge pixels that tracing drops as specks: the colour would not show
  const minHalf = Math.max(MIN_SPLIT_PIXELS, Math.round(covered * MIN_SPLIT_SHARE));
  const unsplittable = new Set<number>();
  while (palette.length < Math.min(count, TRANSPARENT)) {
    const sum = new Float64Array(palette.length * 3);
    const sq = new Float64Array(palette.length * 3);
    const num = new Float64Array(palette.length);
    for (let i = 0; i < n; i++) {
      const l = labels[i];
      if (l === TRANSPARENT || data[i * 4 + 3] < COVERAGE_ALPHA) continue;
      num[l]++;
      for (let c = 0; c < 3; c++) {
        const v = data[i * 4 + c];
        sum[l * 3 + c] += v;
        sq[l * 3 + c] += v * v;
      }
    }
    let worst = -1;
    let worstChannel = 0;
    let worstSse = 1;
    for (let l = 0; l < palette.length; l++) {
      if (num[l] < 2 * minHalf || unsplittable.has(l)) continue;
      let sse = 0;
      let channel = 0;
      let channelVar = -1;
      for (let c = 0; c < 3; c++) {
        const v = sq[l * 3 + c] - (sum[l * 3 + c] * sum[l * 3 + c]) / num[l];
        sse += v;
        if (v > channelVar) {
          channelVar = v;
          channel = c;
        }
      }
      if (sse > worstSse) {
        worstSse = sse;
        worst = l;
        worstChannel = channel;
      }
    }
    if (worst < 0) break;
    const cut = sum[worst * 3 + worstChannel] / num[worst];
    // the two halves' means, then every pixel of the colour to the nearer one
    const halves = [new Float64Array(4), new Float64Array(4)];
    for (let i = 0; i < n; i++) {
      if (labels[i] !== worst || data[i * 4 + 3] < COVERAGE_ALPHA) continue;
      const h = halves[data[i * 4 + worstChannel] > cut ? 1 : 0];
      for (let c = 0; c < 3; c++) h[c] += data[i * 4 + c];
      h[3]++;
    }
    if (halves[0][3] < minHalf || halves[1][3] < minHalf) {
      unsplittable.add(worst);
      continue;
    }
    const low = [0, 1, 2].map((c) => halves[0][c] / halves[0][3]) as Rgb;
    const high = [0, 1, 2].map((c) => halves[1][c] / halves[1][3]) as Rgb;
    const added = palette.length;
    const before = new Uint8Array(labels);
    for (let i = 0; i < n; i++) {
      if (labels[i] !== worst) continue;
      const o = i * 4;
      const px: Rgb = [data[o], data[o + 1], data[o + 2]];
      if (distance2(px, high) < distance2(px, low)) labels[i] = added;
    }
    // scattered pixels (anti-aliased edges mixing two areas) would be traced as specks and dropped: a split
    // counts only when both halves have a solid inside
    const inside = interiorCounts(labels, img.width, img.height, worst, added);
    if (inside[0] < minHalf / 2 || inside[1] < minHalf / 2) {
      labels.set(before);
      unsplittable.add(worst);
      continue;
    }
    palette[worst] = low;
    palette.push(high);
    counts[worst] = 0;
    counts.push(0);
    for (let i = 0; i < n; i++) if (labels[i] === worst || labels[i] === added) counts[labels[i]]++;
  }
  return { palette: palette.map((c) => c.map(Math.round) as Rgb), labels, counts };
}

/** Pixels of labels `a` and `b` whose four neighbours share their label. */
function interiorCounts(
  labels: Uint8Array,
  width: number,
  height: number,
  a: number,
  b: number,
): [number, number] {
  const out: [number, number] = [0, 0];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1, i = y * width + 1; x < width - 1; x++, i++) {
      const l = labels[i];
      if (l !== a && l !== b) continue;
      if (labels[i - 1] === l && labels[i + 1] === l && labels[i - width] === l && labels[i + width] === l) {
        out[l === a ? 0 : 1]++;
      }
    }
  }
  return out;
}

/** The palette colours nearest to each removed colour (compared as painted, in the user palette if any) go. */
function removeColors(q: Quantized, remove: Rgb[], userPalette: string[] | undefined): Quantized {
  const user = userPalette?.map(parseHex);
  const painted = q.palette.map((c) => (user ? user[nearestIndex(user, c)] : c));
  const gone = new Set<number>();
  for (const r of remove) {
    const j = nearestIndex(painted, r);
    if (distance2(painted[j], r) <= REMOVE_DISTANCE ** 2) {
      // with a user palette, every colour painted the same goes with it
      painted.forEach((p, k) => {
        if (distance2(p, painted[j]) === 0) gone.add(k);
      });
    }
  }
  if (gone.size === 0) return q;
  const labels = new Uint8Array(q.labels);
  const counts = [...q.counts];
  for (let i = 0; i < labels.length; i++) if (gone.has(labels[i])) labels[i] = TRANSPARENT;
  for (const j of gone) counts[j] = 0;
  return compact({ palette: q.palette, labels, counts });
}
