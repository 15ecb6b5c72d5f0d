/** The feature vector's layout: each feature's name, in the order the trained models read them. */

/** Feature names in vector order; the trained models depend on this order, so only ever append. */
export const FEATURE_NAMES = [
  'log_colors_fine', // distinct 5-bit colours, log-scaled
  'log_colors_merged', // 4-bit colour bins holding >= 0.2% of pixels (near colours merged)
  'dominant_share',
  'top2_share',
  'top4_share',
  'top8_share',
  'tail_share', // pixels in rare bins: gradients and photos spread colours thin
  'edge_density', // strong colour steps
  'flat_share',
  'gentle_share', // small non-zero steps: smooth gradients
  'gentle_of_nonflat',
  'mean_step',
  'step_run_smoothness', // gentle pixels whose neighbour is also gentle (gradient ramps, not AA edges)
  'luma_entropy',
  'color_entropy',
  'transparent_share',
  'semi_transparent_share',
  'log_pixels',
  'aspect',
  'foreground_share',
  'log_components',
  'small_component_share',
  'median_component_height',
  'component_height_cv',
  'mean_fill_ratio',
  'row_alignment',
  'stroke_width',
  'mean_saturation',
  'saturation_spread',
  'largest_component_share',
  'holes_share',
  'luma_std',
  'flat_colors', // distinct colours of flat interiors, near ones merged: the palette a designer used
  'log_regions', // connected same-colour regions: roughly the shape count
  'fg_bbox_aspect', // word marks are wide even on a square canvas
  'fg_bbox_fill',
  'fg_bbox_width',
  'fg_bbox_height',
  'ramp_share', // tiny 1 px steps that add up over 4 px: smooth gradient ramps
  'log_smooth_colors', // fine colours away from edges: gradients have many, anti-aliasing adds none
  'flat_colors_tiny', // palette counting even tiny flat details (0.01% of the image)
  'flat_colors_major', // palette of colours covering 1%+ each
  'log_regions_small',
  'log_regions_large',
] as const;

export const FEATURE_COUNT = FEATURE_NAMES.length;

type FeatureName = (typeof FEATURE_NAMES)[number];

/** Features a group measured, by name (a feature a group leaves out is 0 in the vector). */
export type FeatureValues = Partial<Record<FeatureName, number>>;
