/**
 * Tier 1: one parameter set per image type, the medians of the searched-best parameters of the training images
 * of that type (printed by `npm run train:optimizer`), rounded to values a person can read.
 */
import type { PredictedParams } from './param-encoding';
import type { ImageType } from './types';

export const CLASS_DEFAULTS: Record<ImageType, PredictedParams> = {
  simple: {
    colors: 16,
    speckle: 4,
    cornerThreshold: 0.8,
    curveTolerance: 0.1,
    minRegionArea: 0.0002,
    precision: 1,
    blur: 0,
  },
  text: {
    colors: 16,
    speckle: 4,
    cornerThreshold: 0.8,
    curveTolerance: 0.1,
    minRegionArea: 0.0002,
    precision: 1,
    blur: 0,
  },
  gradient: {
    colors: 16,
    speckle: 4,
    cornerThreshold: 0.8,
    curveTolerance: 0.1,
    minRegionArea: 0.0002,
    precision: 0,
    blur: 0,
  },
  complex: {
    colors: 16,
    speckle: 4,
    cornerThreshold: 1,
    curveTolerance: 0.2,
    minRegionArea: 0.0002,
    precision: 0,
    blur: 0,
  },
};
