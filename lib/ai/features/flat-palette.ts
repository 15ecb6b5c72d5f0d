/**
 * The palette a designer used: colours of flat interiors (4-bit bins of pixels with no 1 px step, near bins merged),
 * at three coverage thresholds; smooth colours away from edges; and gradient ramps.
 */
import type { ColourSteps } from './colour-steps';
import type { Work } from './downsample';
import type { FeatureValues } from './feature-names';
import { ALPHA_CLEAR, FLAT_STEP, GENTLE_STEP } from './thresholds';

type FlatPalette = {
  features: FeatureValues;
  /** Per pixel: its 4-bit colour bin, or -1 where transparent (the regions are labelled on it). */
  key: Int16Array;
};

export function measureFlatPalette({ w, h, rgb, alpha }: Work, { step, near }: ColourSteps): FlatPalette {
  const total = w * h;
  const binCount = new Uint32Array(4096);
  const binSum = new Float64Array(4096 * 3);
  const smooth = new Uint8Array(32768);
  let ramp = 0;
  const key = new Int16Array(total).fill(-1);
  for (let i = 0; i < total; i++) {
    if (alpha[i] < ALPHA_CLEAR) continue;
    const r = rgb[i * 3];
    const g = rgb[i * 3 + 1];
    const b = rgb[i * 3 + 2];
    const k = ((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4);
    key[i] = k;
    const m1 = near[i];
    if (m1 <= FLAT_STEP) {
      binCount[k]++;
      binSum[k * 3] += r;
      binSum[k * 3 + 1] += g;
      binSum[k * 3 + 2] += b;
    }
    if (m1 <= 8) smooth[((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3)] = 1;
    if (m1 >= 1 && m1 <= 8 && step[i] > FLAT_STEP && step[i] <= GENTLE_STEP) ramp++;
  }
  const bins: { n: number; c: [number, number, number] }[] = [];
  for (let k = 0; k < 4096; k++) {
    const n = binCount[k];
    if (n >= 2) bins.push({ n, c: [binSum[k * 3] / n, binSum[k * 3 + 1] / n, binSum[k * 3 + 2] / n] });
  }
  bins.sort((a, b) => b.n - a.n);
  // near colours merge like the dataset labels merge SVG colours: within 16 levels on every channel
  const paletteSize = (minShare: number) => {
    const palette: [number, number, number][] = [];
    const min = Math.max(2, total * minShare);
    for (const { n, c } of bins) {
      if (n < min) break;
      if (
        !palette.some(
          (p) => Math.max(Math.abs(p[0] - c[0]), Math.abs(p[1] - c[1]), Math.abs(p[2] - c[2])) < 16,
        )
      ) {
        palette.push(c);
      }
    }
    return palette.length;
  };
  let smoothColors = 0;
  for (let i = 0; i < smooth.length; i++) smoothColors += smooth[i];
  return {
    key,
    features: {
      flat_colors: Math.log2(1 + paletteSize(0.001)) / 6,
      flat_colors_tiny: Math.log2(1 + paletteSize(0.0001)) / 7,
      flat_colors_major: Math.log2(1 + paletteSize(0.01)) / 5,
      ramp_share: ramp / total,
      log_smooth_colors: Math.log2(1 + smoothColors) / 15,
    },
  };
}
