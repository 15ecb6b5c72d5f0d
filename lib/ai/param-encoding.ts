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

/**
 * The box the predictor's training labels came from (the search grid's reach): predictions are clamped to it,
 * because a regressor fitted on a few dozen images extrapolates badly outside what it has seen.
 */
const PREDICTION_BOUNDS: { [K in keyof PredictedParams]: [number, number] } = {
  colors: [8, 32],
  speckle: [2, 10],
  cornerThreshold: [0.8, 1.2],
  curveTolerance: [0.1, 0.6],
  minRegionArea: [0.00005, 0.001],
  precision: [0, 2],
  blur: [0, 0],
};

/** Turns raw predictor outputs into valid engine parameters (clamped to PREDICTION_BOUNDS, integers rounded). */
export function decodeParams(v: ArrayLike<number>): PredictedParams {
  const b = PREDICTION_BOUNDS;
  return {
    colors: Math.round(clamp(2 ** v[0], ...b.colors)),
    speckle: Math.round(clamp(2 ** v[1] - 1, ...b.speckle)),
    cornerThreshold: Math.round(clamp(v[2], ...b.cornerThreshold) * 1000) / 1000,
    curveTolerance: Math.round(clamp(v[3], ...b.curveTolerance) * 1000) / 1000,
    minRegionArea: Math.round(clamp(10 ** v[4] - MIN_AREA_FLOOR, ...b.minRegionArea) * 1e6) / 1e6,
    precision: Math.round(clamp(v[5], ...b.precision)),
    blur: Math.round(clamp(v[6], ...b.blur) * 100) / 100,
  };
}

/** Predictor input: image features followed by the class one-hot. */
export function optimizerInput(features: Float32Array, type: ImageType): Float32Array {
  const x = new Float32Array(OPTIMIZER_INPUTS);
  x.set(features);
  x[FEATURE_COUNT + IMAGE_TYPES.indexOf(type)] = 1;
  return x;
}
