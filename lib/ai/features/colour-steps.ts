/**
 * Colour steps to the right and down neighbours (over white, so alpha edges count as edges): edges use 1 px steps,
 * flatness uses RAMP px steps because a smooth gradient changes too little per pixel to see.
 */
import type { Work } from './downsample';
import type { FeatureValues } from './feature-names';
import { EDGE_STEP, FLAT_STEP, GENTLE_STEP, RAMP } from './thresholds';

export type ColourSteps = {
  features: FeatureValues;
  /** Per pixel: the largest colour step RAMP px away (right or down). */
  step: Uint16Array;
  /** Per pixel: the largest colour step 1 px away (right or down). */
  near: Uint16Array;
};

export function measureColourSteps({ w, h, rgb }: Work): ColourSteps {
  const total = w * h;
  const { step, near, edges, flat, gentle, stepSum } = measureSteps(rgb, w, h);
  // gentle steps inside a gentle neighbourhood are ramps; next to a strong edge they are anti-aliasing
  let gentleRun = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const m = step[i];
      if (m <= FLAT_STEP || m > GENTLE_STEP) continue;
      if (
        step[i - 1] <= GENTLE_STEP &&
        step[i + 1] <= GENTLE_STEP &&
        step[i - w] <= GENTLE_STEP &&
        step[i + w] <= GENTLE_STEP
      ) {
        gentleRun++;
      }
    }
  }
  const nonFlat = total - flat;
  return {
    step,
    near,
    features: {
      edge_density: edges / total,
      flat_share: flat / total,
      gentle_share: gentle / total,
      gentle_of_nonflat: nonFlat > 0 ? gentle / nonFlat : 0,
      mean_step: Math.min(1, stepSum / total / 100),
      step_run_smoothness: gentleRun / total,
    },
  };
}

/** Per pixel: the largest colour step to the right/down neighbour 1 px away (`near`) and RAMP px away (`step`). */
function measureSteps(rgb: Uint8Array, w: number, h: number) {
  const step = new Uint16Array(w * h);
  const near = new Uint16Array(w * h);
  let edges = 0;
  let flat = 0;
  let gentle = 0;
  let stepSum = 0;
  const row3 = w * 3;
  for (let y = 0; y < h; y++) {
    const down1 = y + 1 < h;
    const downR = y + RAMP < h;
    for (let x = 0, i = y * w, o = i * 3; x < w; x++, i++, o += 3) {
      const r = rgb[o];
      const g = rgb[o + 1];
      const b = rgb[o + 2];
      let m1 = 0;
      if (x + 1 < w) m1 = Math.abs(r - rgb[o + 3]) + Math.abs(g - rgb[o + 4]) + Math.abs(b - rgb[o + 5]);
      if (down1) {
        const q = o + row3;
        const d = Math.abs(r - rgb[q]) + Math.abs(g - rgb[q + 1]) + Math.abs(b - rgb[q + 2]);
        if (d > m1) m1 = d;
      }
      let m = 0;
      if (x + RAMP < w) {
        const q = o + RAMP * 3;
        m = Math.abs(r - rgb[q]) + Math.abs(g - rgb[q + 1]) + Math.abs(b - rgb[q + 2]);
      }
      if (downR) {
        const q = o + RAMP * row3;
        const d = Math.abs(r - rgb[q]) + Math.abs(g - rgb[q + 1]) + Math.abs(b - rgb[q + 2]);
        if (d > m) m = d;
      }
      step[i] = m;
      near[i] = m1;
      stepSum += m1;
      if (m1 > EDGE_STEP) edges++;
      if (m <= FLAT_STEP) flat++;
      else if (m <= GENTLE_STEP) gentle++;
    }
  }
  return { step, near, edges, flat, gentle, stepSum };
}
