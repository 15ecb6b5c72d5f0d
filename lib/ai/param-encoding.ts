/** How TraceParams map to and from the parameter predictor's numeric outputs (shared by training and inference). */
import type { TraceParams } from '@/lib/vectorize/types';
import { FEATURE_COUNT } from './features';
import type { ImageType } from './types';

export const IMAGE_TYPES: readonly ImageType[] = ['simple', 'text', 'gradient', 'complex'];

/** The parameters the predictor sets; the rest keep the engine defaults. */
export const PREDICTED_PARAMS = [
  'colors',
  'speckle',
  'cornerThreshold',
  'curveTolerance',
  'minRegionArea',
  'precision',
  'blur',
] as const;
export type PredictedParams = Pick<TraceParams, (typeof PREDICTED_PARAMS)[number]>;

export const CLASSIFIER_INPUTS = FEATURE_COUNT;
export const CLASSIFIER_OUTPUTS = IMAGE_TYPES.length;
export const OPTIMIZER_INPUTS = FEATURE_COUNT + IMAGE_TYPES.length;
export const OPTIMIZER_OUTPUTS = PREDICTED_PARAMS.length;

const MIN_AREA_FLOOR = 1e-5;

/** Log scales where the effect is multiplicative (palette size, speckle, region area). */
export function encodeParams(p: PredictedParams): Float32Array {
  return Float32Array.of(
    Math.log2(p.colors),
    Math.log2(1 + p.speckle),
    p.cornerThreshold,
    p.curveTolerance,
    Math.log10(p.minRegionArea + MIN_AREA_FLOOR),
    p.precision,
    p.blur,
  );
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Number.isFinite(v) ? v : lo));

/** Turns raw predictor outputs into valid engine parameters (clamped to the schema's ranges, integers rounded). */
export function decodeParams(v: ArrayLike<number>): PredictedParams {
  return {
    colors: Math.round(clamp(2 ** v[0], 2, 64)),
    speckle: Math.round(clamp(2 ** v[1] - 1, 0, 1000)),
    cornerThreshold: Math.round(clamp(v[2], 0, 1.334) * 1000) / 1000,
    curveTolerance: Math.round(clamp(v[3], 0, 2) * 1000) / 1000,
    minRegionArea: Math.round(clamp(10 ** v[4] - MIN_AREA_FLOOR, 0, 0.01) * 1e6) / 1e6,
    precision: Math.round(clamp(v[5], 0, 3)),
    blur: Math.round(clamp(v[6], 0, 3) * 100) / 100,
  };
}

/** Predictor input: image features followed by the class one-hot. */
export function optimizerInput(features: Float32Array, type: ImageType): Float32Array {
  const x = new Float32Array(OPTIMIZER_INPUTS);
  x.set(features);
  x[FEATURE_COUNT + IMAGE_TYPES.indexOf(type)] = 1;
  return x;
}
