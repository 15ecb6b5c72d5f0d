/**
 * The foreground (opaque pixels that differ from the background: transparency, or the commonest border colour) and
 * its shapes: coverage, bounding box, components (count, heights, alignment, fill), stroke width and holes.
 */
import type { Work } from './downsample';
import type { FeatureValues } from './feature-names';
import { labelComponents } from './label-components';
import { ALPHA_OPAQUE, FG_DISTANCE } from './thresholds';

/** `clear`: the pixels that are transparent; more than 5% of them make transparency the background. */
export function measureForegroundShapes({ w, h, rgb, alpha }: Work, clear: number): FeatureValues {
  const total = w * h;
  const fg = new Uint8Array(total);
  const transparentBg = clear > total * 0.05;
  let bgR = 255;
  let bgG = 255;
  let bgB = 255;
  if (!transparentBg) {
    const border = new Map<number, number>();
    const visit = (i: number) => {
      const key = ((rgb[i * 3] >> 4) << 8) | ((rgb[i * 3 + 1] >> 4) << 4) | (rgb[i * 3 + 2] >> 4);
      border.set(key, (border.get(key) ?? 0) + 1);
    };
    for (let x = 0; x < w; x++) {
      visit(x);
      visit((h - 1) * w + x);
    }
    for (let y = 0; y < h; y++) {
      visit(y * w);
      visit(y * w + w - 1);
    }
    let best = -1;
    let bestKey = 0xfff;
    for (const [k, c] of border) if (c > best || (c === best && k < bestKey)) [best, bestKey] = [c, k];
    bgR = ((bestKey >> 8) << 4) + 8;
    bgG = (((bestKey >> 4) & 15) << 4) + 8;
    bgB = ((bestKey & 15) << 4) + 8;
  }
  let fgCount = 0;
  let bx0 = w;
  let bx1 = -1;
  let by0 = h;
  let by1 = -1;
  for (let i = 0; i < total; i++) {
    let on: boolean;
    if (transparentBg) on = alpha[i] >= ALPHA_OPAQUE;
    else {
      const d = Math.abs(rgb[i * 3] - bgR) + Math.abs(rgb[i * 3 + 1] - bgG) + Math.abs(rgb[i * 3 + 2] - bgB);
      on = d > FG_DISTANCE;
    }
    if (on) {
      fg[i] = 1;
      fgCount++;
      const y = (i / w) | 0;
      const x = i - y * w;
      if (x < bx0) bx0 = x;
      if (x > bx1) bx1 = x;
      if (y < by0) by0 = y;
      if (y > by1) by1 = y;
    }
  }
  const features: FeatureValues = { foreground_share: fgCount / total };
  if (fgCount > 0) {
    const bw = bx1 - bx0 + 1;
    const bh = by1 - by0 + 1;
    features.fg_bbox_aspect = Math.log2(bw / bh) / 4;
    features.fg_bbox_fill = fgCount / (bw * bh);
    features.fg_bbox_width = bw / w;
    features.fg_bbox_height = bh / h;
  }

  // 4-connected components of the foreground, and of the background (holes = enclosed background parts)
  const minArea = Math.max(4, Math.round(total * 0.0002));
  const heights: number[] = [];
  const centers: number[] = [];
  let fills = 0;
  let kept = 0;
  let small = 0;
  let largest = 0;
  let holes = 0;
  // components in the order of their first pixel, as a raster-order flood fill would find them (fills is summed
  // in that order)
  const fgParts = labelComponents(fg, w, h, -1);
  for (let c = 0; c < fgParts.count; c++) {
    const area = fgParts.area[c];
    const x0 = fgParts.x0[c];
    const x1 = fgParts.x1[c];
    const y0 = fgParts.y0[c];
    const y1 = fgParts.y1[c];
    if (fgParts.value[c] === 0) {
      const touchesBorder = x0 === 0 || y0 === 0 || x1 === w - 1 || y1 === h - 1;
      if (!touchesBorder && area >= minArea) holes += area;
      continue;
    }
    if (area < minArea) continue;
    kept++;
    if (area > largest) largest = area;
    if (area < total * 0.005) small++;
    const bh = y1 - y0 + 1;
    heights.push(bh);
    centers.push((y0 + y1) / 2);
    fills += area / ((x1 - x0 + 1) * bh);
  }
  // foreground pixels with a 4-neighbour of the other kind
  let boundary = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0, i = y * w; x < w; x++, i++) {
      if (fg[i] !== 1) continue;
      if (
        (x > 0 && fg[i - 1] !== 1) ||
        (x + 1 < w && fg[i + 1] !== 1) ||
        (y > 0 && fg[i - w] !== 1) ||
        (y + 1 < h && fg[i + w] !== 1)
      ) {
        boundary++;
      }
    }
  }
  features.log_components = Math.log2(1 + kept) / 10;
  features.small_component_share = kept > 0 ? small / kept : 0;
  if (kept > 0) {
    const sorted = [...heights].sort((a, b) => a - b);
    const medH = sorted[sorted.length >> 1];
    let mean = 0;
    for (const v of heights) mean += v;
    mean /= kept;
    let varH = 0;
    for (const v of heights) varH += (v - mean) ** 2;
    const sortedC = [...centers].sort((a, b) => a - b);
    const medC = sortedC[sortedC.length >> 1];
    let aligned = 0;
    for (const c of centers) if (Math.abs(c - medC) <= medH * 0.5) aligned++;
    features.median_component_height = medH / h;
    features.component_height_cv = Math.min(2, Math.sqrt(varH / kept) / Math.max(1, mean));
    features.mean_fill_ratio = fills / kept;
    features.row_alignment = aligned / kept;
  }
  // twice area over perimeter approximates the stroke width; relative to the shorter side
  features.stroke_width = boundary > 0 ? Math.min(1, (2 * fgCount) / boundary / Math.min(w, h)) : 0;
  features.largest_component_share = largest / total;
  features.holes_share = holes / total;
  return features;
}
