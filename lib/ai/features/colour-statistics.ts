/** Colour statistics over the visible pixels: palette size and spread, entropy, transparency, saturation, luma. */
import type { Work } from './downsample';
import type { FeatureValues } from './feature-names';
import { ALPHA_CLEAR } from './thresholds';

type ColourStatistics = {
  features: FeatureValues;
  /** Pixels with alpha below ALPHA_CLEAR. */
  clear: number;
};

export function measureColourStatistics({ w, h, rgb, alpha }: Work): ColourStatistics {
  const total = w * h;
  const fine = new Uint32Array(32768);
  const coarse = new Uint32Array(4096);
  const lumaHist = new Uint32Array(64);
  let visible = 0;
  let clear = 0;
  let semi = 0;
  let satSum = 0;
  let satSq = 0;
  let lumaSum = 0;
  let lumaSq = 0;
  for (let i = 0; i < total; i++) {
    const a = alpha[i];
    if (a < ALPHA_CLEAR) {
      clear++;
      continue;
    }
    if (a < 240) semi++;
    visible++;
    const r = rgb[i * 3];
    const g = rgb[i * 3 + 1];
    const b = rgb[i * 3 + 2];
    fine[((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3)]++;
    coarse[((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4)]++;
    const l = (299 * r + 587 * g + 114 * b) / 1000;
    lumaHist[Math.min(63, l >> 2)]++;
    lumaSum += l;
    lumaSq += l * l;
    const mx = Math.max(r, g, b);
    const mn = Math.min(r, g, b);
    const s = mx === 0 ? 0 : (mx - mn) / mx;
    satSum += s;
    satSq += s * s;
  }
  let fineCount = 0;
  for (let i = 0; i < fine.length; i++) if (fine[i] > 0) fineCount++;
  const counts: number[] = [];
  const minBin = Math.max(1, visible * 0.002);
  let merged = 0;
  let tail = 0;
  for (let i = 0; i < coarse.length; i++) {
    const c = coarse[i];
    if (c === 0) continue;
    counts.push(c);
    if (c >= minBin) merged++;
    else tail += c;
  }
  counts.sort((a, b) => b - a);
  const vis = Math.max(1, visible);
  const topShare = (k: number) => {
    let s = 0;
    for (let i = 0; i < Math.min(k, counts.length); i++) s += counts[i];
    return s / vis;
  };
  const satMean = visible > 0 ? satSum / visible : 0;
  const lMean = visible > 0 ? lumaSum / visible : 0;
  return {
    clear,
    features: {
      log_colors_fine: Math.log2(1 + fineCount) / 15,
      log_colors_merged: Math.log2(1 + merged) / 12,
      dominant_share: topShare(1),
      top2_share: topShare(2),
      top4_share: topShare(4),
      top8_share: topShare(8),
      tail_share: tail / vis,
      luma_entropy: entropy(lumaHist, visible) / 6,
      color_entropy: entropy(coarse, visible) / 12,
      transparent_share: clear / total,
      semi_transparent_share: semi / total,
      mean_saturation: satMean,
      saturation_spread: visible > 0 ? Math.sqrt(Math.max(0, satSq / visible - satMean * satMean)) : 0,
      luma_std: visible > 0 ? Math.sqrt(Math.max(0, lumaSq / visible - lMean * lMean)) / 128 : 0,
    },
  };
}

function entropy(hist: Uint32Array, total: number): number {
  if (total === 0) return 0;
  let e = 0;
  for (let i = 0; i < hist.length; i++) {
    const c = hist[i];
    if (c > 0) {
      const p = c / total;
      e -= p * Math.log2(p);
    }
  }
  return e;
}
